package model

import "testing"

func fault(point string) Event { return Event{Kind: EvFault, Label: point} }

func call(op Op) Event              { return Event{Kind: EvCall, Op: op} }
func ret(op Op, res Result) Event   { return Event{Kind: EvReturn, Op: op, Result: res} }
func retErr(op Op, err error) Event { return ret(op, Result{Err: err}) }

// An F-ADD-* hit fails the innermost DeviceAdd of its context, and the
// program call whose add failed returns the error.
func TestCheckerAddFaultsPropagate(t *testing.T) {
	entered := func() *seq {
		s := newSeq(t)
		return s.ok(ev(EvNewDevice, "d#1"), call(RegisterSync{Dev: "d#1"}), ev(EvAddEnter, "d#1"),
			evPhase("d#1", Adding), evl(EvGet, "d#1", LabelAddTransient), fault("F-ADD-KOBJ"),
			evPhase("d#1", AddFailed), evl(EvPut, "d#1", LabelAddTransient))
	}
	entered().ok(evErr(EvAddReturn, "d#1", ErrNoMem), retErr(RegisterSync{Dev: "d#1"}, ErrNoMem))
	entered().ok(evErr(EvAddReturn, "d#1", ErrNoMem)).bad("ERROR-PROPAGATES", retErr(RegisterSync{Dev: "d#1"}, nil))
	entered().bad("ERROR-PROPAGATES", evErr(EvAddReturn, "d#1", nil))
	newSeq(t).bad("ERROR-PROPAGATES", fault("F-ADD-BUS"))

	// A child's add fails inside the parent's probe; the parent's add and
	// the program call succeed.
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "p#1"), call(RegisterSync{Dev: "p#1"}), ev(EvAddEnter, "p#1"), evPhase("p#1", Adding),
		evl(EvGet, "p#1", LabelAddTransient), Event{Kind: EvOnBus, Dev: "p#1", Flag: true}, evPhase("p#1", Registered),
		Event{Kind: EvRelabel, Dev: "p#1", Label: LabelOwner, To: LabelReg}, evd(EvProbeStart, "p#1", "D"))
	s.ok(Event{Kind: EvNewDevice, Dev: "c#1", Parent: "p#1"}, ev(EvAddEnter, "c#1"), evPhase("c#1", Adding),
		evl(EvGet, "c#1", LabelAddTransient), fault("F-ADD-LATE"), evPhase("c#1", AddFailed),
		evl(EvPut, "c#1", LabelAddTransient), evErr(EvAddReturn, "c#1", ErrNoMem), evl(EvPut, "c#1", LabelOwner))
	s.ok(evd(EvProbeReturn, "p#1", "D"), evd(EvBound, "p#1", "D"), Event{Kind: EvTrigger},
		evl(EvPut, "p#1", LabelAddTransient), evErr(EvAddReturn, "p#1", nil), retErr(RegisterSync{Dev: "p#1"}, nil))

	// RegisterAsync: Wait returns the add's error.
	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"))
	s.as("A1").failedAdd("d#1", ErrNoMem).ok(evErr(EvComplete, "d#1", ErrNoMem))
	s.as("T1").ok(call(CompletionWait{Dev: "d#1"})).bad("ERROR-PROPAGATES", retErr(CompletionWait{Dev: "d#1"}, nil))
}

// NewAndRegister returns a handle or an error, never both, never neither.
func TestCheckerNewAndRegisterResult(t *testing.T) {
	op := NewAndRegister{Name: "a"}
	newSeq(t).ok(call(op), ret(op, Result{Handle: "a#1"}), call(op), retErr(op, ErrNoMem))
	newSeq(t).ok(call(op)).bad("ERROR-PROPAGATES", ret(op, Result{}))
	newSeq(t).ok(call(op)).bad("ERROR-PROPAGATES", ret(op, Result{Handle: "a#1", Err: ErrNoMem}))
}

// F-DRV-* at the top level of DriverRegister or ModuleLoad fails the call;
// a sub-driver registered inside a probe ignores its own failure.
func TestCheckerDriverFaultsPropagate(t *testing.T) {
	reg := DriverRegister{Driver: "A"}
	newSeq(t).ok(call(reg), fault("F-DRV-ALLOC"), retErr(reg, ErrNoMem))
	newSeq(t).ok(call(reg), fault("F-DRV-ALLOC")).bad("ERROR-PROPAGATES", retErr(reg, nil))
	load := ModuleLoad{Module: "M"}
	newSeq(t).ok(call(load), drvState("A", Registering), fault("F-DRV-GROUPS")).bad("ERROR-PROPAGATES", retErr(load, nil))

	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(call(reg), drvState("A", Registering), evd(EvProbeStart, "d#1", "A"), fault("F-DRV-ALLOC"),
		evd(EvProbeReturn, "d#1", "A"), evd(EvBound, "d#1", "A"), Event{Kind: EvTrigger},
		drvState("A", DriverRegistered), retErr(reg, nil))
}

// F-PROBE-LINKS and F-PROBE-GROUPS fail the probe attempt they are hit in,
// and a program Bind's own attempt returns the error.
func TestCheckerProbeFaultsPropagate(t *testing.T) {
	added := func() *seq {
		s := newSeq(t)
		return s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	}
	added().ok(fault("F-PROBE-LINKS"), evd(EvUnbound, "d#1", "D")).bind("d#1", "D")
	added().ok(fault("F-PROBE-LINKS"), evd(EvProbeStart, "d#1", "D"), evd(EvProbeReturn, "d#1", "D")).
		bad("ERROR-PROPAGATES", evd(EvBound, "d#1", "D"))
	added().ok(evd(EvProbeStart, "d#1", "D"), evd(EvProbeReturn, "d#1", "D"), fault("F-PROBE-GROUPS"),
		evd(EvRemoveStart, "d#1", "D"), evd(EvRemoveReturn, "d#1", "D"), evd(EvUnbound, "d#1", "D"))

	bind := Bind{Dev: "d#1", Driver: "D"}
	added().ok(call(bind), fault("F-PROBE-LINKS"), evd(EvUnbound, "d#1", "D"), retErr(bind, ErrNoMem))
	added().ok(call(bind), fault("F-PROBE-LINKS"), evd(EvUnbound, "d#1", "D")).bad("ERROR-PROPAGATES", retErr(bind, nil))
}
