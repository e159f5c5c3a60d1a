package sched

import "fmt"

// Exhaustive enumerates every run of a deterministic program, depth first:
// every schedule and every decision value, optionally bounded in the number
// of preemptions (Musuvathi and Qadeer, "Iterative Context Bounding for
// Systematic Testing of Multithreaded Programs", PLDI 2007). Switches at a
// block or an exit are free; only switching away from a task that could
// continue counts against the bound. Each distinct run is produced once.
//
// Use it as
//
//	e := sched.NewExhaustive(2)
//	for s, ok := e.Next(); ok; s, ok = e.Next() {
//		// build the program on sched.NewControlled(s) and Run it
//	}
//
// The program must be the same on every run: a run that asks a different
// question than the one recorded at the same position ends with a
// *DivergenceError.
//
// What it reaches: under a preemption bound, every run with at most that
// many preemptions, but the free switches multiply the runs with the
// number of tasks: a program of many tasks that block and exit often has
// more runs within one preemption than any budget. [CountDelays] bounds
// every switch instead (delay bounding: Emmi, Qadeer and Rakamarić,
// "Delay-Bounded Scheduling", POPL 2011): any choice other than the first
// candidate, free or not, counts, so the runs within a bound grow with the
// number of scheduling points, not with the tasks. [ExhaustiveBudget] caps
// the runs; [Exhaustive.Complete] says whether the bound was exhausted.
type Exhaustive struct {
	bound   int
	delays  bool
	budget  int
	path    []frame // the decisions of the run being explored
	started bool
	runs    int
	done    bool
}

// An ExhaustiveOption configures NewExhaustive.
type ExhaustiveOption func(*Exhaustive)

// ExhaustiveBudget stops the enumeration after n runs (n > 0).
func ExhaustiveBudget(n int) ExhaustiveOption { return func(e *Exhaustive) { e.budget = n } }

// CountDelays makes the bound count every switch to a task other than the
// first candidate (the running task when it can go on, the first ready
// one otherwise), at a block or an exit too: a delay bound instead of a
// preemption bound.
func CountDelays() ExhaustiveOption { return func(e *Exhaustive) { e.delays = true } }

// frame is one decision on the current path. Invariant: 0 <= value <=
// limit(frame); frames after the last one a run consumed do not exist.
type frame struct {
	point    string
	n        int
	value    int
	counted  bool // a switch other than value 0 counts against the bound
	preempts int  // counted switches taken on the path before this frame
}

// NewExhaustive returns an enumeration of all runs with at most bound
// preemptions (delays, with CountDelays); a negative bound means no limit.
func NewExhaustive(bound int, opts ...ExhaustiveOption) *Exhaustive {
	e := &Exhaustive{bound: bound}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Next returns the strategy for the next unexplored run, or false when
// every run has been explored or the budget is spent.
func (e *Exhaustive) Next() (Strategy, bool) {
	if e.budget > 0 && e.runs >= e.budget {
		return nil, false
	}
	if e.started {
		for len(e.path) > 0 && e.path[len(e.path)-1].value >= e.limit(e.path[len(e.path)-1]) {
			e.path = e.path[:len(e.path)-1]
		}
		if len(e.path) == 0 {
			e.done = true
			return nil, false
		}
		e.path[len(e.path)-1].value++
	}
	e.started = true
	e.runs++
	return &exhaustiveRun{e: e}, true
}

// Runs returns the number of runs handed out so far.
func (e *Exhaustive) Runs() int { return e.runs }

// Complete reports whether every run within the bound was handed out (Next
// returned false for that reason, not for the budget).
func (e *Exhaustive) Complete() bool { return e.done }

// limit is the largest value a frame may take under the bound.
func (e *Exhaustive) limit(f frame) int {
	if f.counted && e.bound >= 0 && f.preempts >= e.bound {
		return 0
	}
	return f.n - 1
}

type exhaustiveRun struct {
	anywhere
	e        *Exhaustive
	pos      int
	preempts int
}

func (r *exhaustiveRun) Choose(c Choice) (int, error) {
	counted := c.Preemptive || r.e.delays
	v, err := r.next(c.Point, len(c.Candidates), counted)
	if err == nil && counted && v != 0 {
		r.preempts++
	}
	return v, err
}

func (r *exhaustiveRun) Decide(point string, n int) (int, error) {
	return r.next(point, n, false)
}

func (r *exhaustiveRun) next(point string, n int, counted bool) (int, error) {
	e := r.e
	if r.pos < len(e.path) {
		f := e.path[r.pos]
		if f.point != point || f.n != n {
			return 0, &DivergenceError{Index: r.pos, Want: Decision{Point: f.point, N: f.n, Value: f.value},
				Got: Decision{Point: point, N: n},
				Msg: fmt.Sprintf("exhaustive search needs a deterministic program: earlier run asked %d choices at %s, this one %d at %s", f.n, f.point, n, point)}
		}
		r.pos++
		return f.value, nil
	}
	e.path = append(e.path, frame{point: point, n: n, counted: counted, preempts: r.preempts})
	r.pos++
	return 0, nil
}
