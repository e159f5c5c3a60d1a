package properties

import (
	"errors"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sched"
)

// modelCheck judges a controlled run with the reference model's
// event-level Checker (spec §12.3): every event of the run, translated,
// must be allowed in the model's state, and the model's checkpoint
// invariants must hold at Q1 and Q2. It is the second half of the
// in-flight safety layer, beside the core's own instrumentation: the two
// are written independently, so each can catch what the other misses.
//
// The events are checked after each Run, on the goroutine that called it,
// and a violation is reported at the step of the event that broke it. That
// is the verdict a check after every step would give (an earlier step
// wins over a later failure of the run), at a fraction of the cost: run as
// a per-step observer, the checker's deep frames grew the stack of every
// task goroutine.
type modelCheck struct {
	tr      *translator
	checker *model.Checker
	buf     []model.Event
	next    int // the first trace record not yet checked
}

// newModelCheck returns the model check of a run of p whose tasks are
// listed by tasks.
func newModelCheck(p Program, tasks func() []sched.TaskInfo) *modelCheck {
	mods := make([]model.Module, len(p.Modules))
	for i, m := range p.Modules {
		mods[i] = model.Module{Name: m.Name, Drivers: m.Drivers, AsyncProbe: m.AsyncProbe}
	}
	// The core runs with no AsyncProbeDrivers (Options sets none).
	return &modelCheck{tr: newTranslator(tasks), checker: model.NewChecker(model.Config{}, modelDrivers(p), mods...)}
}

// check feeds the trace records added since the last call to the Checker
// and returns the first violation as a *Failure at its event's step.
func (m *modelCheck) check(tr *sched.Trace) *Failure {
	for ; m.next < len(tr.Records); m.next++ {
		r := tr.Records[m.next]
		if r.Kind != sched.KindEvent {
			continue
		}
		m.buf = m.tr.translate(r, m.buf[:0])
		for i := range m.buf { // by index: a model.Event is large
			if err := m.checker.Check(m.buf[i]); err != nil {
				m.next = len(tr.Records) // the Checker stays stuck after a violation
				return modelFailure(err, r.Step)
			}
		}
	}
	return nil
}

// earliest returns the failure at the earlier step; the run's own failure
// wins a tie, since it stopped the step it happened in.
func earliest(run, mod *Failure) *Failure {
	if run == nil || (mod != nil && mod.Step < run.Step) {
		return mod
	}
	return run
}

// quiescent evaluates the model's checkpoint invariants, at Q1 (final
// false) or Q2 (final true), and returns the first violation, if any.
func (m *modelCheck) quiescent(final bool, step int) *Failure {
	vs := m.checker.Quiescent(final)
	if len(vs) == 0 {
		return nil
	}
	return &Failure{Invariant: vs[0].Invariant, Step: step, Msg: "model: " + vs[0].String()}
}

// modelFailure turns the Checker's error into a Failure named after the
// violated invariant.
func modelFailure(err error, step int) *Failure {
	inv := InvModel
	var ie *model.InvariantError
	if errors.As(err, &ie) {
		inv = ie.Invariant
	}
	return &Failure{Invariant: inv, Step: step, Msg: "model: " + err.Error()}
}
