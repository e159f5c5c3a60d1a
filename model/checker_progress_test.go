package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// progressSeq is d#1 registered and on Pending, deferred by E's probe
// (waiting for x), with drivers E and then D listed; D's script is probe.
func progressSeq(t *testing.T, probe ProbeScript, dType ProbeType) *seq {
	drivers := []Driver{
		{Name: "E", Match: map[string]MatchResult{"d": Match}, Probe: map[string]ProbeScript{"": {Result: DeferUntil("x")}}},
		{Name: "D", ProbeType: dType, Match: map[string]MatchResult{"d": Match}, Probe: map[string]ProbeScript{"d": probe}},
	}
	s := &seq{t: t, c: NewChecker(Config{}, drivers), in: "T1"}
	s.ok(drvState("E", Registering), drvState("E", DriverRegistered), drvState("D", Registering), drvState("D", DriverRegistered))
	return s.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(Event{Kind: EvDeferAdd, Dev: "d#1", Flag: true})
}

func requireProgress(t *testing.T, s *seq, violated bool) {
	t.Helper()
	var want []Violation
	if violated {
		want = []Violation{{"DEFER-PROGRESS", "d#1", "on Pending but would bind if probed now"}}
	}
	require.Equal(t, want, s.c.Quiescent(false))
}

// A device left on Pending that the dry run of path A binds violates
// DEFER-PROGRESS; one it does not bind, or cannot settle, does not.
func TestCheckerDeferProgress(t *testing.T) {
	requireProgress(t, progressSeq(t, ProbeScript{}, ProbeDefault), true)
	requireProgress(t, progressSeq(t, ProbeScript{}, PreferAsync), true)
	requireProgress(t, progressSeq(t, ProbeScript{Result: Fail(ErrNXIO)}, ProbeDefault), false)
	requireProgress(t, progressSeq(t, ProbeScript{Result: DeferUntil("x")}, ProbeDefault), false)
	requireProgress(t, progressSeq(t, ProbeScript{Actions: []Action{WaitGate("g")}}, ProbeDefault), false)
	requireProgress(t, progressSeq(t, ProbeScript{Actions: []Action{RegisterChild("c")}}, ProbeDefault), false)

	// x bound: E's own probe would now bind d.
	s := progressSeq(t, ProbeScript{Result: Fail(ErrNXIO)}, ProbeDefault)
	s.ok(ev(EvNewDevice, "x#1")).added("x#1").ok(evd(EvProbeStart, "x#1", "D"), evd(EvProbeReturn, "x#1", "D"),
		evd(EvBound, "x#1", "D"), Event{Kind: EvTrigger}, ev(EvWorkerPop, "d#1"), Event{Kind: EvDeferAdd, Dev: "d#1", Flag: true, Count: 1})
	requireProgress(t, s, true)

	// The override names E only.
	s = progressSeq(t, ProbeScript{}, ProbeDefault)
	s.ok(Event{Kind: EvOverride, Dev: "d#1", Label: "E"}, Event{Kind: EvTrigger}, ev(EvWorkerPop, "d#1"),
		Event{Kind: EvDeferAdd, Dev: "d#1", Flag: true, Count: 1})
	requireProgress(t, s, false)

	// Probing blocked, or a devres entry refusing every probe.
	requireProgress(t, progressSeq(t, ProbeScript{}, ProbeDefault).ok(Event{Kind: EvDeferAll, Flag: true}), false)
	requireProgress(t, progressSeq(t, ProbeScript{}, ProbeDefault).ok(devresAdd("d#1", "r1", false)), false)

	// A driver absent from the catalogue ends the dry run.
	s = &seq{t: t, c: NewChecker(Config{}, nil), in: "T1"}
	s.ok(drvState("D", Registering), drvState("D", DriverRegistered), ev(EvNewDevice, "d#1")).added("d#1").ok(ev(EvDeferAdd, "d#1"))
	requireProgress(t, s, false)
}

// What the spec does not make a trigger exempts a device until path A
// starts on it again.
func TestCheckerDeferProgressExemptions(t *testing.T) {
	exempt := map[string]func(s *seq){
		"override": func(s *seq) { s.ok(Event{Kind: EvOverride, Dev: "d#1", Label: "D"}) },
		"fault": func(s *seq) {
			s.ok(evd(EvProbeStart, "d#1", "E"), fault("F-ASYNC-SYNC"), Event{Kind: EvProbeReturn, Dev: "d#1", Drv: "E", Err: ErrProbeDefer}, evd(EvUnbound, "d#1", "E"))
		},
		"links": func(s *seq) { s.ok(fault("F-PROBE-LINKS"), evd(EvUnbound, "d#1", "D")) },
		"unbind": func(s *seq) {
			s.ok(evd(EvProbeStart, "d#1", "D"), evd(EvProbeReturn, "d#1", "D"), evd(EvBound, "d#1", "D"), ev(EvDeferDel, "d#1"),
				Event{Kind: EvTrigger}, evd(EvRemoveStart, "d#1", "D"), evd(EvRemoveReturn, "d#1", "D"), evd(EvUnbound, "d#1", "D"),
				Event{Kind: EvDeferAdd, Dev: "d#1", Flag: true, Count: 1})
		},
		"unregister": func(s *seq) {
			s.ok(drvState("F", Registering), drvState("F", Unregistering), drvState("F", Unregistered))
		},
		"async skip": func(s *seq) {
			s.ok(evd(EvAsyncDriver, "d#1", "F"), drvState("G", Registering), evd(EvAsyncDriver, "d#1", ""))
		},
	}
	for name, f := range exempt {
		t.Run(name, func(t *testing.T) {
			s := progressSeq(t, ProbeScript{}, ProbeDefault)
			f(s)
			requireProgress(t, s, false)
			s.ok(Event{Kind: EvTrigger}, ev(EvWorkerPop, "d#1"))
			s.ok(Event{Kind: EvDeferAdd, Dev: "d#1", Flag: true, Count: s.c.trigger})
			requireProgress(t, s, true)
		})
	}
}
