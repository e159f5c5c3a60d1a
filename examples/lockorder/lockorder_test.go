package lockorder_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/check"
	"github.com/devstress/devstress/examples/lockorder"
	"github.com/devstress/devstress/internal/examplebench"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// twoWays is the test: one task moves 10 from a to b while another moves 5
// from b to a; afterwards no money is lost.
func twoWays(transfer func(from, to *lockorder.Account, n int)) check.Setup {
	return func(rt sched.Runtime) func() error {
		a := lockorder.NewAccount(rt, "a", 1, 100)
		b := lockorder.NewAccount(rt, "b", 2, 100)
		rt.Go("a to b", func() { transfer(a, b, 10) })
		rt.Go("b to a", func() { transfer(b, a, 5) })
		return func() error {
			if got := a.Balance() + b.Balance(); got != 200 {
				return fmt.Errorf("total %d, want 200", got)
			}
			return nil
		}
	}
}

func TestFixedTransfersDoNotDeadlock(t *testing.T) {
	check.Run(t, twoWays(lockorder.FixedTransfer))
}

// The deadlock is found and shrunk to one preemption: the first transfer
// is switched away from between its two locks.
func TestOppositeTransfersDeadlock(t *testing.T) {
	f := check.Find(twoWays(lockorder.Transfer))
	require.NotNil(t, f, "check did not find the deadlock")
	t.Log(f)
	var de *sched.DeadlockError
	require.ErrorAs(t, f.Err, &de)
	require.EqualError(t, f.Err, "sched: deadlock at step 4: T1 (a to b) waits for lock b held by T2; T2 (b to a) waits for lock a held by T1")
	require.Equal(t, 1, f.Trace.Preemptions())
}

// BenchmarkFindAndShrink is the time check.Find takes to find the bug and
// shrink it, with the size check measures and a size set by hand.
func BenchmarkFindAndShrink(b *testing.B) { examplebench.FindAndShrink(b, twoWays(lockorder.Transfer)) }
