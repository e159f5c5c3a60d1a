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
type Exhaustive struct {
	bound   int
	path    []frame // the decisions of the run being explored
	started bool
	runs    int
}

// frame is one decision on the current path. Invariant: 0 <= value <=
// limit(frame); frames after the last one a run consumed do not exist.
type frame struct {
	point      string
	n          int
	value      int
	preemptive bool
	preempts   int // preemptions taken on the path before this frame
}

// NewExhaustive returns an enumeration of all runs with at most bound
// preemptions; a negative bound means no limit.
func NewExhaustive(bound int) *Exhaustive { return &Exhaustive{bound: bound} }

// Next returns the strategy for the next unexplored run, or false when
// every run has been explored.
func (e *Exhaustive) Next() (Strategy, bool) {
	if e.started {
		for len(e.path) > 0 && e.path[len(e.path)-1].value >= e.limit(e.path[len(e.path)-1]) {
			e.path = e.path[:len(e.path)-1]
		}
		if len(e.path) == 0 {
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

// limit is the largest value a frame may take under the bound.
func (e *Exhaustive) limit(f frame) int {
	if f.preemptive && e.bound >= 0 && f.preempts >= e.bound {
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
	v, err := r.next(c.Point, len(c.Candidates), c.Preemptive)
	if err == nil && c.Preemptive && v != 0 {
		r.preempts++
	}
	return v, err
}

func (r *exhaustiveRun) Decide(point string, n int) (int, error) {
	return r.next(point, n, false)
}

func (r *exhaustiveRun) next(point string, n int, preemptive bool) (int, error) {
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
	e.path = append(e.path, frame{point: point, n: n, preemptive: preemptive, preempts: r.preempts})
	r.pos++
	return 0, nil
}
