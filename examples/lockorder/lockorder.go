// Package lockorder moves money between accounts, each with its own lock,
// written against sched.Runtime so that package check can test it.
// Transfer locks the two accounts in argument order, so two opposite
// transfers can deadlock (ABBA); FixedTransfer is its correct twin.
package lockorder

import "github.com/devstress/devstress/sched"

// Account is an account with its own lock.
type Account struct {
	id      int
	mu      sched.Mutex
	balance int
}

// NewAccount returns an account; id orders the accounts' locks.
func NewAccount(rt sched.Runtime, name string, id, balance int) *Account {
	return &Account{id: id, mu: rt.NewMutex(name), balance: balance}
}

// Balance returns the balance.
func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// Transfer moves n from one account to the other, locking from, then to:
// the bug, a transfer the other way locks them in the other order.
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// FixedTransfer is Transfer locking the accounts in the order of their
// ids, whichever way the money goes.
func FixedTransfer(from, to *Account, n int) {
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}
