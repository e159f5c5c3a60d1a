package sched

import "fmt"

// Replay returns a strategy that answers with a recorded decision list, in
// order, such as Controlled.Decisions of an earlier run. Each answer is
// checked against the question: a recorded Point or N (when set) that
// differs from the run's, an answer out of range, or a list that runs out
// ends the run with a *DivergenceError naming the step. Replaying the
// decisions of a run on the same program reproduces its trace exactly.
func Replay(ds []Decision) Strategy {
	return &replay{ds: ds}
}

type replay struct {
	anywhere
	ds []Decision
	i  int
}

func (r *replay) Choose(c Choice) (int, error) { return r.next(c.Point, len(c.Candidates)) }

func (r *replay) Decide(point string, n int) (int, error) { return r.next(point, n) }

func (r *replay) next(point string, n int) (int, error) {
	got := Decision{Point: point, N: n}
	if r.i >= len(r.ds) {
		return 0, &DivergenceError{Index: r.i, Got: got,
			Msg: fmt.Sprintf("the list has %d decisions; the run asks for another at %s (%d choices)", len(r.ds), point, n)}
	}
	want := r.ds[r.i]
	switch {
	case want.Point != "" && want.Point != point:
		return 0, &DivergenceError{Index: r.i, Want: want, Got: got,
			Msg: fmt.Sprintf("recorded at %s, the run asks at %s", want.Point, point)}
	case want.N != 0 && want.N != n:
		return 0, &DivergenceError{Index: r.i, Want: want, Got: got,
			Msg: fmt.Sprintf("recorded with %d choices at %s, the run has %d", want.N, point, n)}
	case want.Value < 0 || want.Value >= n:
		return 0, &DivergenceError{Index: r.i, Want: want, Got: got,
			Msg: fmt.Sprintf("recorded answer %d is out of range [0, %d) at %s", want.Value, n, point)}
	}
	r.i++
	return want.Value, nil
}
