package rapidsched_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sched/rapidsched"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"pgregory.net/rapid"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// rapidFails runs prop expecting rapid to find a failure within 1000
// checks.
func rapidFails(t *testing.T, prop func(*rapid.T)) (bool, []string) {
	t.Helper()
	return rapidtest.Failing(t, 1000, prop)
}

// While rapid shrinks, its draws run out of recorded data and panic in the
// middle of runs; every such run must still end all its tasks.
func TestShrinkingAbortsLeaveNoGoroutine(t *testing.T) {
	others := goleak.IgnoreCurrent()
	started, finished := 0, 0
	failed, msgs := rapidFails(t, func(rt *rapid.T) {
		started++
		c := sched.NewControlled(rapidsched.New(rt, rapidsched.Size(6, 8)))
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

// twelveTasks runs one schedule of a lost update between the last two of
// twelve tasks, past the strategy's default size (4 tasks): the ten before
// them lock a shared mutex around a yield. The correct twin locks around
// the increment. It returns the trace and the bug, if the run showed it.
func twelveTasks(s sched.Strategy, buggy bool) (*sched.Trace, error) {
	c := sched.NewControlled(s)
	defer c.Close()
	m, inc := c.NewMutex("m"), c.NewMutex("inc")
	for range 10 {
		c.Go("noise", func() {
			m.Lock()
			c.Yield("holding m")
			m.Unlock()
		})
	}
	x := 0
	for range 2 {
		c.Go("inc", func() {
			if !buggy {
				inc.Lock()
				defer inc.Unlock()
			}
			v := x
			c.Yield("between read and write")
			x = v + 1
		})
	}
	if err := c.Run(); err != nil {
		return c.Trace(), err
	}
	if x != 2 {
		return c.Trace(), fmt.Errorf("x = %d after two increments", x)
	}
	return c.Trace(), nil
}

// The strategy with no options grows past its size on demand: it finds a
// bug between tasks 11 and 12 and shrinks it to its one preemption, and
// the correct twin passes.
func TestGrowsPastItsSize(t *testing.T) {
	var last *sched.Trace
	runs, found := 0, 0
	failed, msgs := rapidFails(t, func(rt *rapid.T) {
		runs++
		tr, err := twelveTasks(rapidsched.New(rt), true)
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
		_, err := twelveTasks(rapidsched.New(rt), false)
		require.NoError(rt, err)
	})
}

// BenchmarkShrinkTwoTasks is the time rapid takes to find and shrink a lost
// update between two tasks, with the default size against the old default
// (8 tasks, 64 points) and a size set by hand to the program (2, 4): the
// drawn set grows with the size, and so does the time to shrink it. runs
// counts the runs per find-and-shrink.
func BenchmarkShrinkTwoTasks(b *testing.B) {
	for _, size := range []struct {
		name string
		opts []rapidsched.Option
	}{{"default", nil}, {"8x64", []rapidsched.Option{rapidsched.Size(8, 64)}}, {"2x4", []rapidsched.Option{rapidsched.Size(2, 4)}}} {
		b.Run(size.name, func(b *testing.B) {
			runs := 0
			for range b.N {
				failed, _ := rapidtest.Failing(b, 1000, func(rt *rapid.T) {
					runs++
					c := sched.NewControlled(rapidsched.New(rt, size.opts...))
					defer c.Close()
					x := 0
					for range 2 {
						c.Go("inc", func() {
							v := x
							c.Yield("between read and write")
							x = v + 1
						})
					}
					require.NoError(rt, c.Run())
					if x != 2 {
						rt.Fatalf("x = %d", x)
					}
				})
				require.True(b, failed)
			}
			b.ReportMetric(float64(runs)/float64(b.N), "runs")
		})
	}
}
