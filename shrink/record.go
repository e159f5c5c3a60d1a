package shrink

import (
	"errors"
	"fmt"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// Record extracts the keyed schedule of a verdict from any source (rapid,
// a random walk, a replay), so that the run can be saved as a File. A
// sequential run (properties.ExecuteSequential) has none: its schedule is
// fixed.
//
// The trace alone does not tell it: a switch away from a task that blocked
// or exited to some task other than the lowest runnable one (rapid and a
// random walk make them) leaves no mark there, and a preemption's point is
// not recorded when it is a lock or a wait. So Record runs v.Program again
// under opt, the options of the original run, replaying v.Decisions, and
// notes the Key of every choice whose answer is not 0. It fails when the
// run does not reproduce v (other options, a changed core): a different
// digest, or decisions that do not fit.
func Record(v *properties.Verdict, opt properties.Options) (Schedule, error) {
	switch v.Executor {
	case properties.Sequential:
		return nil, nil // the sequential executor's schedule is fixed
	case properties.Free:
		return nil, errors.New("shrink: a run of the free runtime does not replay; Reproduce searches for a controlled one")
	}
	rec := &recorder{ds: chooseDecisions(v)}
	again := properties.Execute(v.Program, rec, opt)
	if rec.err != nil {
		return nil, fmt.Errorf("shrink: recording the schedule: %w", rec.err)
	}
	if got, want := again.Trace.Digest(), v.Trace.Digest(); got != want {
		return nil, fmt.Errorf("shrink: recording the schedule: the run does not reproduce the verdict (digest %s, want %s): other options, or a changed core", got, want)
	}
	return rec.sched, nil
}

// FromVerdict makes a File of a verdict and the options of its run: its
// program, its keyed schedule, and what it gave. It checks that the File
// replays to the same verdict and digest, so a File it returns is a
// faithful counterexample.
func FromVerdict(v *properties.Verdict, opt properties.Options) (File, error) {
	s, err := Record(v, opt)
	if err != nil {
		return File{}, err
	}
	f := File{Options: opt, Sequential: v.Executor == properties.Sequential, Program: v.Program, Schedule: s, Expect: expectOf(v), Digest: v.Trace.Digest()}
	if err := Check(f); err != nil {
		return File{}, fmt.Errorf("shrink: the keyed schedule does not replay the verdict: %w", err)
	}
	return f, nil
}

// chooseDecisions are the scheduling decisions of v, without the fault
// decisions (the program's fault plan answers those again): the decisions
// at the points the trace records as decided are left out.
func chooseDecisions(v *properties.Verdict) []sched.Decision {
	decided := map[string]bool{}
	for _, r := range v.Trace.Records {
		if r.Kind == sched.KindDecide {
			decided[r.Name] = true
		}
	}
	var ds []sched.Decision
	for _, d := range v.Decisions {
		if !decided[d.Point] {
			ds = append(ds, d)
		}
	}
	return ds
}

// recorder replays scheduling decisions and keys the non-zero ones.
type recorder struct {
	ds    []sched.Decision
	i     int
	keys  keyer
	sched Schedule
	err   error
}

var errRecordDiverged = errors.New("the decisions do not fit the run")

func (r *recorder) Choose(c sched.Choice) (int, error) {
	k := r.keys.key(c)
	if r.i >= len(r.ds) {
		r.err = fmt.Errorf("%w: %d scheduling decisions, the run asks for another at %s", errRecordDiverged, len(r.ds), c.Point)
		return 0, r.err
	}
	d := r.ds[r.i]
	r.i++
	if d.Point != c.Point || d.N != len(c.Candidates) || d.Value < 0 || d.Value >= d.N {
		r.err = fmt.Errorf("%w: decision %d was %+v, the run asks at %s with %d candidates", errRecordDiverged, r.i, d, c.Point, len(c.Candidates))
		return 0, r.err
	}
	if d.Value != 0 {
		r.sched = append(r.sched, Switch{At: k, To: r.keys.ref(c, c.Candidates[d.Value])})
	}
	return d.Value, nil
}

func (r *recorder) Decide(string, int) (int, error) { return 0, nil }

// ChoosesLocally implements sched.Local: the recorder draws nothing.
func (r *recorder) ChoosesLocally(sched.Choice) bool { return true }

// DecidesLocally implements sched.Local.
func (r *recorder) DecidesLocally(string, int) bool { return true }
