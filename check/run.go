package check

import (
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/devstress/devstress/sched"
	"pgregory.net/rapid"
)

// Run tests the program setup builds under schedules drawn by rapid
// (rapid.Check with rapidsched.New) and fails t on the first failing one,
// after shrinking it to the fewest preemptions it needs: the report gives
// the error, the shrunk run one lane per task, and rapid's line to replay
// it (-run=... -rapid.failfile=... or -rapid.seed=...). rapid's flags
// (-rapid.checks, default 100, -rapid.seed, ...) apply.
//
// Preemptions are drawn among the tasks and scheduling points of the
// program, measured on a canonical run and a few random walks, or set with
// [Size]. If some run reaches further, Run logs it: preemptions were never
// drawn there (go test -v shows it).
//
// Built with -race, Run then runs setup on real goroutines ([sched.Free],
// [FreeRuns] times), where the race detector sees data races between yield
// points; such a failure is reported with its trace but cannot be replayed.
func Run(t testing.TB, setup Setup, opts ...Option) {
	t.Helper()
	s := newSearch(setup, opts)
	t.Logf("check: preemptions drawn among %s", s.sizeNote())
	s.start = time.Now()
	rapid.Check(t, s.prop)
	if note := s.blindNote(); note != "" {
		t.Log(note)
	}
	if raceEnabled {
		s.free(t)
	}
}

// free runs setup on real goroutines and fails t on the first failure.
func (s *search) free(t testing.TB) {
	t.Helper()
	for seed := range uint64(s.freeRuns) {
		if f, _ := runOnce(sched.NewFree(seed), s.setup); f != nil {
			t.Fatalf("check: on real goroutines (sched.Free, seed %d; not replayable): %v", seed, f)
		}
	}
}

// Find searches like Run, without the runs on real goroutines, and returns
// the shrunk failure instead of failing a test, or nil when rapid's checks
// all pass: a test asserts with it that a bug is found. It uses a fixed
// seed unless -rapid.seed is set, so that it finds the same failure on
// every run, and writes no fail file.
//
// Find sets rapid's flags for its duration: call it from a test or an
// example (rapid needs the testing flags), not from parallel tests.
func Find(setup Setup, opts ...Option) *Failure {
	s := newSearch(setup, opts)
	restore := setFlags(map[string]string{"rapid.nofailfile": "true", "rapid.failfile": ""})
	defer restore()
	if flag.Lookup("rapid.seed").Value.String() == "0" {
		defer setFlags(map[string]string{"rapid.seed": "1"})()
	}
	s.start = time.Now()
	rapid.Check(&quiet{}, s.prop)
	return s.last
}

// setFlags sets command-line flags and returns the function that restores
// them.
func setFlags(values map[string]string) (restore func()) {
	old := map[string]string{}
	for name, v := range values {
		f := flag.Lookup(name)
		old[name] = f.Value.String()
		mustSet(name, v)
	}
	return func() {
		for name, v := range old {
			mustSet(name, v)
		}
	}
}

func mustSet(name, value string) {
	if err := flag.Set(name, value); err != nil {
		panic(fmt.Sprintf("check: setting -%s: %v", name, err))
	}
}

// quiet is the rapid.TB of Find: it discards rapid's output and records
// only whether rapid failed. rapid never skips a whole check.
type quiet struct {
	mu     sync.Mutex
	failed bool
}

func (*quiet) Helper()             {}
func (*quiet) Name() string        { return "check.Find" }
func (*quiet) Logf(string, ...any) {}
func (*quiet) Log(...any)          {}
func (*quiet) Skipf(string, ...any) {
	panic("check: Find skipped")
}
func (*quiet) Skip(...any)             { panic("check: Find skipped") }
func (*quiet) SkipNow()                { panic("check: Find skipped") }
func (q *quiet) Errorf(string, ...any) { q.Fail() }
func (q *quiet) Error(...any)          { q.Fail() }
func (q *quiet) Fatalf(string, ...any) { q.Fail() }
func (q *quiet) Fatal(...any)          { q.Fail() }
func (q *quiet) FailNow()              { q.Fail() }

func (q *quiet) Fail() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.failed = true
}

func (q *quiet) Failed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.failed
}
