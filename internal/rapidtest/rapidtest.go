// Package rapidtest runs rapid properties that are expected to fail, so
// that a test can assert that rapid finds a bug and inspect how far it
// shrank it.
package rapidtest

import (
	"flag"
	"fmt"
	"sync"
	"testing"

	"pgregory.net/rapid"
)

// Failing runs rapid.Check on prop with up to checks test cases, without
// failing t and without writing a fail file. It reports whether prop failed
// and rapid's messages. rapid's last call of prop is its final, shrunk
// failing case, so a prop that records what it saw on failure holds the
// minimal case when Failing returns.
func Failing(t testing.TB, checks int, prop func(*rapid.T)) (failed bool, msgs []string) {
	t.Helper()
	SetFlag(t, "rapid.nofailfile", "true")
	SetFlag(t, "rapid.checks", fmt.Sprint(checks))
	tb := &recorder{name: t.Name()}
	rapid.Check(tb, prop)
	return tb.Failed(), tb.msgs
}

// SetFlag sets a command-line flag (rapid's are read at each Check) for the
// rest of the test.
func SetFlag(t testing.TB, name, value string) {
	t.Helper()
	commandLine()
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := flag.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set(name, old) })
}

// IsSet reports whether the command line set flag name. flag.Set marks a
// flag as set too, so the flags the command line set are recorded before
// this package sets any (SetFlag) and looked up there.
func IsSet(name string) bool {
	return commandLine()[name]
}

// commandLine returns the flags set on the command line, recorded at the
// first call: before SetFlag first changes one (SetFlag calls it).
var commandLine = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
})

// recorder is a rapid.TB that records a failure instead of failing.
type recorder struct {
	name   string
	mu     sync.Mutex
	failed bool
	msgs   []string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Name() string                   { return r.name }
func (r *recorder) Logf(string, ...any)            {}
func (r *recorder) Log(...any)                     {}
func (r *recorder) Skipf(format string, a ...any)  { panic("skip: " + fmt.Sprintf(format, a...)) }
func (r *recorder) Skip(a ...any)                  { panic(fmt.Sprint(a...)) }
func (r *recorder) SkipNow()                       { panic("skip") }
func (r *recorder) Errorf(format string, a ...any) { r.fail(fmt.Sprintf(format, a...)) }
func (r *recorder) Error(a ...any)                 { r.fail(fmt.Sprint(a...)) }
func (r *recorder) Fatalf(format string, a ...any) { r.fail(fmt.Sprintf(format, a...)) }
func (r *recorder) Fatal(a ...any)                 { r.fail(fmt.Sprint(a...)) }
func (r *recorder) FailNow()                       { r.fail("") }
func (r *recorder) Fail()                          { r.fail("") }

func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recorder) fail(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	if msg != "" {
		r.msgs = append(r.msgs, msg)
	}
}
