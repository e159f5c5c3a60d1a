package sut_test

import (
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// TestDevresAddRacingUnbindLeavesNoProbeTimeEntry is the unbind's devres
// window: the owner unbinds a bound d while another task, holding a Lookup
// reference, adds a plain devres entry to d. An entry added between the
// unbind's release of the probe-time entries and driver := nil would be
// tagged probe-time and outlive the driver (DEVRES-SCOPE); the correct
// core skips a program call there. Every schedule with up to one
// preemption must leave no probe-time entry on an unbound d, and the
// search must reach the window.
func TestDevresAddRacingUnbindLeavesNoProbeTimeEntry(t *testing.T) {
	e := sched.NewExhaustive(1)
	window := 0
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		h := newHarness(t, sut.Config{}, noFaults{s})
		drv := syncDriver("A", "d")
		var d *sut.Device
		err := h.run(func() {
			require.NoError(t, h.c.DriverRegister(drv))
			d = h.c.NewDevice("d", nil, nil)
			if h.c.RegisterSync(d) == nil {
				h.c.Unbind(d)
			}
		}, func() {
			if l := h.c.FindDevice(func(x *sut.Device) bool { return x.Name() == "d" }); l != nil {
				h.c.DevresAdd(l, sut.Plain())
				h.c.PutLookup(l)
			}
		})
		require.NoError(t, err, "run %d\n%s", e.Runs(), h.rt.Trace())
		if !sut.DeviceHasDriver(d) { // at Q1 no task runs: d.devres is read without its lock
			left := sut.DeviceHasProbeTimeDevres(d)
			require.False(t, left, "run %d: a probe-time entry outlives the driver\n%s", e.Runs(), h.rt.Trace())
		}
		if inUnbindWindow(h) {
			window++
		}
		h.clean(nil, func() {
			h.c.Unregister(d)
			h.c.DriverUnregister(drv)
		})
	}
	t.Logf("%d schedules, %d in the window", e.Runs(), window)
	require.Positive(t, window, "no schedule called DevresAdd in the unbind's window")
}

// inUnbindWindow reports whether T2's DevresAdd call came after T1's
// Remove returned and before d was unbound.
func inUnbindWindow(h *harness) bool {
	removed := false
	for _, ev := range h.rt.Trace().Events() {
		e, ok := ev.(sut.Event)
		switch {
		case !ok:
		case e.Kind == sut.EvRemoveReturn:
			removed = true
		case e.Kind == sut.EvUnbound && removed:
			return false
		case e.Kind == sut.EvCall && e.Label == "DevresAdd" && removed:
			return true
		}
	}
	return false
}
