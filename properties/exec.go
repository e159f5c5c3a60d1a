package properties

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// Options configure an execution.
type Options struct {
	// Bug selects a historical bug variant of the core (zero: correct).
	Bug sut.Bug
	// MaxSteps bounds each phase of the run (default 20000).
	MaxSteps int
	// Stress is the core's stress modes (spec §17: every successful probe
	// followed by remove and a second probe; releases as later, separate
	// tasks), its parent locking, and a yield before every get and put.
	sut.Stress
}

// StressMode is one of the core's stress modes, or its parent locking, by
// the name that counterexample files and logs give it.
type StressMode struct {
	Name string
	// Ident is the name of its sut.Stress field, as Go code and coverage
	// keys spell it.
	Ident string
	// Field is the Options field that switches the mode on.
	Field func(*Options) *bool
}

// StressModes are the modes of Options, in the order files list them: one
// per field of sut.Stress (TestStressModesAreTheCoresStress).
var StressModes = []StressMode{
	{"reprobe-after-probe", "ReprobeAfterProbe", func(o *Options) *bool { return &o.ReprobeAfterProbe }},
	{"delayed-release", "DelayedRelease", func(o *Options) *bool { return &o.DelayedRelease }},
	{"need-parent-lock", "NeedParentLock", func(o *Options) *bool { return &o.NeedParentLock }},
	{"fine-yields", "FineYields", func(o *Options) *bool { return &o.FineYields }},
}

// GoString renders the options that are set, as rapid logs a draw of
// them: "{bug H2 delayed-release}", "{}" for the correct core unstressed.
func (o Options) GoString() string {
	var set []string
	if o.Bug != sut.BugNone {
		set = append(set, "bug "+string(o.Bug))
	}
	if o.MaxSteps != 0 {
		set = append(set, fmt.Sprintf("max-steps %d", o.MaxSteps))
	}
	for _, m := range StressModes {
		if *m.Field(&o) {
			set = append(set, m.Name)
		}
	}
	return "{" + strings.Join(set, " ") + "}"
}

// core is the core's configuration for these options.
func (o Options) core() sut.Config {
	return sut.Config{Bug: o.Bug, Stress: o.Stress}
}

// Execute runs p on a fresh core under the controlled runtime, with the
// schedule from s and the program's fault plan, and checks it in layers:
// the core's instrumentation, the reference model's event-level Checker
// and the runtime's oracles at every step, the quiescence checks (core's,
// then model's) at Q1, teardown, the Q2 checks, and that no goroutine
// outlives the run. It returns the first failure, if any, with the trace
// and the decisions that reproduce it.
func Execute(p Program, s sched.Strategy, opt Options) *Verdict {
	v, _ := runControlled(p, s, opt, nil)
	return v
}

// runControlled runs p on a fresh core under a controlled runtime steered
// by s and the fault plan, after setup (if any) has adjusted the world,
// and returns the verdict and the world for further checks.
func runControlled(p Program, s sched.Strategy, opt Options, setup func(*world, *sched.Controlled)) (*Verdict, *world) {
	v := &Verdict{Program: p, Options: opt}
	if opt.MaxSteps == 0 {
		opt.MaxSteps = 20000
	}
	baseline := runtime.NumGoroutine()
	var c *sched.Controlled
	mc := newModelCheck(p, func() []sched.TaskInfo { return c.Trace().Tasks })
	c = sched.NewControlled(sched.WithFaults(s, p.Faults...), sched.MaxSteps(opt.MaxSteps))
	w := newWorld(p, c, opt.core())
	if setup != nil {
		setup(w, c)
	}
	v.Failure = w.execute(c, mc)
	c.Close()
	v.Trace, v.Decisions = c.Trace(), c.Decisions()
	for _, cl := range w.clients {
		v.Results = append(v.Results, cl.results)
	}
	if v.Failure == nil {
		v.Failure = checkGoroutines(baseline)
	}
	return v, w
}

// execute runs the program, Q1, teardown and Q2 on the controlled runtime
// c, with the model check mc after each run; at Q1 and Q2 the core's
// checks come first, then the model's.
func (w *world) execute(c *sched.Controlled, mc *modelCheck) *Failure {
	w.spawnClients()
	if f := w.run(c, mc); f != nil {
		return f
	}
	if len(c.Parked()) == 0 { // Q1: quiescent
		if err := w.core.CheckQuiescent(); err != nil {
			return failureOf(err, c.Step())
		}
		if f := mc.quiescent(false, c.Step()); f != nil {
			return f
		}
	}
	c.Go("teardown", w.teardown)
	if f := w.run(c, mc); f != nil {
		return f
	}
	if parked := c.Parked(); len(parked) > 0 {
		return &Failure{Invariant: InvNoDeadlock, Step: c.Step(),
			Msg: fmt.Sprintf("after teardown opened every gate, %s", parked[0])}
	}
	if err := w.core.CheckTeardown(); err != nil { // Q2
		return failureOf(err, c.Step())
	}
	if f := mc.quiescent(true, c.Step()); f != nil {
		return f
	}
	if err := w.core.Close(); err != nil {
		return &Failure{Invariant: InvQ2Quiescent, Step: c.Step(), Msg: err.Error()}
	}
	return nil
}

// run runs c until it stops and returns the earliest failure: the run's
// own, or the model's on the events it produced.
func (w *world) run(c *sched.Controlled, mc *modelCheck) *Failure {
	var f *Failure
	if err := c.Run(); err != nil {
		f = failureOf(err, c.Step())
	}
	return earliest(f, mc.check(c.Trace()))
}

// leakPatience bounds how long checkGoroutines waits for a run's
// goroutines to end.
var leakPatience = 5 * time.Second

// checkGoroutines reports goroutines that outlive a run: the core spawned
// work outside the runtime, or the runtime failed to end a task. The count
// is compared, not goleak's report, whose goroutine ids would make the
// message differ between runs (and stop rapid from shrinking).
//
// Goroutines that have signalled their end but not yet exited get time to
// go: a few hundred yields, then up to leakPatience of sleeps. The wait is
// long because a verdict must not depend on the machine's load (a loaded
// machine under -race was seen to take more than 100ms to end a run's
// goroutines); it is paid only when goroutines are left, and a real leak
// fails anyway.
func checkGoroutines(baseline int) *Failure {
	deadline := time.Now().Add(leakPatience)
	for i := 0; ; i++ {
		if runtime.NumGoroutine() <= baseline {
			return nil
		}
		if i < 200 {
			runtime.Gosched()
			continue
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return &Failure{Invariant: InvLeakedGoroutine,
		Msg: fmt.Sprintf("%d goroutines outlive the run", runtime.NumGoroutine()-baseline)}
}
