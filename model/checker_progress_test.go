package model_test

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

// progressSeq is d#1 registered and on Pending, deferred by E's probe
// (waiting for x), with drivers E and then D listed; D's script is probe.
func progressSeq(t *testing.T, probe model.ProbeScript, dType model.ProbeType) *seq {
	drivers := []model.Driver{
		{Name: "E", Match: map[string]model.MatchResult{"d": model.MatchYes}, Probe: map[string]model.ProbeScript{"": {Result: model.DeferUntil("x")}}},
		{Name: "D", ProbeType: dType, Match: map[string]model.MatchResult{"d": model.MatchYes}, Probe: map[string]model.ProbeScript{"d": probe}},
	}
	s := &seq{t: t, c: model.NewChecker(model.Config{}, drivers), in: "T1"}
	s.ok(drvState("E", model.Registering), drvState("E", model.DriverRegistered), drvState("D", model.Registering), drvState("D", model.DriverRegistered))
	return s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true})
}

func requireProgress(t *testing.T, s *seq, violated bool) {
	t.Helper()
	var want []model.Violation
	if violated {
		want = []model.Violation{{"DEFER-PROGRESS", "d#1", "on Pending but would bind if probed now"}}
	}
	require.Equal(t, want, s.c.Quiescent(false))
}

// A device left on Pending that the dry run of path A binds violates
// DEFER-PROGRESS; one it does not bind, or cannot settle, does not.
func TestCheckerDeferProgress(t *testing.T) {
	requireProgress(t, progressSeq(t, model.ProbeScript{}, model.ProbeDefault), true)
	requireProgress(t, progressSeq(t, model.ProbeScript{}, model.PreferAsync), true)
	requireProgress(t, progressSeq(t, model.ProbeScript{Result: model.Fail(model.ErrNXIO)}, model.ProbeDefault), false)
	requireProgress(t, progressSeq(t, model.ProbeScript{Result: model.DeferUntil("x")}, model.ProbeDefault), false)
	requireProgress(t, progressSeq(t, model.ProbeScript{Actions: []model.Action{model.WaitGate("g")}}, model.ProbeDefault), false)
	requireProgress(t, progressSeq(t, model.ProbeScript{Actions: []model.Action{model.RegisterChild("c")}}, model.ProbeDefault), false)

	// x bound: E's own probe would now bind d.
	s := progressSeq(t, model.ProbeScript{Result: model.Fail(model.ErrNXIO)}, model.ProbeDefault)
	s.ok(ev(model.EvNewDevice, "x#1")).added("x#1").ok(evd(model.EvProbeStart, "x#1", "D"), evd(model.EvProbeReturn, "x#1", "D"),
		evd(model.EvBound, "x#1", "D"), model.Event{Kind: model.EvTrigger}, ev(model.EvDeferredPop, "d#1"), model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 1})
	requireProgress(t, s, true)

	// The override names E only.
	s = progressSeq(t, model.ProbeScript{}, model.ProbeDefault)
	s.ok(model.Event{Kind: model.EvOverride, Device: "d#1", Label: "E"}).triggered().ok(ev(model.EvDeferredPop, "d#1"),
		model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 1})
	requireProgress(t, s, false)

	// Probing blocked, or a devres entry refusing every probe.
	requireProgress(t, progressSeq(t, model.ProbeScript{}, model.ProbeDefault).ok(model.Event{Kind: model.EvDeferAll, Flag: true}), false)
	requireProgress(t, progressSeq(t, model.ProbeScript{}, model.ProbeDefault).ok(devresAdd("d#1", "r1", false)), false)

	// A driver absent from the catalogue ends the dry run.
	s = &seq{t: t, c: model.NewChecker(model.Config{}, nil), in: "T1"}
	s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1").ok(ev(model.EvDeferredAdd, "d#1"))
	requireProgress(t, s, false)
}

// What the spec does not make a trigger exempts a device until path A
// starts on it again.
func TestCheckerDeferProgressExemptions(t *testing.T) {
	exempt := map[string]func(s *seq){
		"override": func(s *seq) { s.ok(model.Event{Kind: model.EvOverride, Device: "d#1", Label: "D"}) },
		"fault": func(s *seq) {
			s.ok(evd(model.EvProbeStart, "d#1", "E"), fault("F-ASYNC-SYNC"), model.Event{Kind: model.EvProbeReturn, Device: "d#1", Driver: "E", Err: model.ErrProbeDefer}, evd(model.EvUnbound, "d#1", "E"),
				model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Flag: true, Count: 0}) // already on Pending
		},
		"links": func(s *seq) { s.ok(fault("F-PROBE-LINKS"), evd(model.EvUnbound, "d#1", "D")) },
		"unbind": func(s *seq) {
			s.ok(evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D"), evd(model.EvBound, "d#1", "D"), ev(model.EvDeferredRemove, "d#1"),
				model.Event{Kind: model.EvTrigger}, evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D"), evd(model.EvUnbound, "d#1", "D"),
				model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 1})
		},
		"unregister": func(s *seq) {
			s.ok(drvState("F", model.Registering), drvState("F", model.Unregistering), drvState("F", model.Unregistered))
		},
		"async skip": func(s *seq) {
			s.ok(evd(model.EvAsyncDriver, "d#1", "F"), drvState("G", model.Registering), evd(model.EvAsyncDriver, "d#1", ""))
		},
	}
	for name, f := range exempt {
		t.Run(name, func(t *testing.T) {
			s := progressSeq(t, model.ProbeScript{}, model.ProbeDefault)
			f(s)
			requireProgress(t, s, false)
			s.triggered().ok(ev(model.EvDeferredPop, "d#1"))
			s.ok(model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: model.CheckerTriggerCount(s.c)})
			requireProgress(t, s, true)
		})
	}
}

// A deferral from driver_probe_device reports the triggerCount its attempt
// read first (§7.1 step 1): one read after a trigger that came during the
// attempt's Probe is NO-LOST-TRIGGER, whether deferred_add appended the
// device or a guard held it off; a snapshot from before the Probe is
// fine, and a probe that does not defer owes nothing.
func TestCheckerSnapshotPrecedesTheProbe(t *testing.T) {
	deferring := func(t *testing.T) *seq {
		s := newSeq(t)
		s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1")
		return s.triggered().ok(evd(model.EvProbeStart, "d#1", "D")).triggered().
			ok(model.Event{Kind: model.EvProbeReturn, Device: "d#1", Driver: "D", Err: model.ErrProbeDefer}, evd(model.EvUnbound, "d#1", "D"))
	}
	deferring(t).bad("NO-LOST-TRIGGER", model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 2})
	deferring(t).bad("NO-LOST-TRIGGER", model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Flag: true, Count: 2})
	deferring(t).ok(model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 1}).
		// The next attempt in the same context reads its own snapshot.
		triggered().ok(ev(model.EvDeferredRemove, "d#1"), model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 3})
	// A match-level deferral (no snapshot) is not judged.
	deferring(t).ok(model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Count: -1})

	s := newSeq(t)
	s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1").
		ok(evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D"), evd(model.EvBound, "d#1", "D"), model.Event{Kind: model.EvTrigger}).
		triggered().ok(ev(model.EvDeferredRemove, "d#1"),
		// A later attempt refused before any Probe (probing blocked,
		// say) owes nothing to the probe that bound.
		model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Flag: true, Count: 3})
}

// Bind never calls deferred_add (MANUAL-SYNC), whether it appends the
// device or not.
func TestCheckerBindCallsNoDeferredAdd(t *testing.T) {
	for _, k := range []model.EventKind{model.EvDeferredAdd, model.EvDeferredRefused} {
		s := newSeq(t)
		s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1").
			ok(model.Event{Kind: model.EvCall, Op: model.Bind{Device: "d#1", Driver: "D"}})
		s.bad("MANUAL-SYNC", model.Event{Kind: k, Device: "d#1", Flag: true})
	}
}

// deferred_add appends a device only once a driver reached it (§7.1: a
// Probe started, a match deferred, or an attempt got past the checks of
// __driver_probe_device): a not-ready refusal of a device still Adding
// leaves it off Pending (§7.3), unless a match had deferred. A match
// stores canMatch before its deferral's event, so the append is judged
// at Q1: a match deferral from another context that was already under
// way (no event of its own since the append) explains it; nothing else
// does.
func TestCheckerAppendsOnlyAfterADriverReachedIt(t *testing.T) {
	adding := func(t *testing.T) *seq {
		s := newSeq(t)
		return s.ok(ev(model.EvNewDevice, "d#1"), ev(model.EvAddEnter, "d#1"), evPhase("d#1", model.Adding))
	}
	unexplained := func(s *seq) {
		t.Helper()
		v := s.c.Quiescent(false)
		require.NotEmpty(t, v)
		require.Equal(t, "OUTCOME-MAPPING", v[len(v)-1].Invariant, "%v", v)
		require.Equal(t, "d#1", v[len(v)-1].Subject)
	}
	explained := func(s *seq) {
		t.Helper()
		for _, v := range s.c.Quiescent(false) {
			require.NotEqual(t, "OUTCOME-MAPPING", v.Invariant, "%v", v)
		}
	}
	appended := model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 0}
	unexplained(adding(t).ok(appended))
	// T2's match was under way (its last event came before the append).
	explained(adding(t).as("T2").ok(ev(model.EvNewDevice, "x#1")).as("T1").ok(appended).
		as("T2").ok(model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Count: -1})) // d#1 is on Pending already
	// T2's match started after the append: it cannot explain it.
	unexplained(adding(t).ok(appended).as("T2").ok(ev(model.EvNewDevice, "x#1"),
		model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Count: -1}))
	adding(t).ok(model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Flag: true, Count: 0})
	// A match that deferred set canMatch: the next deferral appends.
	adding(t).ok(model.Event{Kind: model.EvDeferredRefused, Device: "d#1", Count: -1},
		model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 0})
	// An attempt on a Registered device passed the checks (a defer-all
	// refusal, say).
	s := newSeq(t)
	s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 0})
}

// Every deferred-probe trigger has a cause (§8: a successful bind, or
// UnblockProbing; §7.1 step 3: the re-check after a deferral from
// driver_probe_device, when triggerCount moved and probing is not
// blocked). A trigger from anywhere else, and a re-check that fires with
// the count unmoved or with probing blocked throughout, is OUTCOME-MAPPING.
func TestCheckerTriggerCause(t *testing.T) {
	// d#1 deferred by a probe whose attempt read triggerCount 0.
	deferred := func(t *testing.T) *seq {
		s := newSeq(t)
		s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1")
		return s.ok(evd(model.EvProbeStart, "d#1", "D"), model.Event{Kind: model.EvProbeReturn, Device: "d#1", Driver: "D", Err: model.ErrProbeDefer},
			evd(model.EvUnbound, "d#1", "D"))
	}
	recheck := func(count int) model.Event { return model.Event{Kind: model.EvTrigger, Count: count} }
	defer0 := model.Event{Kind: model.EvDeferredAdd, Device: "d#1", Flag: true, Count: 0}

	// Moved by another context's bind, probing unblocked: the re-check
	// triggers (count 2 after it).
	deferred(t).triggered().ok(defer0, recheck(2))
	// Not moved: nothing to re-check.
	deferred(t).ok(defer0).bad("OUTCOME-MAPPING", recheck(1))
	// Probing blocked throughout the window: Pending, no re-trigger.
	deferred(t).triggered().ok(model.Event{Kind: model.EvDeferAll, Flag: true, Task: "TB"}, defer0).bad("OUTCOME-MAPPING", recheck(2))
	// Unblocked during the window: the re-check may have read it clear.
	deferred(t).triggered().ok(model.Event{Kind: model.EvDeferAll, Flag: true, Task: "TB"}, defer0,
		model.Event{Kind: model.EvDeferAll, Task: "TB"}, recheck(2))
	// The window closes at the context's next event.
	deferred(t).triggered().ok(defer0, evd(model.EvProbeStart, "d#1", "D")).bad("OUTCOME-MAPPING", recheck(2))
	// A trigger with no cause at all: an unbind, say.
	s := newSeq(t)
	s.ok(drvState("D", model.Registering), drvState("D", model.DriverRegistered), ev(model.EvNewDevice, "d#1")).added("d#1").
		bind("d#1", "D").unbind("d#1", "D").bad("OUTCOME-MAPPING", recheck(2))
}
