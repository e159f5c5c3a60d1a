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
