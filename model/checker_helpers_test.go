package model_test

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

// The helpers of the Checker's tests: event sequences fed one task at a
// time, and the events they are made of.

// seq is a test helper building event sequences in one task at a time.
type seq struct {
	t  *testing.T
	c  *model.Checker
	in string // current task
}

func newSeq(t *testing.T, modules ...model.Module) *seq {
	return &seq{t: t, c: model.NewChecker(model.Config{}, nil, modules...), in: "T1"}
}

func (s *seq) as(task string) *seq { s.in = task; return s }

// ok feeds events that must be accepted.
func (s *seq) ok(evs ...model.Event) *seq {
	s.t.Helper()
	for _, e := range evs {
		if e.Task == "" {
			e.Task = s.in
		}
		require.NoError(s.t, s.c.Check(e))
	}
	return s
}

// bad feeds one event that must violate inv.
func (s *seq) bad(inv string, e model.Event) {
	s.t.Helper()
	if e.Task == "" {
		e.Task = s.in
	}
	err := s.c.Check(e)
	var iv *model.InvariantError
	require.ErrorAs(s.t, err, &iv, "want %s, got %v", inv, err)
	require.Equal(s.t, inv, iv.Invariant, "%v", err)
	require.Equal(s.t, err, s.c.Check(model.Event{Kind: model.EvTrigger, Task: "T1"}), "the checker stays stuck")
}

func ev(k model.EventKind, dev string) model.Event { return model.Event{Kind: k, Device: dev} }
func evl(k model.EventKind, dev, label string) model.Event {
	return model.Event{Kind: k, Device: dev, Label: label}
}
func evd(k model.EventKind, dev, drv string) model.Event {
	return model.Event{Kind: k, Device: dev, Driver: drv}
}
func evPhase(dev string, p model.Phase) model.Event {
	return model.Event{Kind: model.EvPhase, Device: dev, Phase: p}
}
func evErr(k model.EventKind, dev string, e error) model.Event {
	return model.Event{Kind: k, Device: dev, Err: e}
}

// added is the event sequence of a successful DeviceAdd(dev) with no parent
// and no driver, in the current task.
func (s *seq) added(dev string) *seq {
	return s.ok(ev(model.EvAddEnter, dev), evPhase(dev, model.Adding), evl(model.EvGet, dev, model.LabelAddTransient),
		model.Event{Kind: model.EvBusLink, Device: dev, Flag: true}, evPhase(dev, model.Registered),
		model.Event{Kind: model.EvRelabel, Device: dev, Label: model.LabelOwner, To: model.LabelReg},
		evl(model.EvPut, dev, model.LabelAddTransient), evErr(model.EvAddReturn, dev, nil))
}

// failedAdd is a DeviceAdd(dev) failing at the kobject step.
func (s *seq) failedAdd(dev string, err error) *seq {
	return s.ok(ev(model.EvAddEnter, dev), evPhase(dev, model.Adding), evl(model.EvGet, dev, model.LabelAddTransient),
		evPhase(dev, model.AddFailed), evl(model.EvPut, dev, model.LabelAddTransient), evErr(model.EvAddReturn, dev, err))
}

func (s *seq) bind(dev, drv string) *seq {
	return s.ok(evd(model.EvProbeStart, dev, drv), evd(model.EvProbeReturn, dev, drv), evd(model.EvBound, dev, drv), model.Event{Kind: model.EvTrigger})
}

// triggered is a deferred-probe trigger with a cause of its own (§8):
// UnblockProbing, in task TU; the sequence goes on in the current task.
func (s *seq) triggered() *seq {
	in := s.in
	s.as("TU").ok(model.Event{Kind: model.EvCall, Op: model.UnblockProbing{}}, model.Event{Kind: model.EvDeferAll},
		model.Event{Kind: model.EvTrigger}, model.Event{Kind: model.EvReturn, Op: model.UnblockProbing{}})
	return s.as(in)
}

func (s *seq) unbind(dev, drv string) *seq {
	return s.ok(evd(model.EvRemoveStart, dev, drv), evd(model.EvRemoveReturn, dev, drv), evd(model.EvUnbound, dev, drv))
}

func (s *seq) del(dev string) *seq {
	return s.ok(ev(model.EvDelEnter, dev), ev(model.EvKill, dev), model.Event{Kind: model.EvBusLink, Device: dev}, evPhase(dev, model.Deleted), ev(model.EvDelReturn, dev))
}

func (s *seq) releaseFree(dev string) *seq {
	return s.ok(ev(model.EvRelease, dev), model.Event{Kind: model.EvFree, Obj: dev})
}

func drvState(drv string, st model.DriverState) model.Event {
	return model.Event{Kind: model.EvDriverState, Driver: drv, DrvState: st}
}

// devresAdd is a devres entry added to dev, probe-time or not.
func devresAdd(dev, label string, probeTime bool) model.Event {
	return model.Event{Kind: model.EvDevresAdd, Device: dev, Label: label, Flag: probeTime}
}

// fault is a hit of the injected fault point.
func fault(point string) model.Event { return model.Event{Kind: model.EvFault, Label: point} }
