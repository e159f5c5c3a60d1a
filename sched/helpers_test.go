package sched_test

import (
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/sched"
	"pgregory.net/rapid"
)

// note is the event type of these tests.
type note string

func (n note) String() string { return string(n) }

// run builds a program on a fresh controlled runtime steered by s, runs it
// and returns the trace, the decisions and the error.
func run(s sched.Strategy, build func(rt sched.Runtime), opts ...sched.Option) (*sched.Trace, []sched.Decision, error) {
	c := sched.NewControlled(s, opts...)
	defer c.Close()
	build(c)
	err := c.Run()
	return c.Trace(), c.Decisions(), err
}

// errText renders err for comparisons ("" for nil).
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// rapidChecks is the budget within which rapidFails expects rapid to find
// a failure.
const rapidChecks = 1000

// rapidFails runs prop expecting rapid to find a failure within
// rapidChecks checks.
func rapidFails(t *testing.T, prop func(*rapid.T)) (bool, []string) {
	t.Helper()
	return rapidtest.Failing(t, rapidChecks, prop)
}
