package properties

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

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
