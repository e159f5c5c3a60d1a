package shrink

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

func devOp(k properties.OpKind, dev int) properties.Op {
	return properties.Op{Kind: k, Dev: dev, Parent: -1, Ref: -1}
}

func newOp(k properties.OpKind, dev, parent int, name string) properties.Op {
	return properties.Op{Kind: k, Dev: dev, Parent: parent, Ref: -1, Name: name}
}

// Removing a device's creation removes what uses it (its children and
// their operations, devres references to it) and renumbers the later
// devices; a lookup's Ref is no device index and stays.
func TestRemoveOpsKeepsDevicesConsistent(t *testing.T) {
	ops := []properties.Op{
		newOp(properties.OpNewDevice, 0, -1, "a"),                                 // 0: d0
		newOp(properties.OpNewAndRegister, 1, -1, "b"),                            // 1: d1
		newOp(properties.OpNewDevice, 2, 0, "c"),                                  // 2: d2 under d0
		devOp(properties.OpRegister, 2),                                           // 3
		{Kind: properties.OpDevres, Dev: 1, Ref: 0},                               // 4: d1 holds d0
		{Kind: properties.OpDevres, Dev: 1, Ref: 1},                               // 5
		{Kind: properties.OpLookupDevres, Dev: -1, Parent: -1, Ref: 0, Name: "a"}, // 6
		devOp(properties.OpUnregister, 1),                                         // 7
	}
	drop := make([]bool, len(ops))
	drop[0] = true
	require.Equal(t, []properties.Op{
		newOp(properties.OpNewAndRegister, 0, -1, "b"),
		{Kind: properties.OpDevres, Dev: 0, Ref: 0},
		{Kind: properties.OpLookupDevres, Dev: -1, Parent: -1, Ref: 0, Name: "a"},
		devOp(properties.OpUnregister, 0),
	}, removeOps(ops, drop))

	drop = make([]bool, len(ops))
	drop[3] = true
	out := removeOps(ops, drop)
	require.Len(t, out, len(ops)-1)
	require.Equal(t, ops[4], out[3], "no creation removed: nothing renumbered")
}

// Minimize replays the input once, then at most the budget's candidates.
func TestMinimizeCountsEveryReplay(t *testing.T) {
	p := properties.Program{Clients: [][]properties.Op{{
		newOp(properties.OpNewDevice, 0, -1, "d"), devOp(properties.OpRegister, 0), devOp(properties.OpGet, 0),
		devOp(properties.OpTryUnregister, 0), devOp(properties.OpTryUnregister, 0),
		newOp(properties.OpNewDevice, 1, -1, "e"), devOp(properties.OpGet, 1), devOp(properties.OpPut, 1),
	}}}
	opt := properties.Options{Bug: sut.BugH6, Stress: sut.Stress{FineYields: true}}
	f, err := FromVerdict(properties.Execute(p, sched.Canonical(), opt), opt)
	require.NoError(t, err)
	for n, st := range minimizeCountingReplays(t, f, 0, 1, 2, 5, 1000) {
		require.Equal(t, n <= st.Tried, st.Exhausted, "budget %d", n)
	}
}

// minimizeCountingReplays minimizes f with each budget, requires that it
// replayed the input once and then exactly the candidates it tried, at
// most the budget, and returns the stats by budget.
func minimizeCountingReplays(t *testing.T, f File, budgets ...int) map[int]Stats {
	t.Helper()
	stats := map[int]Stats{}
	for _, n := range budgets {
		replays := 0
		count := func(c *minimizeConfig) {
			c.replay = func(f File) run {
				replays++
				return replayTraced(f)
			}
		}
		_, st, err := Minimize(f, Budget(n), count)
		require.NoError(t, err)
		require.Equal(t, st.Tried+1, replays, "budget %d", n)
		require.LessOrEqual(t, st.Tried, n)
		stats[n] = st
	}
	return stats
}
