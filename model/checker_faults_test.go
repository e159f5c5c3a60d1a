package model_test

import (
	"github.com/devstress/devstress/model"
	"testing"
)

func call(op model.Op) model.Event { return model.Event{Kind: model.EvCall, Op: op} }
func ret(op model.Op, res model.Result) model.Event {
	return model.Event{Kind: model.EvReturn, Op: op, Result: res}
}
func retErr(op model.Op, err error) model.Event { return ret(op, model.Result{Err: err}) }

// An F-ADD-* hit fails the innermost DeviceAdd of its context, and the
// program call whose add failed returns the error.
func TestCheckerAddFaultsPropagate(t *testing.T) {
	entered := func() *seq {
		s := newSeq(t)
		return s.ok(ev(model.EvNewDevice, "d#1"), call(model.RegisterSync{Device: "d#1"}), ev(model.EvAddEnter, "d#1"),
			evPhase("d#1", model.Adding), evl(model.EvGet, "d#1", model.LabelAddTransient), fault("F-ADD-KOBJ"),
			evPhase("d#1", model.AddFailed), evl(model.EvPut, "d#1", model.LabelAddTransient))
	}
	entered().ok(evErr(model.EvAddReturn, "d#1", model.ErrNoMem), retErr(model.RegisterSync{Device: "d#1"}, model.ErrNoMem))
	entered().ok(evErr(model.EvAddReturn, "d#1", model.ErrNoMem)).bad("ERROR-PROPAGATES", retErr(model.RegisterSync{Device: "d#1"}, nil))
	entered().bad("ERROR-PROPAGATES", evErr(model.EvAddReturn, "d#1", nil))
	newSeq(t).bad("ERROR-PROPAGATES", fault("F-ADD-BUS"))

	// A child's add fails inside the parent's probe; the parent's add and
	// the program call succeed.
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "p#1"), call(model.RegisterSync{Device: "p#1"}), ev(model.EvAddEnter, "p#1"), evPhase("p#1", model.Adding),
		evl(model.EvGet, "p#1", model.LabelAddTransient), model.Event{Kind: model.EvBusLink, Device: "p#1", Flag: true}, evPhase("p#1", model.Registered),
		model.Event{Kind: model.EvRelabel, Device: "p#1", Label: model.LabelOwner, To: model.LabelReg}, evd(model.EvProbeStart, "p#1", "D"))
	s.ok(model.Event{Kind: model.EvNewDevice, Device: "c#1", Parent: "p#1"}, ev(model.EvAddEnter, "c#1"), evPhase("c#1", model.Adding),
		evl(model.EvGet, "c#1", model.LabelAddTransient), fault("F-ADD-LATE"), evPhase("c#1", model.AddFailed),
		evl(model.EvPut, "c#1", model.LabelAddTransient), evErr(model.EvAddReturn, "c#1", model.ErrNoMem), evl(model.EvPut, "c#1", model.LabelOwner))
	s.ok(evd(model.EvProbeReturn, "p#1", "D"), evd(model.EvBound, "p#1", "D"), model.Event{Kind: model.EvTrigger},
		evl(model.EvPut, "p#1", model.LabelAddTransient), evErr(model.EvAddReturn, "p#1", nil), retErr(model.RegisterSync{Device: "p#1"}, nil))

	// RegisterAsync: Wait returns the add's error.
	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"))
	s.as("A1").failedAdd("d#1", model.ErrNoMem).ok(evErr(model.EvComplete, "d#1", model.ErrNoMem))
	s.as("T1").ok(call(model.CompletionWait{Device: "d#1"})).bad("ERROR-PROPAGATES", retErr(model.CompletionWait{Device: "d#1"}, nil))
}

// NewAndRegister returns a handle or an error, never both, never neither.
func TestCheckerNewAndRegisterResult(t *testing.T) {
	op := model.NewAndRegister{Name: "a"}
	newSeq(t).ok(call(op), ret(op, model.Result{Handle: "a#1"}), call(op), retErr(op, model.ErrNoMem))
	newSeq(t).ok(call(op)).bad("ERROR-PROPAGATES", ret(op, model.Result{}))
	newSeq(t).ok(call(op)).bad("ERROR-PROPAGATES", ret(op, model.Result{Handle: "a#1", Err: model.ErrNoMem}))
}

// F-DRV-* at the top level of DriverRegister or ModuleLoad fails the call;
// a sub-driver registered inside a probe ignores its own failure.
func TestCheckerDriverFaultsPropagate(t *testing.T) {
	reg := model.DriverRegister{Driver: "A"}
	newSeq(t).ok(call(reg), fault("F-DRV-ALLOC"), retErr(reg, model.ErrNoMem))
	newSeq(t).ok(call(reg), fault("F-DRV-ALLOC")).bad("ERROR-PROPAGATES", retErr(reg, nil))
	load := model.ModuleLoad{Module: "M"}
	newSeq(t).ok(call(load), drvState("A", model.Registering), fault("F-DRV-GROUPS")).bad("ERROR-PROPAGATES", retErr(load, nil))

	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(call(reg), drvState("A", model.Registering), evd(model.EvProbeStart, "d#1", "A"), fault("F-DRV-ALLOC"),
		evd(model.EvProbeReturn, "d#1", "A"), evd(model.EvBound, "d#1", "A"), model.Event{Kind: model.EvTrigger},
		drvState("A", model.DriverRegistered), retErr(reg, nil))
}

// F-PROBE-LINKS and F-PROBE-GROUPS fail the probe attempt they are hit in,
// and a program Bind's own attempt returns the error.
func TestCheckerProbeFaultsPropagate(t *testing.T) {
	added := func() *seq {
		s := newSeq(t)
		return s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	}
	added().ok(fault("F-PROBE-LINKS"), evd(model.EvUnbound, "d#1", "D")).bind("d#1", "D")
	added().ok(fault("F-PROBE-LINKS"), evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D")).
		bad("ERROR-PROPAGATES", evd(model.EvBound, "d#1", "D"))
	added().ok(evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D"), fault("F-PROBE-GROUPS"),
		evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D"), evd(model.EvUnbound, "d#1", "D"))

	bind := model.Bind{Device: "d#1", Driver: "D"}
	added().ok(call(bind), fault("F-PROBE-LINKS"), evd(model.EvUnbound, "d#1", "D"), retErr(bind, model.ErrNoMem))
	added().ok(call(bind), fault("F-PROBE-LINKS"), evd(model.EvUnbound, "d#1", "D")).bad("ERROR-PROPAGATES", retErr(bind, nil))
}
