package conc_test

import (
	"fmt"

	"github.com/devstress/devstress/conc"
	"github.com/devstress/devstress/sched"
)

// Account is code under test: it knows only conc.Runtime.
type Account struct {
	mu      conc.Mutex
	balance int
}

func NewAccount(rt conc.Runtime) *Account { return &Account{mu: rt.NewMutex("account")} }

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
}

// Code written against conc.Runtime runs on either of sched's runtimes; a
// test picks one.
func Example() {
	c := sched.NewControlled(sched.Canonical())
	defer c.Close()
	acct := NewAccount(c)
	for range 3 {
		c.Go("deposit", func() { acct.Deposit(10) })
	}
	if err := c.Run(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(acct.balance)
	// Output: 30
}
