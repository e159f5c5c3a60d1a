package sut_test

import (
	"slices"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// TestDevresAddRacingUnregisterNeverLeaks is §14.4's devres race: the owner
// unregisters d while another task, holding a Lookup reference, adds a
// devres action holding a reference to d itself. Every schedule with up to
// two preemptions must release d by Q2.
//
// The window is T2's devres lock: its acquisition is a scheduling point.
// Had DevresAdd tested the phase before taking the lock (the old order),
// the schedule that preempts T2 there and runs T1's whole DeviceDel (kill,
// devres step, Deleted) would let T2 append the self-reference after the
// devres step: after PutLookup only Devres(d#1/1) would hold d, and d would
// never be released (DEVRES-NO-CYCLE). The test requires that the search
// reached that schedule, where the correct core sees dead under the lock
// and adds nothing.
func TestDevresAddRacingUnregisterNeverLeaks(t *testing.T) {
	e := sched.NewExhaustive(2)
	window := 0
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		h := newHarness(t, sut.Config{}, noFaults{s})
		err := h.run(func() {
			d := h.c.NewDevice("d", nil, nil)
			if h.c.RegisterSync(d) == nil {
				h.c.Unregister(d)
			}
		}, func() {
			l := h.c.FindDevice(func(d *sut.Device) bool { return d.Name() == "d" })
			if l != nil {
				h.c.DevresAdd(l, sut.Ref(l))
				h.c.PutLookup(l)
			}
		})
		h.clean(err, func() {})
		require.True(t, h.device("d#1").Released, "run %d: d leaked\n%s", e.Runs(), h.rt.Trace())
		if raced(h) {
			window++
		}
	}
	t.Logf("%d schedules, %d in the window", e.Runs(), window)
	require.Positive(t, window, "no schedule added devres in DeviceDel's window")
}

// raced reports whether T2's DevresAdd call started before d was killed but
// added no entry: the schedule where the old order leaked d.
func raced(h *harness) bool {
	var kinds []string
	for _, ev := range h.rt.Trace().Events() {
		e, ok := ev.(sut.Event)
		if !ok {
			continue
		}
		switch {
		case e.Kind == sut.EvCall && e.Label == "DevresAdd":
			kinds = append(kinds, "call")
		case e.Kind == sut.EvKill:
			kinds = append(kinds, "kill")
		case e.Kind == sut.EvDevresAdd:
			kinds = append(kinds, "add")
		}
	}
	return slices.Equal(kinds, []string{"call", "kill"})
}
