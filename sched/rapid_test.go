package sched_test

import (
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"pgregory.net/rapid"
)

// While rapid shrinks, its draws run out of recorded data and panic in the
// middle of runs; every such run must still end all its tasks.
func TestShrinkingAbortsLeaveNoGoroutine(t *testing.T) {
	others := goleak.IgnoreCurrent()
	started, finished := 0, 0
	failed, msgs := rapidFails(t, func(rt *rapid.T) {
		started++
		c := sched.NewControlled(sched.Rapid(rt, sched.RapidSize(6, 8)))
		defer c.Close()
		m := c.NewMutex("m")
		x := 0
		for range 6 {
			c.Go("w", func() {
				m.Lock() // contended: choices at blocks draw from rapid mid-run
				v := x
				m.Unlock()
				c.Yield("between")
				m.Lock()
				x = v + 1
				m.Unlock()
			})
		}
		err := c.Run()
		finished++
		require.NoError(rt, err)
		if x != 6 {
			rt.Fatalf("lost update: x = %d", x)
		}
	})
	require.True(t, failed)
	require.Contains(t, msgs[0], "lost update")
	require.Greater(t, started, finished, "no run was aborted mid-way: the test does not exercise aborts")
	goleak.VerifyNone(t, others) // goroutines left behind by aborted runs
}

// twelveTasks is a lost update between the last two of twelve tasks, past
// Rapid's default size (4 tasks): the ten before them lock a shared mutex
// around a yield. The twin locks around the increment.
var twelveTasks = kernel{
	name: "lost update between tasks 11 and 12", preemptions: 1,
	build: func(rt sched.Runtime, buggy bool) func() error {
		m, inc := rt.NewMutex("m"), rt.NewMutex("inc")
		for range 10 {
			rt.Go("noise", func() {
				m.Lock()
				rt.Yield("holding m")
				m.Unlock()
			})
		}
		x := 0
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
		return func() error {
			if x != 2 {
				return bugf("x = %d after two increments", x)
			}
			return nil
		}
	},
}

// Rapid with no options grows past its size on demand: it finds a bug
// between tasks 11 and 12 and shrinks it to its one preemption, and the
// correct twin passes.
func TestRapidGrowsPastItsSize(t *testing.T) {
	var last *sched.Trace
	runs, found := 0, 0
	failed, msgs := rapidFails(t, func(rt *rapid.T) {
		runs++
		tr, err := runKernel(sched.Rapid(rt), twelveTasks, true)
		if err != nil {
			last = tr
			if found == 0 {
				found = runs
			}
			rt.Fatalf("%v", err)
		}
	})
	require.True(t, failed, "rapid did not find the bug")
	t.Logf("found at run %d, shrunk within %d runs", found, runs)
	require.NotContains(t, msgs[0], "flaky")
	require.Equal(t, 1, last.Preemptions(), "shrunk schedule:\n%s", last)
	rapid.Check(t, func(rt *rapid.T) {
		_, err := runKernel(sched.Rapid(rt), twelveTasks, false)
		require.NoError(rt, err)
	})
}
