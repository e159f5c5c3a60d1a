package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A successful bind owes its context a deferred-probe trigger (§7.2 step
// 6): only the device's removal from the deferred lists may come first,
// other contexts may run meanwhile, and the bind leaves the device on no
// list.
func TestCheckerBindTriggers(t *testing.T) {
	bound := func() *seq {
		s := newSeq(t)
		s.ok(ev(EvNewDevice, "d#1"), ev(EvNewDevice, "e#1")).added("d#1").added("e#1").ok(ev(EvDeferAdd, "d#1"))
		s.ok(Event{Kind: EvCall, Op: Bind{Dev: "d#1", Driver: "D"}})
		return s.ok(evd(EvProbeStart, "d#1", "D"), evd(EvProbeReturn, "d#1", "D"), evd(EvBound, "d#1", "D"))
	}
	bound().ok(ev(EvDeferDel, "d#1")).as("T2").ok(evl(EvGet, "e#1", "Task(T2)")).
		as("T1").ok(Event{Kind: EvTrigger}, Event{Kind: EvReturn, Op: Bind{Dev: "d#1", Driver: "D"}})

	bound().ok(ev(EvDeferDel, "d#1")).bad("OUTCOME-MAPPING", Event{Kind: EvReturn, Op: Bind{Dev: "d#1", Driver: "D"}})
	bound().ok(ev(EvDeferDel, "d#1")).bad("OUTCOME-MAPPING", evd(EvProbeStart, "e#1", "D"))
	bound().bad("OUTCOME-MAPPING", ev(EvDeferDel, "e#1"))
	bound().bad("DEFER-LIST-EXCLUSIVE", Event{Kind: EvTrigger})

	s := bound().ok(ev(EvDeferDel, "d#1"))
	require.Equal(t, []Violation{{"OUTCOME-MAPPING", "d#1", "bound by T1, which never triggered deferred probing"}}, s.c.Quiescent(false))

	entry := newSeq(t).as("A1")
	entry.ok(ev(EvNewDevice, "d#1")).added("d#1").ok(Event{Kind: EvEntryStart, Cookie: 1},
		evd(EvProbeStart, "d#1", "D"), evd(EvProbeReturn, "d#1", "D"), evd(EvBound, "d#1", "D"))
	entry.bad("OUTCOME-MAPPING", Event{Kind: EvEntryEnd, Cookie: 1})
}
