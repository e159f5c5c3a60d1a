// Package bank is a bank account shared by concurrent tasks, written
// against sched.Runtime so that package check can test it. Account has a
// lost update; FixedAccount is its correct twin.
package bank

import "github.com/devstress/devstress/sched"

// Account is an account whose Deposit forgets its lock: it reads the
// balance and writes it back, and another deposit in between is lost.
type Account struct {
	rt      sched.Runtime
	balance int
}

// NewAccount returns an empty account.
func NewAccount(rt sched.Runtime) *Account { return &Account{rt: rt} }

// Deposit adds n to the balance, without the lock: the bug.
func (a *Account) Deposit(n int) {
	b := a.balance
	a.rt.Yield("deposit: read") // where a real goroutine could be preempted
	a.balance = b + n
}

// Balance returns the balance.
func (a *Account) Balance() int { return a.balance }

// FixedAccount is Account with the lock held across the read and the
// write.
type FixedAccount struct {
	rt      sched.Runtime
	mu      sched.Mutex
	balance int
}

// NewFixedAccount returns an empty account.
func NewFixedAccount(rt sched.Runtime) *FixedAccount {
	return &FixedAccount{rt: rt, mu: rt.NewMutex("account")}
}

// Deposit adds n to the balance.
func (a *FixedAccount) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.balance
	a.rt.Yield("deposit: read")
	a.balance = b + n
}

// Balance returns the balance.
func (a *FixedAccount) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}
