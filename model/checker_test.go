package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// seq is a test helper building event sequences in one task at a time.
type seq struct {
	t  *testing.T
	c  *Checker
	in string // current task
}

func newSeq(t *testing.T, modules ...Module) *seq {
	return &seq{t: t, c: NewChecker(Config{}, nil, modules...), in: "T1"}
}

func (s *seq) as(task string) *seq { s.in = task; return s }

// ok feeds events that must be accepted.
func (s *seq) ok(evs ...Event) *seq {
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
func (s *seq) bad(inv string, e Event) {
	s.t.Helper()
	if e.Task == "" {
		e.Task = s.in
	}
	err := s.c.Check(e)
	var iv *InvariantError
	require.ErrorAs(s.t, err, &iv, "want %s, got %v", inv, err)
	require.Equal(s.t, inv, iv.Invariant, "%v", err)
	require.Equal(s.t, err, s.c.Check(Event{Kind: EvTrigger, Task: "T1"}), "the checker stays stuck")
}

func ev(k EventKind, dev string) Event             { return Event{Kind: k, Dev: dev} }
func evl(k EventKind, dev, label string) Event     { return Event{Kind: k, Dev: dev, Label: label} }
func evd(k EventKind, dev, drv string) Event       { return Event{Kind: k, Dev: dev, Drv: drv} }
func evPhase(dev string, p Phase) Event            { return Event{Kind: EvPhase, Dev: dev, Phase: p} }
func evErr(k EventKind, dev string, e error) Event { return Event{Kind: k, Dev: dev, Err: e} }

// added is the event sequence of a successful DeviceAdd(dev) with no parent
// and no driver, in the current task.
func (s *seq) added(dev string) *seq {
	return s.ok(ev(EvAddEnter, dev), evPhase(dev, Adding), evl(EvGet, dev, LabelAddTransient),
		Event{Kind: EvOnBus, Dev: dev, Flag: true}, evPhase(dev, Registered),
		Event{Kind: EvRelabel, Dev: dev, Label: LabelOwner, To: LabelReg},
		evl(EvPut, dev, LabelAddTransient), evErr(EvAddReturn, dev, nil))
}

// failedAdd is a DeviceAdd(dev) failing at the kobject step.
func (s *seq) failedAdd(dev string, err error) *seq {
	return s.ok(ev(EvAddEnter, dev), evPhase(dev, Adding), evl(EvGet, dev, LabelAddTransient),
		evPhase(dev, AddFailed), evl(EvPut, dev, LabelAddTransient), evErr(EvAddReturn, dev, err))
}

func (s *seq) bind(dev, drv string) *seq {
	return s.ok(evd(EvProbeStart, dev, drv), evd(EvProbeReturn, dev, drv), evd(EvBound, dev, drv), Event{Kind: EvTrigger})
}

func (s *seq) unbind(dev, drv string) *seq {
	return s.ok(evd(EvRemoveStart, dev, drv), evd(EvRemoveReturn, dev, drv), evd(EvUnbound, dev, drv))
}

func (s *seq) del(dev string) *seq {
	return s.ok(ev(EvDelEnter, dev), ev(EvKill, dev), Event{Kind: EvOnBus, Dev: dev}, evPhase(dev, Deleted), ev(EvDelReturn, dev))
}

func (s *seq) releaseFree(dev string) *seq {
	return s.ok(ev(EvRelease, dev), Event{Kind: EvFree, Obj: dev})
}

func drvState(drv string, st DriverState) Event {
	return Event{Kind: EvDriverState, Drv: drv, DrvState: st}
}

func TestCheckerAcceptsALegalLifecycle(t *testing.T) {
	s := newSeq(t)
	s.ok(drvState("D", Registering), drvState("D", DriverRegistered))
	s.ok(ev(EvNewDevice, "a#1")).added("a#1").bind("a#1", "D")
	s.ok(Event{Kind: EvDevresAdd, Dev: "a#1", Flag: true})
	s.ok(ev(EvDelEnter, "a#1"), ev(EvKill, "a#1"), Event{Kind: EvOnBus, Dev: "a#1"})
	s.ok(evd(EvRemoveStart, "a#1", "D"), evd(EvRemoveReturn, "a#1", "D"), ev(EvDevresRelease, "a#1"), evd(EvUnbound, "a#1", "D"))
	s.ok(evPhase("a#1", Deleted), ev(EvDelReturn, "a#1"), evl(EvPut, "a#1", LabelReg)).releaseFree("a#1")
	s.ok(drvState("D", Unregistering), drvState("D", Unregistered))
	require.Empty(t, s.c.Quiescent(true))
	require.Equal(t, 30, s.c.Checked())
}

// H1: the registration job puts Owner on failure (OWNERSHIP), and completes
// with nil (ERROR-PROPAGATES).
func TestCheckerH1(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvGet, "d#1", "AsyncRegister(1)"), Event{Kind: EvSchedule, Cookie: 1, Flag: true})
	s.as("A1").ok(Event{Kind: EvEntryStart, Cookie: 1}).failedAdd("d#1", ErrNoMem)
	s.bad("OWNERSHIP", evl(EvPut, "d#1", LabelOwner))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvGet, "d#1", "AsyncRegister(1)"), Event{Kind: EvSchedule, Cookie: 1, Flag: true})
	s.as("A1").failedAdd("d#1", ErrNoMem)
	s.bad("ERROR-PROPAGATES", evErr(EvComplete, "d#1", nil))
}

// H2: the job reads c.parent after its final put released c (NO-UAF);
// H2b: the parent is never put (NO-LEAK at Q2).
func TestCheckerH2(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "c#1"), evl(EvGet, "c#1", "AsyncRegister(1)"))
	s.as("A1").failedAdd("c#1", ErrNoMem).ok(evErr(EvComplete, "c#1", ErrNoMem))
	s.as("T1").ok(evl(EvPut, "c#1", LabelOwner))
	s.as("A1").ok(evl(EvPut, "c#1", "AsyncRegister(1)")).releaseFree("c#1")
	s.bad("NO-UAF", Event{Kind: EvAccess, Obj: "c#1"})

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "p#1")).added("p#1")
	s.ok(Event{Kind: EvNewDevice, Dev: "c#1", Parent: "p#1"}, evl(EvGet, "p#1", "AsyncRegisterParent(1)"))
	s.ok(evl(EvPut, "c#1", LabelOwner)).releaseFree("c#1")
	s.del("p#1").ok(evl(EvPut, "p#1", LabelReg))
	require.Equal(t, []Violation{{"NO-LEAK", "p#1", "never released; holders [AsyncRegisterParent(1)]"}}, s.c.Quiescent(true))
}

// H3: the lost trigger shows at Q1.
func TestCheckerH3(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "C#1")).added("C#1")
	s.ok(evd(EvProbeStart, "C#1", "D"), Event{Kind: EvProbeReturn, Dev: "C#1", Drv: "D", Err: ErrProbeDefer}, ev(EvUnbound, "C#1"))
	s.as("T2").ok(ev(EvNewDevice, "S#1")).added("S#1").bind("S#1", "D")
	s.as("T1").ok(Event{Kind: EvDeferAdd, Dev: "C#1", Flag: true, Count: 0})
	require.Equal(t, "NO-LOST-TRIGGER", s.c.Quiescent(false)[0].Invariant)
}

// H4: the queued attach job binds a device under deletion.
func TestCheckerH4(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(EvGet, "d#1", "AsyncAttach(1)"), Event{Kind: EvSchedule, Cookie: 1})
	s.ok(ev(EvDelEnter, "d#1"), ev(EvKill, "d#1"))
	s.as("A1").bad("BIND-ONLY-LIVE", evd(EvProbeStart, "d#1", "A"))
}

// H6: the second TryUnregister enters DeviceDel again.
func TestCheckerH6(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(evl(EvGet, "d#1", "Task(T1)")).del("d#1").ok(evl(EvPut, "d#1", LabelReg))
	s.bad("DEL-ONCE", ev(EvDelEnter, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(ev(EvKill, "d#1"))
	s.bad("DEL-ONCE", ev(EvKill, "d#1"))
}

// H7a: a raw free after a failed add; H7b: no put, a leak at Q2.
func TestCheckerH7(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "a#1")).failedAdd("a#1", ErrNoMem)
	s.bad("FREE-ONLY-IN-RELEASE", Event{Kind: EvFree, Obj: "a#1"})

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "a#1")).failedAdd("a#1", ErrNoMem)
	s.ok(Event{Kind: EvCall, Op: NewAndRegister{Name: "a"}}, Event{Kind: EvReturn, Op: NewAndRegister{Name: "a"}, Result: Result{Err: ErrNoMem}})
	require.Equal(t, "NO-LEAK", s.c.Quiescent(true)[0].Invariant)

	s = newSeq(t)
	s.bad("ERROR-PROPAGATES", Event{Kind: EvReturn, Op: NewAndRegister{Name: "a"}})
}

// H8: DeviceDel returns with the self-referencing devres entry in place,
// and at Q2 only that reference keeps d alive.
func TestCheckerH8(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(EvGet, "d#1", "Devres(d#1/1)"), Event{Kind: EvDevresAdd, Dev: "d#1"})
	s.ok(ev(EvDelEnter, "d#1"), ev(EvKill, "d#1"), evPhase("d#1", Deleted))
	s.bad("DEVRES-SCOPE", ev(EvDelReturn, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(evl(EvGet, "d#1", "Devres(d#1/1)"), Event{Kind: EvDevresAdd, Dev: "d#1"})
	s.ok(evl(EvPut, "d#1", LabelReg))
	require.Equal(t, "DEVRES-NO-CYCLE", s.c.Quiescent(true)[0].Invariant)
}

// H9: DriverUnregister returns with an async attach queued for the driver,
// then the job probes the gone driver.
func TestCheckerH9(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(drvState("A", Registering), evd(EvAsyncDriver, "d#1", "A"), evl(EvGet, "d#1", "AsyncAttach(1)"))
	s.ok(drvState("A", DriverRegistered), drvState("A", Unregistering))
	s.bad("UNREGISTER-QUIESCES-DRIVER", drvState("A", Unregistered))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.ok(drvState("A", Registering), drvState("A", DriverRegistered), drvState("A", Unregistering), drvState("A", Unregistered))
	s.as("A1").bad("BIND-ONLY-LIVE", evd(EvProbeStart, "d#1", "A"))

	s = newSeq(t)
	s.ok(Event{Kind: EvFree, Obj: "priv(A)"})
	s.bad("NO-UAF", Event{Kind: EvAccess, Obj: "priv(A)"})
}

// H10B: match reads the override string another task freed.
func TestCheckerH10B(t *testing.T) {
	s := newSeq(t)
	s.as("T2").ok(Event{Kind: EvFree, Obj: "override(d#1)/1"})
	s.as("T1").bad("NO-UAF", Event{Kind: EvAccess, Obj: "override(d#1)/1"})
}

func TestCheckerReferenceRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvPut, "d#1", LabelOwner))
	s.bad("REF-NONNEG", evl(EvPut, "d#1", LabelOwner))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvPut, "d#1", LabelOwner))
	s.bad("NO-UAF", evl(EvGet, "d#1", "Task(T1)"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvGet, "d#1", "Task(T1)"))
	s.as("T2").bad("OWNERSHIP", evl(EvPut, "d#1", "Task(T1)"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvGet, "d#1", "Task(T1)"))
	s.as("TD").ok(evl(EvPut, "d#1", "Task(T1)"), evl(EvPut, "d#1", LabelOwner)).releaseFree("d#1")

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"))
	s.bad("REL-ONCE", ev(EvRelease, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), evl(EvPut, "d#1", LabelOwner), ev(EvRelease, "d#1"))
	s.bad("REL-ONCE", ev(EvRelease, "d#1"))
}

func TestCheckerBindingRules(t *testing.T) {
	base := func() *seq {
		s := newSeq(t)
		s.ok(ev(EvNewDevice, "d#1")).added("d#1")
		return s
	}
	base().ok(evd(EvProbeStart, "d#1", "D")).bad("SINGLE-DRIVER", evd(EvProbeStart, "d#1", "E"))
	base().bind("d#1", "D").bad("SINGLE-DRIVER", evd(EvProbeStart, "d#1", "E"))
	base().ok(evd(EvProbeStart, "d#1", "D"), Event{Kind: EvProbeReturn, Dev: "d#1", Drv: "D", Err: ErrNXIO}).bad("OUTCOME-MAPPING", evd(EvBound, "d#1", "D"))
	base().bad("PROBE-REMOVE-PAIRING", evd(EvRemoveStart, "d#1", "D"))
	base().bind("d#1", "D").unbind("d#1", "D").bad("PROBE-REMOVE-PAIRING", evd(EvRemoveStart, "d#1", "D"))
	base().bind("d#1", "D").ok(ev(EvDelEnter, "d#1"), ev(EvKill, "d#1")).bad("DEL-QUIESCES-DEVICE", ev(EvDelReturn, "d#1"))
	base().bind("d#1", "D").ok(Event{Kind: EvDevresAdd, Dev: "d#1", Flag: true}, evd(EvRemoveStart, "d#1", "D"), evd(EvRemoveReturn, "d#1", "D")).
		bad("DEVRES-SCOPE", evd(EvUnbound, "d#1", "D"))
	base().ok(drvState("D", Unregistered)).bad("BIND-ONLY-LIVE", evd(EvProbeStart, "d#1", "D"))
	base().bind("d#1", "D").bad("UNREGISTER-QUIESCES-DRIVER", drvState("D", Unregistered))

	ok := base().bind("d#1", "D").unbind("d#1", "D")
	ok.ok(drvState("D", Unregistered))
}

func TestCheckerAddRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.bad("ADD-ONCE", ev(EvAddEnter, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1")
	s.bad("ADD-ONCE", evPhase("d#1", Adding))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), ev(EvAddEnter, "d#1"), evPhase("d#1", Adding), evl(EvGet, "d#1", LabelAddTransient), evPhase("d#1", AddFailed))
	s.bad("ADD-ERROR-NEUTRAL", evErr(EvAddReturn, "d#1", ErrNoMem))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "p#1")).added("p#1")
	s.ok(Event{Kind: EvNewDevice, Dev: "c#1", Parent: "p#1"}, ev(EvAddEnter, "c#1"), evPhase("c#1", Adding),
		evl(EvGet, "c#1", LabelAddTransient), evl(EvGet, "p#1", "ParentOf(c#1)"), evPhase("c#1", AddFailed),
		evl(EvPut, "c#1", LabelAddTransient))
	s.bad("ADD-ERROR-NEUTRAL", evErr(EvAddReturn, "c#1", ErrNoMem))
}

func TestCheckerDeferredRules(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(ev(EvDeferAdd, "d#1"))
	s.bad("DEFER-LIST-EXCLUSIVE", ev(EvDeferAdd, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").bind("d#1", "D")
	s.bad("DEFER-LIST-EXCLUSIVE", ev(EvDeferAdd, "d#1"))

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1"), ev(EvNewDevice, "e#1")).added("d#1").added("e#1").ok(ev(EvDeferAdd, "d#1"), ev(EvDeferAdd, "e#1"), Event{Kind: EvTrigger})
	s.bad("DEFER-LIST-EXCLUSIVE", ev(EvWorkerPop, "e#1"))
}

func TestCheckerManualSync(t *testing.T) {
	s := newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(Event{Kind: EvCall, Op: Reprobe{Dev: "d#1"}})
	s.bad("MANUAL-SYNC", Event{Kind: EvSchedule, Cookie: 1})

	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(Event{Kind: EvCall, Op: Bind{Dev: "d#1", Driver: "D"}})
	s.bad("MANUAL-SYNC", ev(EvDeferAdd, "d#1"))

	// Inside the probe a Bind runs, a child's add may schedule.
	s = newSeq(t)
	s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(Event{Kind: EvCall, Op: Bind{Dev: "d#1", Driver: "D"}},
		evd(EvProbeStart, "d#1", "D"), Event{Kind: EvSchedule, Cookie: 1})
}

func TestCheckerModuleLoadWaits(t *testing.T) {
	m := Module{Name: "M", Drivers: []string{"A"}}
	s := newSeq(t, m)
	s.ok(Event{Kind: EvCall, Op: ModuleLoad{Module: "M"}}, Event{Kind: EvSchedule, Cookie: 1}, Event{Kind: EvInitDone, Module: "M"})
	s.bad("MODULE-LOAD-WAITS", Event{Kind: EvReturn, Op: ModuleLoad{Module: "M"}})

	s = newSeq(t, Module{Name: "M", AsyncProbe: true})
	s.ok(Event{Kind: EvCall, Op: ModuleLoad{Module: "M"}}, Event{Kind: EvSchedule, Cookie: 1}, Event{Kind: EvInitDone, Module: "M"},
		Event{Kind: EvReturn, Op: ModuleLoad{Module: "M"}})
	require.Equal(t, "NO-LEAK", s.c.Quiescent(true)[0].Invariant, "the entry never finished")
}

// MODULE-LOAD-WAITS covers the entries scheduled before Init returned, in
// event order, whatever their cookies: another task may draw cookie 1
// before Init's cookie 2 and schedule it after Init returned. And it does
// not cover the synchronous fallback (§9): its fn runs in the caller, on
// no pending list, so the load's AsyncSynchronizeFull does not wait for it.
func TestCheckerModuleLoadWaitsOnlyForEntriesPendingAtInit(t *testing.T) {
	m := Module{Name: "M", Drivers: []string{"A"}}
	s := newSeq(t, m)
	s.ok(Event{Kind: EvCall, Op: ModuleLoad{Module: "M"}}, Event{Kind: EvSchedule, Cookie: 2}, Event{Kind: EvEntryEnd, Cookie: 2},
		Event{Kind: EvInitDone, Module: "M"}, Event{Kind: EvSchedule, Task: "T2", Cookie: 1, Inline: true},
		Event{Kind: EvReturn, Op: ModuleLoad{Module: "M"}})

	s = newSeq(t, m)
	s.ok(Event{Kind: EvCall, Op: ModuleLoad{Module: "M"}}, Event{Kind: EvSchedule, Task: "T2", Cookie: 1, Inline: true},
		Event{Kind: EvInitDone, Module: "M"}, Event{Kind: EvReturn, Op: ModuleLoad{Module: "M"}})

	s = newSeq(t, m)
	s.ok(Event{Kind: EvCall, Op: ModuleLoad{Module: "M"}}, Event{Kind: EvSchedule, Cookie: 2}, Event{Kind: EvEntryEnd, Cookie: 2},
		Event{Kind: EvSchedule, Task: "T2", Cookie: 1}, Event{Kind: EvInitDone, Module: "M"})
	s.bad("MODULE-LOAD-WAITS", Event{Kind: EvReturn, Op: ModuleLoad{Module: "M"}})
}

func TestEventString(t *testing.T) {
	require.Equal(t, "T1 Put dev=a#1 label=Owner", Event{Kind: EvPut, Task: "T1", Dev: "a#1", Label: "Owner"}.String())
	require.Equal(t, "A1 Complete dev=a#1 err=ErrNoMem", Event{Kind: EvComplete, Task: "A1", Dev: "a#1", Err: ErrNoMem}.String())
	require.Equal(t, "T1 Schedule flag=true inline=false cookie=3", Event{Kind: EvSchedule, Task: "T1", Flag: true, Cookie: 3}.String())
}

// A violation about open probe/remove pairs names the same pair whatever
// the map's order: openPairs lists the open ones by device, then driver,
// and leaves out the closed ones.
func TestOpenPairsAreSorted(t *testing.T) {
	c := NewChecker(Config{}, nil)
	c.pairs = map[pairKey]int{{"d#2", "A"}: 1, {"d#1", "B"}: 2, {"d#1", "A"}: 1, {"d#0", "Z"}: 0}
	for range 20 {
		require.Equal(t, []pairKey{{"d#1", "A"}, {"d#1", "B"}, {"d#2", "A"}}, c.openPairs())
	}
}
