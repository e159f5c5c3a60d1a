package sched_test

import (
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// manyTasks is a lost update between the first two of eleven tasks (the
// twin locks around the increment); the other nine lock a shared mutex
// and yield, so every block and exit is a switch among up to ten ready
// tasks. It is not in kernels: a preemption bound cannot enumerate it.
var manyTasks = kernel{
	name: "lost update among eleven tasks", preemptions: 1,
	build: func(rt sched.Runtime, buggy bool) func() error {
		x := 0
		inc := rt.NewMutex("inc")
		for range 2 {
			rt.Go("inc", func() {
				if !buggy {
					inc.Lock()
					defer inc.Unlock()
				}
				v := x
				rt.Yield("between read and write")
				x = v + 1
			})
		}
		m := rt.NewMutex("m")
		for range 9 {
			rt.Go("noise", func() {
				m.Lock()
				rt.Yield("holding m")
				m.Unlock()
				rt.Yield("after m")
			})
		}
		return func() error {
			if x != 2 {
				return bugf("x = %d after two increments", x)
			}
			return nil
		}
	},
}

// findIn runs e's runs of manyTasks until one fails, and returns how many
// runs that took (0: none failed).
func findIn(t *testing.T, e *sched.Exhaustive) int {
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		if _, err := runKernel(s, manyTasks, true); err != nil {
			require.ErrorIs(t, err, errBug)
			return e.Runs()
		}
	}
	return 0
}

// With eleven tasks, a preemption bound of 1 spends a budget of 1000 runs
// on the orders of the free switches and never reaches the one preemption
// the bug needs; a delay bound of 1 counts those switches too and finds it
// within the budget.
func TestExhaustiveDelayBoundReachesManyTaskBugs(t *testing.T) {
	const budget = 1000
	pre := sched.NewExhaustive(1, sched.ExhaustiveBudget(budget))
	require.Zero(t, findIn(t, pre), "the preemption bound found it: the test no longer shows the difference")
	require.Equal(t, budget, pre.Runs())
	require.False(t, pre.Complete())

	del := sched.NewExhaustive(1, sched.CountDelays(), sched.ExhaustiveBudget(budget))
	n := findIn(t, del)
	require.NotZero(t, n, "the delay bound did not find the bug in %d runs", budget)
	t.Logf("delay bound 1: found after %d runs", n)
}

// A delay bound enumerates a finite space that a budget does not cut short:
// the eleven-task program's runs within one delay, each once.
func TestExhaustiveDelayBoundCompletes(t *testing.T) {
	e := sched.NewExhaustive(1, sched.CountDelays())
	digests := map[string]bool{}
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		tr, _ := runKernel(s, manyTasks, true)
		d := tr.Digest()
		require.False(t, digests[d], "run %d repeats an earlier one", e.Runs())
		digests[d] = true
	}
	require.True(t, e.Complete())
	t.Logf("%d runs within one delay", e.Runs())
	require.Less(t, e.Runs(), 2000)

	twin := sched.NewExhaustive(1, sched.CountDelays())
	for s, ok := twin.Next(); ok; s, ok = twin.Next() {
		_, err := runKernel(s, manyTasks, false)
		require.NoError(t, err, "false alarm on the correct twin, run %d", twin.Runs())
	}
	require.True(t, twin.Complete())
}
