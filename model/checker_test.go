package model_test

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

func TestCheckerAcceptsALegalLifecycle(t *testing.T) {
	s := newSeq(t)
	s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered))
	s.ok(ev(model.EvNewDevice, "a#1")).added("a#1").bind("a#1", "D")
	s.ok(model.Event{Kind: model.EvDevresAdd, Device: "a#1", Flag: true})
	s.ok(ev(model.EvDelEnter, "a#1"), ev(model.EvKill, "a#1"), model.Event{Kind: model.EvBusLink, Device: "a#1"})
	s.ok(evd(model.EvRemoveStart, "a#1", "D"), evd(model.EvRemoveReturn, "a#1", "D"), ev(model.EvDevresRelease, "a#1"), evd(model.EvUnbound, "a#1", "D"))
	s.ok(evPhase("a#1", model.Deleted), ev(model.EvDelReturn, "a#1"), evl(model.EvPut, "a#1", model.LabelReg)).releaseFree("a#1")
	s.ok(drvState("D", model.Unregistering), drvState("D", model.Unregistered))
	require.Empty(t, s.c.Quiescent(true))
	require.Equal(t, 30, s.c.Checked())
}

// H1: the registration job puts Owner on failure (OWNERSHIP), and completes
// with nil (ERROR-PROPAGATES).
func TestCheckerH1(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvGet, "d#1", "AsyncRegister(1)"), model.Event{Kind: model.EvSchedule, Cookie: 1, Flag: true})
	s.as("A1").ok(model.Event{Kind: model.EvEntryStart, Cookie: 1}).failedAdd("d#1", model.ErrNoMem)
	s.bad("OWNERSHIP", evl(model.EvPut, "d#1", model.LabelOwner))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvGet, "d#1", "AsyncRegister(1)"), model.Event{Kind: model.EvSchedule, Cookie: 1, Flag: true})
	s.as("A1").failedAdd("d#1", model.ErrNoMem)
	s.bad("ERROR-PROPAGATES", evErr(model.EvComplete, "d#1", nil))
}

// H2: the job reads c.parent after its final put released c (NO-UAF);
// H2b: the parent is never put (NO-LEAK at Q2).
func TestCheckerH2(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "c#1"), evl(model.EvGet, "c#1", "AsyncRegister(1)"))
	s.as("A1").failedAdd("c#1", model.ErrNoMem).ok(evErr(model.EvComplete, "c#1", model.ErrNoMem))
	s.as("T1").ok(evl(model.EvPut, "c#1", model.LabelOwner))
	s.as("A1").ok(evl(model.EvPut, "c#1", "AsyncRegister(1)")).releaseFree("c#1")
	s.bad("NO-UAF", model.Event{Kind: model.EvAccess, Obj: "c#1"})

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "p#1")).added("p#1")
	s.ok(model.Event{Kind: model.EvNewDevice, Device: "c#1", Parent: "p#1"}, evl(model.EvGet, "p#1", "AsyncRegisterParent(1)"))
	s.ok(evl(model.EvPut, "c#1", model.LabelOwner)).releaseFree("c#1")
	s.del("p#1").ok(evl(model.EvPut, "p#1", model.LabelReg))
	require.Equal(t, []model.Violation{{"NO-LEAK", "p#1", "never released; holders [AsyncRegisterParent(1)]"}}, s.c.Quiescent(true))
}

// H3: the lost trigger shows at Q1.
func TestCheckerH3(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "C#1")).added("C#1")
	s.ok(evd(model.EvProbeStart, "C#1", "D"), model.Event{Kind: model.EvProbeReturn, Device: "C#1", Driver: "D", Err: model.ErrProbeDefer}, ev(model.EvUnbound, "C#1"))
	s.as("T2").ok(ev(model.EvNewDevice, "S#1")).added("S#1").bind("S#1", "D")
	s.as("T1").ok(model.Event{Kind: model.EvDeferredAdd, Device: "C#1", Flag: true, Count: 0})
	require.Equal(t, "NO-LOST-TRIGGER", s.c.Quiescent(false)[0].Invariant)
}

// H4: the queued attach job binds a device under deletion.
func TestCheckerH4(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(model.EvGet, "d#1", "AsyncAttach(1)"), model.Event{Kind: model.EvSchedule, Cookie: 1})
	s.ok(ev(model.EvDelEnter, "d#1"), ev(model.EvKill, "d#1"))
	s.as("A1").bad("BIND-ONLY-LIVE", evd(model.EvProbeStart, "d#1", "A"))
}

// H6: the second TryUnregister enters DeviceDel again.
func TestCheckerH6(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(evl(model.EvGet, "d#1", "Task(T1)")).del("d#1").ok(evl(model.EvPut, "d#1", model.LabelReg))
	s.bad("DEL-ONCE", ev(model.EvDelEnter, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(ev(model.EvKill, "d#1"))
	s.bad("DEL-ONCE", ev(model.EvKill, "d#1"))
}

// Only a Registered device is killed (§4.2, §4.3): a kill gate lets a
// device that was never added, is being added or whose add failed lose.
func TestCheckerKillsOnlyRegisteredDevices(t *testing.T) {
	newSeq(t).ok(ev(model.EvNewDevice, "d#1")).bad("DEL-ONCE", ev(model.EvKill, "d#1"))
	newSeq(t).ok(ev(model.EvNewDevice, "d#1"), ev(model.EvAddEnter, "d#1"), evPhase("d#1", model.Adding)).
		bad("DEL-ONCE", ev(model.EvKill, "d#1"))
	newSeq(t).ok(ev(model.EvNewDevice, "d#1")).failedAdd("d#1", model.ErrNoMem).bad("DEL-ONCE", ev(model.EvKill, "d#1"))
}

// H7a: a raw free after a failed add; H7b: no put, a leak at Q2.
func TestCheckerH7(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "a#1")).failedAdd("a#1", model.ErrNoMem)
	s.bad("FREE-ONLY-IN-RELEASE", model.Event{Kind: model.EvFree, Obj: "a#1"})

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "a#1")).failedAdd("a#1", model.ErrNoMem)
	s.ok(model.Event{Kind: model.EvCall, Op: model.NewAndRegister{Name: "a"}}, model.Event{Kind: model.EvReturn, Op: model.NewAndRegister{Name: "a"}, Result: model.Result{Err: model.ErrNoMem}})
	require.Equal(t, "NO-LEAK", s.c.Quiescent(true)[0].Invariant)

	s = newSeq(t)
	s.bad("ERROR-PROPAGATES", model.Event{Kind: model.EvReturn, Op: model.NewAndRegister{Name: "a"}})
}

// H8: DeviceDel returns with the self-referencing devres entry in place,
// and at Q2 only that reference keeps d alive.
func TestCheckerH8(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(model.EvGet, "d#1", "Devres(d#1/1)"), model.Event{Kind: model.EvDevresAdd, Device: "d#1"})
	s.ok(ev(model.EvDelEnter, "d#1"), ev(model.EvKill, "d#1"), evPhase("d#1", model.Deleted))
	s.bad("DEVRES-SCOPE", ev(model.EvDelReturn, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(model.EvGet, "d#1", "Devres(d#1/1)"), model.Event{Kind: model.EvDevresAdd, Device: "d#1"})
	s.ok(evl(model.EvPut, "d#1", model.LabelReg))
	require.Equal(t, "DEVRES-NO-CYCLE", s.c.Quiescent(true)[0].Invariant)
}

// H9: DriverUnregister returns with an async attach queued for the driver,
// then the job probes the gone driver.
func TestCheckerH9(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(drvState("A", model.Registering), evd(model.EvAsyncDriver, "d#1", "A"), evl(model.EvGet, "d#1", "AsyncAttach(1)"))
	s.ok(drvState("A", model.DriverRegistered), drvState("A", model.Unregistering))
	s.bad("UNREGISTER-QUIESCES-DRIVER", drvState("A", model.Unregistered))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.ok(drvState("A", model.Registering), drvState("A", model.DriverRegistered), drvState("A", model.Unregistering), drvState("A", model.Unregistered))
	s.as("A1").bad("BIND-ONLY-LIVE", evd(model.EvProbeStart, "d#1", "A"))

	s = newSeq(t)
	s.ok(model.Event{Kind: model.EvFree, Obj: "priv(A)"})
	s.bad("NO-UAF", model.Event{Kind: model.EvAccess, Obj: "priv(A)"})
}

// H10B: match reads the override string another task freed.
func TestCheckerH10B(t *testing.T) {
	s := newSeq(t)
	s.as("T2").ok(model.Event{Kind: model.EvFree, Obj: "override(d#1)/1"})
	s.as("T1").bad("NO-UAF", model.Event{Kind: model.EvAccess, Obj: "override(d#1)/1"})
}

func TestCheckerReferenceRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvPut, "d#1", model.LabelOwner))
	s.bad("REF-NONNEG", evl(model.EvPut, "d#1", model.LabelOwner))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvPut, "d#1", model.LabelOwner))
	s.bad("NO-UAF", evl(model.EvGet, "d#1", "Task(T1)"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvGet, "d#1", "Task(T1)"))
	s.as("T2").bad("OWNERSHIP", evl(model.EvPut, "d#1", "Task(T1)"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvGet, "d#1", "Task(T1)"))
	s.as("TD").ok(evl(model.EvPut, "d#1", "Task(T1)"), evl(model.EvPut, "d#1", model.LabelOwner)).releaseFree("d#1")

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"))
	s.bad("REL-ONCE", ev(model.EvRelease, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), evl(model.EvPut, "d#1", model.LabelOwner), ev(model.EvRelease, "d#1"))
	s.bad("REL-ONCE", ev(model.EvRelease, "d#1"))
}

func TestCheckerBindingRules(t *testing.T) {
	base := func() *seq {
		s := newSeq(t)
		s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
		return s
	}
	base().ok(evd(model.EvProbeStart, "d#1", "D")).bad("SINGLE-DRIVER", evd(model.EvProbeStart, "d#1", "E"))
	base().bind("d#1", "D").bad("SINGLE-DRIVER", evd(model.EvProbeStart, "d#1", "E"))
	base().ok(evd(model.EvProbeStart, "d#1", "D"), model.Event{Kind: model.EvProbeReturn, Device: "d#1", Driver: "D", Err: model.ErrNXIO}).bad("OUTCOME-MAPPING", evd(model.EvBound, "d#1", "D"))
	base().bad("PROBE-REMOVE-PAIRING", evd(model.EvRemoveStart, "d#1", "D"))
	base().bind("d#1", "D").unbind("d#1", "D").bad("PROBE-REMOVE-PAIRING", evd(model.EvRemoveStart, "d#1", "D"))
	base().bind("d#1", "D").ok(ev(model.EvDelEnter, "d#1"), ev(model.EvKill, "d#1")).bad("DEL-QUIESCES-DEVICE", ev(model.EvDelReturn, "d#1"))
	base().bind("d#1", "D").ok(model.Event{Kind: model.EvDevresAdd, Device: "d#1", Flag: true}, evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D")).
		bad("DEVRES-SCOPE", evd(model.EvUnbound, "d#1", "D"))
	base().ok(drvState("D", model.Unregistered)).bad("BIND-ONLY-LIVE", evd(model.EvProbeStart, "d#1", "D"))
	base().bind("d#1", "D").bad("UNREGISTER-QUIESCES-DRIVER", drvState("D", model.Unregistered))

	ok := base().bind("d#1", "D").unbind("d#1", "D")
	ok.ok(drvState("D", model.Unregistered))
}

func TestCheckerAddRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.bad("ADD-ONCE", ev(model.EvAddEnter, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
	s.bad("ADD-ONCE", evPhase("d#1", model.Adding))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), ev(model.EvAddEnter, "d#1"), evPhase("d#1", model.Adding), evl(model.EvGet, "d#1", model.LabelAddTransient), evPhase("d#1", model.AddFailed))
	s.bad("ADD-ERROR-NEUTRAL", evErr(model.EvAddReturn, "d#1", model.ErrNoMem))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "p#1")).added("p#1")
	s.ok(model.Event{Kind: model.EvNewDevice, Device: "c#1", Parent: "p#1"}, ev(model.EvAddEnter, "c#1"), evPhase("c#1", model.Adding),
		evl(model.EvGet, "c#1", model.LabelAddTransient), evl(model.EvGet, "p#1", "ParentOf(c#1)"), evPhase("c#1", model.AddFailed),
		evl(model.EvPut, "c#1", model.LabelAddTransient))
	s.bad("ADD-ERROR-NEUTRAL", evErr(model.EvAddReturn, "c#1", model.ErrNoMem))
}

func TestCheckerDeferredRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(ev(model.EvDeferredAdd, "d#1"))
	s.bad("DEFER-LIST-EXCLUSIVE", ev(model.EvDeferredAdd, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").bind("d#1", "D")
	s.bad("DEFER-LIST-EXCLUSIVE", ev(model.EvDeferredAdd, "d#1"))

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1"), ev(model.EvNewDevice, "e#1")).added("d#1").added("e#1").ok(ev(model.EvDeferredAdd, "d#1"), ev(model.EvDeferredAdd, "e#1")).triggered()
	s.bad("DEFER-LIST-EXCLUSIVE", ev(model.EvDeferredPop, "e#1"))
}

func TestCheckerManualSync(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvCall, Op: model.Reprobe{Device: "d#1"}})
	s.bad("MANUAL-SYNC", model.Event{Kind: model.EvSchedule, Cookie: 1})

	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvCall, Op: model.Bind{Device: "d#1", Driver: "D"}})
	s.bad("MANUAL-SYNC", ev(model.EvDeferredAdd, "d#1"))

	// Inside the probe a Bind runs, a child's add may schedule.
	s = newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvCall, Op: model.Bind{Device: "d#1", Driver: "D"}},
		evd(model.EvProbeStart, "d#1", "D"), model.Event{Kind: model.EvSchedule, Cookie: 1})
}

func TestCheckerModuleLoadWaits(t *testing.T) {
	m := model.Module{Name: "M", Drivers: []string{"A"}}
	s := newSeq(t, m)
	s.ok(model.Event{Kind: model.EvCall, Op: model.ModuleLoad{Module: "M"}}, model.Event{Kind: model.EvSchedule, Cookie: 1}, model.Event{Kind: model.EvInitDone, Module: "M"})
	s.bad("MODULE-LOAD-WAITS", model.Event{Kind: model.EvReturn, Op: model.ModuleLoad{Module: "M"}})

	s = newSeq(t, model.Module{Name: "M", AsyncProbe: true})
	s.ok(model.Event{Kind: model.EvCall, Op: model.ModuleLoad{Module: "M"}}, model.Event{Kind: model.EvSchedule, Cookie: 1}, model.Event{Kind: model.EvInitDone, Module: "M"},
		model.Event{Kind: model.EvReturn, Op: model.ModuleLoad{Module: "M"}})
	require.Equal(t, "NO-LEAK", s.c.Quiescent(true)[0].Invariant, "the entry never finished")
}

// MODULE-LOAD-WAITS covers the entries scheduled before Init returned, in
// event order, whatever their cookies: another task may draw cookie 1
// before Init's cookie 2 and schedule it after Init returned. And it does
// not cover the synchronous fallback (§9): its fn runs in the caller, on
// no pending list, so the load's AsyncSynchronizeFull does not wait for it.
func TestCheckerModuleLoadWaitsOnlyForEntriesPendingAtInit(t *testing.T) {
	m := model.Module{Name: "M", Drivers: []string{"A"}}
	s := newSeq(t, m)
	s.ok(model.Event{Kind: model.EvCall, Op: model.ModuleLoad{Module: "M"}}, model.Event{Kind: model.EvSchedule, Cookie: 2}, model.Event{Kind: model.EvEntryEnd, Cookie: 2},
		model.Event{Kind: model.EvInitDone, Module: "M"}, model.Event{Kind: model.EvSchedule, Task: "T2", Cookie: 1, Inline: true},
		model.Event{Kind: model.EvReturn, Op: model.ModuleLoad{Module: "M"}})

	s = newSeq(t, m)
	s.ok(model.Event{Kind: model.EvCall, Op: model.ModuleLoad{Module: "M"}}, model.Event{Kind: model.EvSchedule, Task: "T2", Cookie: 1, Inline: true},
		model.Event{Kind: model.EvInitDone, Module: "M"}, model.Event{Kind: model.EvReturn, Op: model.ModuleLoad{Module: "M"}})

	s = newSeq(t, m)
	s.ok(model.Event{Kind: model.EvCall, Op: model.ModuleLoad{Module: "M"}}, model.Event{Kind: model.EvSchedule, Cookie: 2}, model.Event{Kind: model.EvEntryEnd, Cookie: 2},
		model.Event{Kind: model.EvSchedule, Task: "T2", Cookie: 1}, model.Event{Kind: model.EvInitDone, Module: "M"})
	s.bad("MODULE-LOAD-WAITS", model.Event{Kind: model.EvReturn, Op: model.ModuleLoad{Module: "M"}})
}

func TestEventString(t *testing.T) {
	require.Equal(t, "T1 Put dev=a#1 label=Owner", model.Event{Kind: model.EvPut, Task: "T1", Device: "a#1", Label: "Owner"}.String())
	require.Equal(t, "A1 Complete dev=a#1 err=ErrNoMem", model.Event{Kind: model.EvComplete, Task: "A1", Device: "a#1", Err: model.ErrNoMem}.String())
	require.Equal(t, "T1 Schedule flag=true inline=false cookie=3", model.Event{Kind: model.EvSchedule, Task: "T1", Flag: true, Cookie: 3}.String())
}
