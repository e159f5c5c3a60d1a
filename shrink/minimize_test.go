package shrink_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// specMinimal is the size of spec §16's minimal counterexample of a bug
// as (operations + fault-plan entries, preemptions). A File encodes the
// operations as its client lines (NewDevice included), the fault plan as
// its fault lines, and the preemptions as its switches away from a
// runnable task (Switch.Preemptive); the free switches after a block or
// an exit are not counted, as in spec §14.6.
var specMinimal = map[sut.Bug][2]int{
	sut.BugH3:  {5, 1},
	sut.BugH4:  {4, 1},
	sut.BugH6:  {5, 0},
	sut.BugH7a: {1 + 1, 0},
	sut.BugH8:  {4, 0},
}

// minimized minimizes f and checks the contract: the result replays to
// its own expectation (Check), fails with f's invariant, is no larger
// than f, and minimizing again gives the same file and stats.
func minimized(t *testing.T, f shrink.File, opts ...shrink.MinimizeOption) (shrink.File, shrink.Stats) {
	t.Helper()
	g, st, err := shrink.Minimize(f, opts...)
	require.NoError(t, err)
	t.Logf("%s\n%s", st, g)
	require.NoError(t, shrink.Check(g), "the result replays to its Expect and Digest")
	require.Equal(t, f.Expect.Invariant, g.Expect.Invariant)
	v := shrink.Replay(g)
	require.NotNil(t, v.Failure)
	require.Equal(t, f.Expect.Invariant, v.Failure.Invariant)
	require.Equal(t, shrink.SizeOf(f), st.Before)
	require.Equal(t, shrink.SizeOf(g), st.After)
	require.LessOrEqual(t, st.After.Ops, st.Before.Ops)
	require.LessOrEqual(t, st.After.Faults, st.Before.Faults)
	require.LessOrEqual(t, st.After.Preemptions, st.Before.Preemptions)
	require.LessOrEqual(t, st.Accepted, st.Tried)

	again, st2, err := shrink.Minimize(f, opts...)
	require.NoError(t, err)
	require.Equal(t, g.String(), again.String(), "minimizing is deterministic")
	require.Equal(t, st, st2)
	return g, st
}

// atMostSpec asserts that a minimized file is no larger than spec §16's
// minimal counterexample of its bug.
func atMostSpec(t *testing.T, bug sut.Bug, st shrink.Stats) {
	t.Helper()
	want := specMinimal[bug]
	require.LessOrEqual(t, st.After.Ops+st.After.Faults, want[0], "operations + faults, spec minimal %v", want)
	require.LessOrEqual(t, st.After.Preemptions, want[1], "preemptions, spec minimal %v", want)
}

// Counterexamples of random walks over generated programs, with dozens of
// switches and unrelated drivers, clients and operations, minimize to at
// most the spec's minimal size. H3 and H4 need a preemption.
func TestMinimizeRandomWalksToTheSpecMinimal(t *testing.T) {
	for _, c := range []struct {
		bug sut.Bug
		n   int
	}{{sut.BugH6, 2}, {sut.BugH8, 2}, {sut.BugH7a, 2}, {sut.BugH3, 1}, {sut.BugH4, 2}} {
		vs, names := found(t, c.bug, c.n)
		for i, v := range vs {
			t.Run(names[i], func(t *testing.T) {
				f, err := shrink.FromVerdict(v, properties.Options{Bug: c.bug})
				require.NoError(t, err)
				_, st := minimized(t, f)
				require.False(t, st.Exhausted)
				if c.bug == sut.BugH4 && i == 0 {
					// A local minimum: every single edit of the result
					// loses the failure. See TestMinimizeStopsAtALocalMinimum.
					return
				}
				atMostSpec(t, c.bug, st)
			})
		}
	}
}

// The first random walk that finds H4 minimizes to a local minimum above
// the spec's size: each switch and operation left is needed by the
// others. This records the minimizer's limit; lower the bound when a pass
// gets further.
func TestMinimizeStopsAtALocalMinimum(t *testing.T) {
	vs, _ := found(t, sut.BugH4, 1)
	f, err := shrink.FromVerdict(vs[0], properties.Options{Bug: sut.BugH4})
	require.NoError(t, err)
	_, st := minimized(t, f)
	require.Less(t, st.After.Ops, st.Before.Ops)
	require.Less(t, st.After.Preemptions, st.Before.Preemptions)
	// Deletion alone stops at (7, 0, 9); merging and simplifying get to
	// (6, 0, 4).
	require.LessOrEqual(t, st.After.Ops, 6)
	require.LessOrEqual(t, st.After.Preemptions, 4)
}

// padded is spec §16's minimal program m with irrelevant parts: a device
// created first in client 1 (so that the others are renumbered), a
// registered driver and a module, a fault that never hits, and a busy
// second client (which adds no device: it would take the fault's hit),
// before or after client 1.
func padded(m properties.Program, busyFirst bool) properties.Program {
	p := m
	ops := []properties.Op{op(properties.OpNewDevice, 0, "c"), {Kind: properties.OpModuleLoad, Module: "M", Dev: -1, Parent: -1, Ref: -1}}
	for _, o := range m.Clients[0] {
		if o.Dev >= 0 {
			o.Dev++
		}
		if o.Kind == properties.OpDevres && o.Ref >= 0 {
			o.Ref++
		}
		ops = append(ops, o)
	}
	ops = append(ops, op(properties.OpRegister, 0, ""), op(properties.OpUnregister, 0, ""))
	busy := []properties.Op{
		{Kind: properties.OpDriverRegister, Driver: "C", Dev: -1, Parent: -1, Ref: -1},
		op(properties.OpNewDevice, 0, "b"), op(properties.OpGet, 0, ""), op(properties.OpPut, 0, ""),
		{Kind: properties.OpWaitForProbe, Dev: -1, Parent: -1, Ref: -1},
	}
	p.Clients = [][]properties.Op{ops, busy}
	if busyFirst {
		p.Clients = [][]properties.Op{busy, ops}
	}
	p.Drivers = []properties.Driver{
		{Name: "B", Module: "M", Match: map[string]properties.MatchResult{"c": properties.MatchYes},
			Probe:  map[string]properties.ProbeScript{"c": {Actions: []properties.Action{{Kind: properties.ActDevres}}}},
			Remove: map[string]properties.RemoveScript{"c": {UseDevres: true}}},
		{Name: "C", ProbeType: properties.ForceSync, Match: map[string]properties.MatchResult{"b": properties.MatchYes, "a": properties.MatchNo},
			Probe: map[string]properties.ProbeScript{"b": {Actions: []properties.Action{{Kind: properties.ActDevresSelf}}, Result: properties.ProbeNoDev}}},
	}
	p.Modules = []properties.Module{{Name: "M", Drivers: []string{"B"}, AsyncProbe: true}}
	p.Faults = append(slices.Clone(m.Faults), sched.Fault{Point: "F-DRV-GROUPS", Nth: 9, Value: 1})
	return p
}

// Spec §16's minimal programs, padded with irrelevant operations, drivers,
// a module, a fault and a client, minimize back to at most their size,
// to the same file whichever client comes first.
func TestMinimizePaddedSpecPrograms(t *testing.T) {
	for _, m := range minimal {
		t.Run(string(m.bug), func(t *testing.T) {
			opt := properties.Options{Bug: m.bug}
			var results []string
			for _, busyFirst := range []bool{false, true} {
				v := properties.Execute(padded(m.program, busyFirst), sched.Canonical(), opt)
				require.NotNil(t, v.Failure, "%s", v)
				require.Equal(t, m.want, v.Failure.Invariant, "%s", v)
				f, err := shrink.FromVerdict(v, opt)
				require.NoError(t, err)
				g, st := minimized(t, f)
				atMostSpec(t, m.bug, st)
				require.Zero(t, st.After.Drivers)
				require.Zero(t, st.After.Modules)
				results = append(results, g.String())
			}
			require.Equal(t, results[0], results[1], "the result does not depend on the order of the clients")
		})
	}
}

// A budget of n replays at most n candidates, and what it returns still
// fails with the invariant.
func TestMinimizeRespectsTheBudget(t *testing.T) {
	vs, _ := found(t, sut.BugH6, 1)
	f, err := shrink.FromVerdict(vs[0], properties.Options{Bug: sut.BugH6})
	require.NoError(t, err)
	for _, n := range []int{0, 1, 3, 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			g, st := minimized(t, f, shrink.Budget(n))
			require.LessOrEqual(t, st.Tried, n)
			require.True(t, st.Exhausted)
			if n == 0 {
				require.Equal(t, st.Before, st.After)
				require.Equal(t, f.Schedule, g.Schedule)
			}
		})
	}
}

// Minimize refuses a file that does not fail as it expects.
func TestMinimizeNeedsAFailure(t *testing.T) {
	m := minimal[1] // H6
	opt := properties.Options{Bug: m.bug}
	f, err := shrink.FromVerdict(properties.Execute(m.program, sched.Canonical(), opt), opt)
	require.NoError(t, err)

	fixed := f
	fixed.Options.Bug = sut.BugNone
	_, _, err = shrink.Minimize(fixed)
	require.ErrorIs(t, err, shrink.ErrNotFailing)
	require.ErrorContains(t, err, "want DEL-ONCE, got pass")

	pass := f
	pass.Expect = shrink.Expect{}
	_, _, err = shrink.Minimize(pass)
	require.ErrorIs(t, err, shrink.ErrNotFailing)
}
