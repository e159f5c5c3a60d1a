package sut_test

import (
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// TestProbeOutcomes checks one row of the §7.3 outcome table each: a single
// program task under the canonical schedule. It is long because it is the
// table: one case per row, read side by side with the spec's.
func TestProbeOutcomes(t *testing.T) {
	never := sut.DeferUntil("never") // no device of that name ever binds
	tests := []struct {
		name   string
		faults []sched.Fault
		// program runs in T1 with drivers A and B (both synchronous and
		// matching "d", registered in that order) and returns d.
		a, b  sut.ProbeScript
		setup func(h *harness) // before d is added
		check func(t *testing.T, h *harness, s sut.DeviceSnap)
	}{
		{
			name: "probe nil binds, triggers and stops the scan",
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.Equal(t, "A", s.Driver)
				require.True(t, s.Bound)
				snap := h.c.Snapshot()
				require.Equal(t, 1, snap.TriggerCount)
				require.Empty(t, snap.Pending)
				require.Len(t, h.events(sut.EvProbeStart), 1, "B is not probed")
			},
		},
		{
			name: "probe ErrProbeDefer releases probe devres, goes Pending, next driver",
			a:    sut.ProbeScript{Actions: []sut.Action{sut.DevresPlain()}, Result: never},
			b:    sut.ProbeScript{Result: sut.FailWith(sut.ErrNoDev)},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.False(t, s.Bound)
				require.Zero(t, s.Devres)
				require.Equal(t, []string{"d#1"}, h.c.Snapshot().Pending)
				require.Len(t, h.events(sut.EvProbeStart), 2, "B is probed next")
			},
		},
		{
			name: "probe ErrNoDev is silent, next driver",
			a:    sut.ProbeScript{Result: sut.FailWith(sut.ErrNoDev)},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.Equal(t, "B", s.Driver)
				require.Empty(t, h.c.Snapshot().Pending)
			},
		},
		{
			name: "probe ErrNXIO is silent, next driver",
			a:    sut.ProbeScript{Result: sut.FailWith(sut.ErrNXIO)},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.Equal(t, "B", s.Driver)
			},
		},
		{
			name: "probe other error, next driver",
			a:    sut.ProbeScript{Result: sut.FailWith(sut.ErrIO)},
			b:    sut.ProbeScript{Result: sut.FailWith(sut.ErrIO)},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.False(t, s.Bound)
				require.Empty(t, s.Driver)
				require.Empty(t, h.c.Snapshot().Pending)
				require.Len(t, h.events(sut.EvProbeStart), 2)
			},
		},
		{
			name:   "groups fail after probe nil: Remove once, unbound, stop",
			faults: []sched.Fault{{Point: "F-PROBE-GROUPS", Nth: 1, Value: 1}},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.False(t, s.Bound)
				require.Len(t, h.events(sut.EvRemoveStart), 1)
				require.Len(t, h.events(sut.EvProbeStart), 1, "the refusal stops the scan")
			},
		},
		{
			name:   "sysfs links fail: Probe not called, stop",
			faults: []sched.Fault{{Point: "F-PROBE-LINKS", Nth: 1, Value: 1}},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.False(t, s.Bound)
				require.Empty(t, h.events(sut.EvProbeStart))
			},
		},
		{
			name: "defer-all: Pending without re-trigger, stop",
			setup: func(h *harness) {
				h.c.BlockProbing()
			},
			check: func(t *testing.T, h *harness, s sut.DeviceSnap) {
				require.False(t, s.Bound)
				snap := h.c.Snapshot()
				require.Equal(t, []string{"d#1"}, snap.Pending)
				require.Zero(t, snap.TriggerCount)
				require.Empty(t, h.events(sut.EvProbeStart))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, sut.Config{}, canonical(tt.faults...))
			a, b := syncDriver("A", "d"), syncDriver("B", "d")
			a.Probe = map[string]sut.ProbeScript{"d": tt.a}
			b.Probe = map[string]sut.ProbeScript{"d": tt.b}
			var d *sut.Device
			err := h.run(func() {
				require.NoError(t, h.c.DriverRegister(a))
				require.NoError(t, h.c.DriverRegister(b))
				d = h.c.NewDevice("d", nil, nil)
				if tt.setup != nil {
					tt.setup(h)
				}
				require.NoError(t, h.c.RegisterSync(d))
			})
			require.NoError(t, err)
			tt.check(t, h, h.device("d#1"))
			h.clean(nil, func() {
				h.c.UnblockProbing()
				h.c.Unregister(d)
				h.c.DriverUnregister(b)
				h.c.DriverUnregister(a)
			})
		})
	}
}

// TestProbeRefusals checks the refusal rows of §7.3 through Bind and
// Reprobe, which report them.
func TestProbeRefusals(t *testing.T) {
	t.Run("devres present refuses with ErrBusy", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, canonical())
		a := syncDriver("A", "d")
		var d *sut.Device
		err := h.run(func() {
			d = h.c.NewDevice("d", nil, nil)
			require.NoError(t, h.c.RegisterSync(d))
			h.c.DevresAdd(d, sut.Plain())
			require.NoError(t, h.c.DriverRegister(a)) // path B ignores the refusal
			require.ErrorIs(t, h.c.Reprobe(d), sut.ErrBusy)
			require.ErrorIs(t, h.c.Bind(d, a), sut.ErrBusy)
		})
		require.NoError(t, err)
		require.False(t, h.device("d#1").Bound)
		require.Empty(t, h.events(sut.EvProbeStart))
		h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(a) })
	})
	t.Run("driver already bound refuses with ErrBusy", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, canonical())
		a, b := syncDriver("A", "d"), syncDriver("B", "d")
		var d *sut.Device
		err := h.run(func() {
			require.NoError(t, h.c.DriverRegister(a))
			require.NoError(t, h.c.DriverRegister(b))
			d = h.c.NewDevice("d", nil, nil)
			require.NoError(t, h.c.RegisterSync(d))
			require.ErrorIs(t, h.c.Bind(d, b), sut.ErrBusy)
		})
		require.NoError(t, err)
		require.Equal(t, "A", h.device("d#1").Driver)
		h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(b); h.c.DriverUnregister(a) })
	})
	t.Run("dead or unregistered device: ErrNoDev, Reprobe nil", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, canonical())
		a := syncDriver("A", "d")
		err := h.run(func() {
			require.NoError(t, h.c.DriverRegister(a))
			d := h.c.NewDevice("d", nil, nil)
			require.ErrorIs(t, h.c.Bind(d, a), sut.ErrNoDev, "Initialized")
			require.NoError(t, h.c.RegisterSync(d))
			h.c.Get(d)
			h.c.Unregister(d)
			require.ErrorIs(t, h.c.Bind(d, a), sut.ErrNoDev, "dead")
			require.NoError(t, h.c.Reprobe(d))
			h.c.Put(d)
		})
		h.clean(err, func() { h.c.DriverUnregister(a) })
	})
	t.Run("not ready: refused while Adding, canMatch not yet set", func(t *testing.T) {
		// T1 adds d and stops once d is visible; T2's driver_attach finds
		// d Adding: refused with ErrProbeDefer, not put on Pending. d's
		// own initial probe then binds it.
		h := newHarness(t, sut.Config{}, &preempt{point: "Y-ADD-VISIBLE", nth: 1, to: 2})
		a := syncDriver("A", "d")
		var d *sut.Device
		err := h.run(
			func() {
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
			},
			func() { require.NoError(t, h.c.DriverRegister(a)) },
		)
		require.NoError(t, err)
		require.Equal(t, []string{"T2 deferred-add d#1 n=0"}, h.events(sut.EvDeferredAdd), "refused, not added")
		require.Equal(t, "A", h.device("d#1").Driver)
		require.Len(t, h.events(sut.EvProbeStart), 1)
		h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(a) })
	})
}
