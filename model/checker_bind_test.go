package model_test

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

// A successful bind owes its context a deferred-probe trigger (§7.2 step
// 6): only the device's removal from the deferred lists may come first,
// other contexts may run meanwhile, and the bind leaves the device on no
// list.
func TestCheckerBindTriggers(t *testing.T) {
	bound := func() *seq {
		s := newSeq(t)
		s.ok(ev(model.EvNewDevice, "d#1"), ev(model.EvNewDevice, "e#1")).added("d#1").added("e#1").ok(ev(model.EvDeferredAdd, "d#1"))
		s.ok(model.Event{Kind: model.EvCall, Op: model.Bind{Device: "d#1", Driver: "D"}})
		return s.ok(evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D"), evd(model.EvBound, "d#1", "D"))
	}
	bound().ok(ev(model.EvDeferredRemove, "d#1")).as("T2").ok(evl(model.EvGet, "e#1", "Task(T2)")).
		as("T1").ok(model.Event{Kind: model.EvTrigger}, model.Event{Kind: model.EvReturn, Op: model.Bind{Device: "d#1", Driver: "D"}})

	bound().ok(ev(model.EvDeferredRemove, "d#1")).bad("OUTCOME-MAPPING", model.Event{Kind: model.EvReturn, Op: model.Bind{Device: "d#1", Driver: "D"}})
	bound().ok(ev(model.EvDeferredRemove, "d#1")).bad("OUTCOME-MAPPING", evd(model.EvProbeStart, "e#1", "D"))
	bound().bad("OUTCOME-MAPPING", ev(model.EvDeferredRemove, "e#1"))
	bound().bad("DEFER-LIST-EXCLUSIVE", model.Event{Kind: model.EvTrigger})

	s := bound().ok(ev(model.EvDeferredRemove, "d#1"))
	require.Equal(t, []model.Violation{{"OUTCOME-MAPPING", "d#1", "bound by T1, which never triggered deferred probing"}}, s.c.Quiescent(false))

	entry := newSeq(t).as("A1")
	entry.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(model.Event{Kind: model.EvEntryStart, Cookie: 1},
		evd(model.EvProbeStart, "d#1", "D"), evd(model.EvProbeReturn, "d#1", "D"), evd(model.EvBound, "d#1", "D"))
	entry.bad("OUTCOME-MAPPING", model.Event{Kind: model.EvEntryEnd, Cookie: 1})
}
