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

func TestFreeTimesOutOnAHangAndCleansUp(t *testing.T) {
	f := sched.NewFree(1, sched.Timeout(50*time.Millisecond))
	a, b := f.NewMutex("A"), f.NewMutex("B")
	locked := f.NewCounter("locked")
	locked.Add(2)
	f.Go("ab", func() { a.Lock(); locked.Add(-1); locked.Wait(); b.Lock() })
	f.Go("ba", func() { b.Lock(); locked.Add(-1); locked.Wait(); a.Lock() })
	var he *sched.HangError
	require.ErrorAs(t, f.Run(), &he)
	require.False(t, he.Stuck, "blocked tasks must be released by the abort")
	require.Contains(t, he.Stack, "goroutine")
	goleak.VerifyNone(t)
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
