package bank_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/check"
	"github.com/devstress/devstress/examples/bank"
	"github.com/devstress/devstress/internal/examplebench"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// account is what both twins offer.
type account interface {
	Deposit(n int)
	Balance() int
}

// twoDeposits is the test: two tasks deposit 10 each into a new account;
// afterwards the balance must be 20.
func twoDeposits[A account](newAccount func(sched.Runtime) A) check.Setup {
	return func(rt sched.Runtime) func() error {
		acct := newAccount(rt)
		rt.Go("alice", func() { acct.Deposit(10) })
		rt.Go("bob", func() { acct.Deposit(10) })
		return func() error {
			if b := acct.Balance(); b != 20 {
				return fmt.Errorf("balance %d after two deposits of 10", b)
			}
			return nil
		}
	}
}

func TestFixedAccountKeepsEveryDeposit(t *testing.T) {
	check.Run(t, twoDeposits(bank.NewFixedAccount))
}

// The lost update is found and shrunk to one preemption: alice is switched
// away from between her read and her write.
func TestAccountLosesADeposit(t *testing.T) {
	f := check.Find(twoDeposits(bank.NewAccount))
	require.NotNil(t, f, "check did not find the lost update")
	t.Log(f)
	require.True(t, f.Final)
	require.EqualError(t, f.Err, "balance 10 after two deposits of 10")
	require.Equal(t, 1, f.Trace.Preemptions())
}

// BenchmarkFindAndShrink is the time check.Find takes to find the bug and
// shrink it, with the size check measures and a size set by hand.
func BenchmarkFindAndShrink(b *testing.B) {
	examplebench.FindAndShrink(b, twoDeposits(bank.NewAccount))
}
