package sched_test

import (
	"flag"
	"fmt"
	"sync"
	"testing"

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

// failingTB is a rapid.TB that records a failure instead of failing the
// test, so that a test can assert that rapid finds and shrinks a bug.
type failingTB struct {
	name   string
	mu     sync.Mutex
	failed bool
	msgs   []string
}

func (f *failingTB) Helper()                        {}
func (f *failingTB) Name() string                   { return f.name }
func (f *failingTB) Logf(string, ...any)            {}
func (f *failingTB) Log(...any)                     {}
func (f *failingTB) Skipf(format string, a ...any)  { panic("skip: " + fmt.Sprintf(format, a...)) }
func (f *failingTB) Skip(a ...any)                  { panic(fmt.Sprint(a...)) }
func (f *failingTB) SkipNow()                       { panic("skip") }
func (f *failingTB) Errorf(format string, a ...any) { f.fail(fmt.Sprintf(format, a...)) }
func (f *failingTB) Error(a ...any)                 { f.fail(fmt.Sprint(a...)) }
func (f *failingTB) Fatalf(format string, a ...any) { f.fail(fmt.Sprintf(format, a...)) }
func (f *failingTB) Fatal(a ...any)                 { f.fail(fmt.Sprint(a...)) }
func (f *failingTB) FailNow()                       { f.fail("") }
func (f *failingTB) Fail()                          { f.fail("") }
func (f *failingTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

func (f *failingTB) fail(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = true
	if msg != "" {
		f.msgs = append(f.msgs, msg)
	}
}

// rapidChecks is the budget within which rapidFails expects rapid to find
// a failure.
const rapidChecks = "1000"

// rapidFails runs rapid.Check on prop with up to rapidChecks checks,
// expecting it to fail, without writing a fail file. It returns whether it
// failed and rapid's report.
func rapidFails(t *testing.T, prop func(*rapid.T)) (bool, []string) {
	t.Helper()
	setFlag(t, "rapid.nofailfile", "true")
	setFlag(t, "rapid.checks", rapidChecks)
	tb := &failingTB{name: t.Name()}
	rapid.Check(tb, prop)
	return tb.Failed(), tb.msgs
}

// setFlag sets a command-line flag for the rest of the test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	old := flag.Lookup(name).Value.String()
	if err := flag.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set(name, old) })
}
