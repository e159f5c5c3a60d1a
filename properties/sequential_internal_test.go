package properties

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The sequential comparison is only as strong as the share of operations
// the model can follow (it stops at a closed script gate): most of them.
func TestModelFollowsAlmostEveryOperation(t *testing.T) {
	total, followed := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		p := Programs(DefaultSizes).Draw(rt, "program")
		mb := &modelBackend{s: newModel(p, Options{})}
		mc := &client{b: mb, sh: newShared(noLock{}), driverModule: driverModules(p)}
		for _, o := range p.Clients[0] {
			total++
			mc.do(o)
			if mb.stopped != "" {
				require.Contains(rt, mb.stopped, "closed gate", "the model refused an operation the client allowed")
				break
			}
			followed++
		}
	})
	require.Greater(t, followed*100, total*95, "the model followed %d of %d operations", followed, total)
}

func TestDiffSnapshotsNamesTheFirstDifference(t *testing.T) {
	impl := sut.Snapshot{Devices: []sut.DeviceSnap{{Handle: "a#1", Name: "a", Phase: "Registered", Refcount: 1, Holders: []string{"Reg"}}}}
	mod := model.Snapshot{Devices: []model.DeviceSnap{{Handle: "a#1", Name: "a", Phase: "Registered", Refcount: 1, Holders: []string{"Reg"}}}}
	require.Empty(t, diffSnapshots(impl, mod))
	mod.Devices[0].Holders = []string{"Owner"}
	require.Equal(t,
		"implementation device {Handle:a#1 Name:a Parent: Phase:Registered OnBus:false Dead:false Bound:false Driver: Refcount:1 Holders:[Reg] Released:false Devres:0}; "+
			"model device {Handle:a#1 Name:a Parent: Phase:Registered OnBus:false Dead:false Bound:false Driver: Refcount:1 Holders:[Owner] Released:false Devres:0}",
		diffSnapshots(impl, mod))
	mod.Devices[0].Holders = []string{"Reg"}
	mod.TriggerCount = 1
	require.Equal(t, "implementation triggerCount 0; model triggerCount 1", diffSnapshots(impl, mod))
}
