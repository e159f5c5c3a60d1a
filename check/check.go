// Package check tests concurrent code written against [sched.Runtime] in a
// few lines: it runs the code under many interleavings chosen by rapid,
// shrinks a failing one to the fewest preemptions it needs, and prints its
// trace, one lane per task, with the line that replays it.
//
//	func TestAccount(t *testing.T) {
//		check.Run(t, func(rt sched.Runtime) func() error {
//			acct := bank.New(rt)
//			rt.Go("alice", func() { acct.Deposit(10) })
//			rt.Go("bob", func() { acct.Deposit(10) })
//			return func() error { // the final check, after every task
//				if b := acct.Balance(); b != 20 {
//					return fmt.Errorf("balance %d after two deposits of 10", b)
//				}
//				return nil
//			}
//		})
//	}
//
// A run fails when a task panics, when the tasks deadlock or a task locks a
// mutex it holds, when the code calls rt.Fail (from a task or from the
// final check), or when the final check returns an error.
//
// The controlled runtime switches tasks only at rt.Yield, at Lock and at
// waits: code between two such points runs atomically. Put rt.Yield between
// a read of shared state and the write that depends on it, where a real
// goroutine could be preempted. A data race between two yield points is
// invisible to it; under go test -race, Run also runs the code on real
// goroutines ([sched.Free]), where the race detector sees it.
package check

import (
	"errors"
	"fmt"
	"time"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sched/rapidsched"
	"pgregory.net/rapid"
)

// Setup builds the program under test on rt: it creates the shared state,
// spawns the tasks with rt.Go and returns the final check (nil for none).
// The final check runs once every task has finished, as a task of its own
// ("final check"), so that it may lock and wait like any task; it reports a
// failure by returning an error or by calling rt.Fail.
//
// Setup is called once per run, many times in all: it must build fresh
// state each time and, for rapid to shrink and replay, take the same steps
// given the same schedule: no go statements, no sync, no clocks, no
// randomness except rt.Decide.
type Setup func(rt sched.Runtime) (final func() error)

// Failure is a failing run: what failed and the trace of the run.
type Failure struct {
	// Err is the run's error: a *sched.DeadlockError, *sched.RelockError,
	// *sched.PanicError or *sched.BudgetError, or the error the code passed
	// to rt.Fail or the final check returned.
	Err error
	// Final is true when the final check failed (or a task it spawned).
	Final bool
	// Trace is the failing run, one lane per task.
	Trace *sched.Trace
	// Found counts the runs of the search up to the first failure, and
	// Runs all runs, shrinking included.
	Found, Runs int
}

// String renders the failure as Run reports it: the error, then the run.
func (f *Failure) String() string {
	where := ""
	if f.Final {
		where = " (final check)"
	}
	return fmt.Sprintf("%v%s\n%s", f.Err, where, f.lanes())
}

// lanes renders the run with its number of preemptions.
func (f *Failure) lanes() string {
	return fmt.Sprintf("the run, %d preemption(s), one lane per task:\n%s", f.Trace.Preemptions(), f.Trace)
}

// Option configures Run and Find.
type Option func(*config)

type config struct {
	size     size // zero: measured
	freeRuns int
}

// Size sets the tasks and the scheduling points of each task that
// preemptions are drawn among (see [rapidsched.Size]), instead of those
// measured on the first runs.
func Size(tasks, points int) Option {
	return func(c *config) { c.size = size{tasks: max(tasks, 1), points: max(points, 1)} }
}

// FreeRuns sets how many runs on real goroutines Run makes under go test
// -race (default 20).
func FreeRuns(n int) Option { return func(c *config) { c.freeRuns = max(n, 0) } }

// measureRuns are the random walks, after the canonical run, whose largest
// task count and scheduling point count size the search.
const measureRuns = 8

// search is one rapid search of a program.
type search struct {
	setup    Setup
	size     size
	measured bool
	freeRuns int
	reached  size // the largest size any run reached
	runs     int
	last     *Failure
	start    time.Time
}

func newSearch(setup Setup, opts []Option) *search {
	cfg := config{freeRuns: 20}
	for _, o := range opts {
		o(&cfg)
	}
	s := &search{setup: setup, size: cfg.size, freeRuns: cfg.freeRuns}
	if s.size == (size{}) {
		s.size, s.measured = measure(setup), true
	}
	return s
}

// measure runs setup on the canonical schedule and a few seeded random
// walks and returns the largest size they reach. The runs are the same on
// every call, so a replay sizes the search as the run it replays did.
func measure(setup Setup) size {
	_, r := runOnce(sched.NewControlled(sched.Canonical()), setup)
	sz := r.size
	for seed := range uint64(measureRuns) {
		_, r := runOnce(sched.NewControlled(sched.RandomWalk(seed)), setup)
		sz = sz.union(r.size)
	}
	return sz
}

// prop is the rapid property: one run under a rapid-drawn schedule.
func (s *search) prop(rt *rapid.T) {
	s.runs++
	c := sched.NewControlled(rapidsched.New(rt, rapidsched.Size(s.size.tasks, s.size.points)))
	f, r := runOnce(c, s.setup)
	s.reached = s.reached.union(r.size)
	if f == nil {
		return
	}
	if s.last == nil {
		f.Found = s.runs
	} else {
		f.Found = s.last.Found
	}
	f.Runs = s.runs
	s.last = f
	rt.Logf("%s\nfound at run %d, shrunk in %d more runs (%v); preemptions drawn among %s",
		f.lanes(), f.Found, f.Runs-f.Found, time.Since(s.start).Round(time.Millisecond), s.sizeNote())
	var pe *sched.PanicError
	if errors.As(f.Err, &pe) {
		rt.Logf("the panic:\n%s", pe.Stack)
	}
	fatal(rt, f)
}

// fatal fails the rapid run with one call site per kind of failure: rapid
// keeps a shrunk run only if it fails at the same site, so that shrinking
// does not drift from one bug to another.
func fatal(rt *rapid.T, f *Failure) {
	var (
		de *sched.DeadlockError
		re *sched.RelockError
		pe *sched.PanicError
		be *sched.BudgetError
	)
	switch {
	case f.Final:
		rt.Fatalf("check: the final check failed: %v", f.Err)
	case errors.As(f.Err, &de):
		rt.Fatalf("check: the tasks deadlock: %v", f.Err)
	case errors.As(f.Err, &re):
		rt.Fatalf("check: a task locks a mutex it holds: %v", f.Err)
	case errors.As(f.Err, &pe):
		rt.Fatalf("check: a task panics: %v", f.Err)
	case errors.As(f.Err, &be):
		rt.Fatalf("check: the run does not end: %v", f.Err)
	default:
		rt.Fatalf("check: %v", f.Err)
	}
}

// sizeNote describes the size of the search.
func (s *search) sizeNote() string {
	how := "set with Size"
	if s.measured {
		how = "measured on the first runs"
	}
	return fmt.Sprintf("%d task(s) x %d scheduling point(s) each (%s)", s.size.tasks, s.size.points, how)
}

// blindNote says, when some run reached tasks or scheduling points beyond
// the size, that preemptions were never drawn there; else it returns "".
func (s *search) blindNote() string {
	if s.reached.tasks <= s.size.tasks && s.reached.points <= s.size.points {
		return ""
	}
	return fmt.Sprintf("check: some runs reached %d task(s) or %d scheduling point(s) in a task, beyond the %s: "+
		"preemptions were never drawn there; widen the search with check.Size(%d, %d)",
		s.reached.tasks, s.reached.points, s.sizeNote(),
		max(s.reached.tasks, s.size.tasks), max(s.reached.points, s.size.points))
}

// runner is what runOnce needs of a runtime: *sched.Controlled and
// *sched.Free.
type runner interface {
	sched.Runtime
	Run() error
	Trace() *sched.Trace
	Close()
}

// result is what runOnce measured of a run, failing or not.
type result struct{ size size }

// runOnce builds the program on r, runs it and, if every task finished,
// runs the final check as a task of its own, and returns the failure, if
// any. A panic of the strategy (a rapid draw) goes through, after every
// task has ended.
func runOnce(r runner, setup Setup) (*Failure, result) {
	defer r.Close()
	final := setup(r)
	err := r.Run()
	isFinal := false
	if err == nil && final != nil {
		r.Go("final check", func() {
			if err := final(); err != nil {
				r.Fail(err)
			}
		})
		err, isFinal = r.Run(), true
	}
	tr := r.Trace()
	res := result{size: sizeOf(tr)}
	if err == nil {
		return nil, res
	}
	return &Failure{Err: err, Final: isFinal, Trace: tr}, res
}

// size is the part of a program rapid draws preemptions among: its first
// tasks and the first scheduling points of each.
type size struct{ tasks, points int }

// sizeOf returns the tasks of tr and the most scheduling points (yields,
// locks, waits) one task passed.
func sizeOf(tr *sched.Trace) size {
	passed := map[sched.TaskID]int{}
	for _, r := range tr.Records {
		switch r.Kind {
		case sched.KindYield, sched.KindLock, sched.KindWait:
			passed[r.Task]++
		}
	}
	s := size{tasks: len(tr.Tasks)}
	for _, n := range passed {
		s.points = max(s.points, n)
	}
	return s
}

func (s size) union(o size) size {
	return size{tasks: max(s.tasks, o.tasks), points: max(s.points, o.points)}
}
