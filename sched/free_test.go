package sched_test

import (
	"errors"
	"testing"
	"time"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The correct twins of the bug kernels run clean on real goroutines: under
// go test -race this is where a missing lock would show as a data race.
func TestFreeRunsTheCorrectKernels(t *testing.T) {
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			for seed := range uint64(50) {
				f := sched.NewFree(seed)
				check := k.build(f, false)
				require.NoError(t, f.Run())
				require.NoError(t, check())
			}
			goleak.VerifyNone(t)
		})
	}
}

func TestFreeReportsRelock(t *testing.T) {
	f := sched.NewFree(1)
	m := f.NewMutex("dev:a")
	f.Go("t", func() { m.Lock(); m.Lock() })
	var re *sched.RelockError
	require.ErrorAs(t, f.Run(), &re)
	require.Equal(t, "dev:a", re.Mutex)
}

func TestFreeReportsPanicAndFail(t *testing.T) {
	f := sched.NewFree(1)
	f.Go("t", func() { panic("boom") })
	var pe *sched.PanicError
	require.ErrorAs(t, f.Run(), &pe)
	require.Equal(t, "boom", pe.Value)

	sentinel := errors.New("broken")
	f = sched.NewFree(1)
	blocked := f.NewCompletion("never")
	f.Go("waiter", func() { blocked.Wait() })
	f.Go("failer", func() { f.Fail(sentinel) })
	require.ErrorIs(t, f.Run(), sentinel, "Fail ends the run and releases the waiting task")
}

// A livelock is seen only by the timeout: the tasks keep running.
func TestFreeTimesOutOnAHangAndCleansUp(t *testing.T) {
	f := sched.NewFree(1, sched.Timeout(50*time.Millisecond))
	for range 2 {
		f.Go("spin", func() {
			for {
				f.Yield("spin")
			}
		})
	}
	var he *sched.HangError
	require.ErrorAs(t, f.Run(), &he)
	require.False(t, he.Stuck, "spinning tasks must be stopped by the abort")
	require.Contains(t, he.Stack, "goroutine")
	goleak.VerifyNone(t)
}

// A deadlock in the runtime's primitives is reported at once, long before
// the timeout, with who waits for what, and the blocked tasks are released.
func TestFreeReportsADeadlockAtOnce(t *testing.T) {
	for seed := range uint64(20) {
		f := sched.NewFree(seed, sched.Timeout(time.Minute))
		a, b := f.NewMutex("A"), f.NewMutex("B")
		locked := f.NewCounter("locked")
		gate := f.NewGate("never")
		locked.Add(2)
		f.Go("ab", func() { a.Lock(); locked.Add(-1); locked.Wait(); b.Lock() })
		f.Go("ba", func() { b.Lock(); locked.Add(-1); locked.Wait(); a.Lock() })
		f.Go("gated", func() { gate.Wait() })
		start := time.Now()
		err := f.Run()
		var de *sched.DeadlockError
		require.ErrorAs(t, err, &de, "seed %d", seed)
		require.Less(t, time.Since(start), 30*time.Second, "the deadlock waited for the timeout")
		require.ElementsMatch(t, []sched.Wait{
			{Task: 1, Name: "ab", Kind: "lock", On: "B", Holder: 2},
			{Task: 2, Name: "ba", Kind: "lock", On: "A", Holder: 1},
			{Task: 3, Name: "gated", Kind: "gate", On: "never"},
		}, de.Waits, "seed %d", seed)
		goleak.VerifyNone(t)
	}
}

// No deadlock is reported while a task can still run: tasks that block
// and are woken again and again, on every primitive, finish.
func TestFreeNoFalseDeadlock(t *testing.T) {
	for seed := range uint64(20) {
		f := sched.NewFree(seed, sched.Timeout(time.Minute))
		m := f.NewMutex("m")
		n := f.NewCounter("n")
		done := f.NewCompletion("done")
		total := 0
		for range 4 {
			n.Add(1)
			f.Go("worker", func() {
				for range 200 {
					m.Lock()
					total++
					m.Unlock()
				}
				n.Add(-1)
			})
		}
		f.Go("waiter", func() { n.Wait(); done.Complete() })
		f.Go("last", func() { done.Wait() })
		require.NoError(t, f.Run(), "seed %d", seed)
		require.Equal(t, 800, total)
	}
}

func TestFreePrimitivesAndDecideRate(t *testing.T) {
	for _, rate := range []float64{0, 1} {
		f := sched.NewFree(7, sched.DecideRate(rate))
		done := f.NewCompletion("done")
		n := f.NewCounter("n")
		n.Add(3)
		seen := make([]int, 3)
		for i := range seen {
			f.Go("worker", func() {
				seen[i] = f.Decide("F-X", 2)
				n.Add(-1)
			})
		}
		f.Go("waiter", func() { n.Wait(); done.Complete() })
		require.NoError(t, f.Run())
		require.True(t, done.Done())
		require.Equal(t, 0, n.Value())
		want := 0
		if rate == 1 {
			want = 1
		}
		require.Equal(t, []int{want, want, want}, seen)
	}
}
