package sut_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// canonical is the canonical schedule with the fault plan faults.
func canonical(faults ...sched.Fault) sched.Strategy {
	return sched.WithFaults(sched.Canonical(), faults...)
}

// kobjFault is the fault plan entry failing the nth F-ADD-KOBJ step.
var kobjFault = func(nth int) sched.Fault { return sched.Fault{Point: "F-ADD-KOBJ", Nth: nth, Value: 1} }

// noFaults forwards every scheduling choice to the embedded strategy and
// injects no fault.
type noFaults struct{ sched.Strategy }

func (noFaults) Decide(string, int) (int, error) { return 0, nil }

// preempt is the canonical schedule with one preemption: at the nth time
// the running task stops at point (counting only stops where it could
// continue), the scheduler switches to task to.
type preempt struct {
	point string
	nth   int
	to    sched.TaskID
	seen  int
}

func (p *preempt) Choose(c sched.Choice) (int, error) {
	if !c.Preemptive || c.Point != p.point {
		return 0, nil
	}
	p.seen++
	if p.seen != p.nth {
		return 0, nil
	}
	for i, id := range c.Candidates {
		if id == p.to {
			return i, nil
		}
	}
	return 0, fmt.Errorf("preempt: %s is not runnable at %s", p.to, p.point)
}

func (p *preempt) Decide(string, int) (int, error) { return 0, nil }

// harness is one controlled run of a core.
type harness struct {
	t     *testing.T
	rt    *sched.Controlled
	c     *sut.Core
	tasks int // program tasks spawned
}

func newHarness(t *testing.T, cfg sut.Config, s sched.Strategy) *harness {
	t.Helper()
	rt := sched.NewControlled(s, sched.MaxSteps(20000))
	t.Cleanup(rt.Close)
	return &harness{t: t, rt: rt, c: sut.New(rt, cfg)}
}

// run spawns the program tasks T1..Tn and runs until no task is runnable
// (Q1).
func (h *harness) run(tasks ...func()) error {
	for _, f := range tasks {
		h.tasks++
		h.rt.Go(fmt.Sprintf("T%d", h.tasks), f)
	}
	return h.rt.Run()
}

// teardown runs fn in a fresh task that inherits the program tasks' labels,
// then closes the core and runs to Q2.
func (h *harness) teardown(fn func()) error {
	h.rt.Go("teardown", func() {
		for id := 1; id <= h.tasks; id++ {
			h.c.Inherit(sched.TaskID(id))
		}
		fn()
		require.NoError(h.t, h.c.Close())
	})
	return h.rt.Run()
}

// clean asserts that the run reached Q1 and Q2 without a violation.
func (h *harness) clean(runErr error, teardown func()) {
	h.t.Helper()
	require.NoError(h.t, runErr, "run\n%s", h.rt.Trace())
	require.NoError(h.t, h.c.CheckQuiescent())
	require.NoError(h.t, h.teardown(teardown), "teardown\n%s", h.rt.Trace())
	require.NoError(h.t, h.c.CheckTeardown())
}

// device returns the snapshot of the device with handle.
func (h *harness) device(handle string) sut.DeviceSnap {
	h.t.Helper()
	for _, d := range h.c.Snapshot().Devices {
		if d.Handle == handle {
			return d
		}
	}
	h.t.Fatalf("no device %s", handle)
	return sut.DeviceSnap{}
}

// requireViolation asserts that err is a *Violation of invariant inv.
func requireViolation(t *testing.T, err error, inv string) {
	t.Helper()
	var v *sut.Violation
	require.ErrorAs(t, err, &v, "want a %s violation, got %v", inv, err)
	require.Equal(t, inv, v.Invariant, "violation: %v", v)
}

// events returns the trace's sut events of kind k, rendered.
func (h *harness) events(k sut.EventKind) []string {
	var out []string
	for _, ev := range h.rt.Trace().Events() {
		if e, ok := ev.(sut.Event); ok && e.Kind == k {
			out = append(out, e.String())
		}
	}
	return out
}

// syncDriver returns a synchronous driver matching the given device names.
func syncDriver(name string, matches ...string) *sut.Driver {
	drv := &sut.Driver{Name: name, ProbeType: sut.ForceSync, Match: map[string]sut.MatchResult{}}
	for _, m := range matches {
		drv.Match[m] = sut.MatchYes
	}
	return drv
}

// asyncDriver returns a PreferAsync driver matching the given device names.
func asyncDriver(name string, matches ...string) *sut.Driver {
	drv := syncDriver(name, matches...)
	drv.ProbeType = sut.PreferAsync
	return drv
}
