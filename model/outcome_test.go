package model

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOutcomeTable runs one row of §7.3 per case through a device-side scan
// (Reprobe: path A over D1 then D2). Each row runs twice: with D2 not
// matching, to see d and the deferred lists afterwards, and with D2
// matching, to see whether the scan stops or moves on to the next driver.
// It is long because it is the table: one case per row, read side by side
// with the spec's.
func TestOutcomeTable(t *testing.T) {
	rows := []struct {
		name    string
		probe   ProbeScript // D1's probe of "a"
		plan    []Fault
		pre     []Op  // after a is registered unbound, before the scan
		reprobe error // Reprobe's return: nil unless a refusal stopped the scan
		bound   bool  // a bound to D1 afterwards
		pending bool  // a on Pending afterwards (D2 not matching)
		trigger int   // triggerCount afterwards (D2 not matching)
		probes  int   // calls of D1's Probe
		removes int   // calls of D1's Remove
		stop    bool  // the scan stops at D1 (D2 is not probed)
		devres  int   // devres entries left on a (D2 not matching)
	}{
		{name: "probe nil binds", probe: ProbeScript{Actions: []Action{DevresPlain()}},
			bound: true, trigger: 1, probes: 1, stop: true, devres: 1},
		{name: "probe defers", probe: ProbeScript{Actions: []Action{DevresPlain()}, Result: Fail(ErrProbeDefer)},
			pending: true, probes: 1},
		{name: "probe ENODEV is silent", probe: ProbeScript{Result: Fail(ErrNoDev)}, probes: 1},
		{name: "probe ENXIO is silent", probe: ProbeScript{Result: Fail(ErrNXIO)}, probes: 1},
		{name: "probe other error", probe: ProbeScript{Actions: []Action{DevresPlain()}, Result: Fail(ErrNoMem)}, probes: 1},
		{name: "groups fail after probe nil", probe: ProbeScript{Actions: []Action{DevresPlain()}},
			plan: []Fault{{FProbeGroups, 1, ErrNoMem}}, reprobe: ErrNoMem, probes: 1, removes: 1, stop: true},
		{name: "sysfs links fail", plan: []Fault{{FProbeLinks, 1, ErrNoMem}},
			reprobe: ErrNoMem, stop: true},
		{name: "devres present", pre: []Op{DevresAdd{Device: "a#1"}},
			reprobe: ErrBusy, stop: true, devres: 1},
		{name: "defer-all", pre: []Op{BlockProbing{}},
			reprobe: ErrProbeDefer, pending: true, stop: true},
	}
	for _, row := range rows {
		for _, next := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/next=%v", row.name, next), func(t *testing.T) {
				d2 := Driver{Name: "D2"}
				if next {
					d2.Match = matchAll("a")
				}
				w := newWorld(t, Config{}, []Driver{
					{Name: "D1", Match: matchAll("a"), Probe: map[string]ProbeScript{"a": row.probe}},
					d2,
				}, nil, row.plan...)
				w.ok(DriverRegister{Driver: "D1"})
				w.ok(DriverRegister{Driver: "D2"})
				a := w.ok(NewDevice{Name: "a"}).Handle
				w.ok(SetOverride{Device: a, Value: "none"}) // no driver matches during the add
				w.ok(RegisterSync{Device: a})
				w.ok(SetOverride{Device: a, Value: ""})
				require.False(t, w.dev(a).Bound)
				for _, op := range row.pre {
					w.do(op)
				}

				r := w.do(Reprobe{Device: a})

				require.Equal(t, row.reprobe, r.Err, "Reprobe's result")
				c1 := w.counts(a, "D1")
				require.Equal(t, row.probes, c1.Probes, "D1 probes")
				require.Equal(t, row.removes, c1.Removes, "D1 removes")
				d := w.dev(a)
				snap := w.s.Snapshot()
				if next {
					probedNext := w.counts(a, "D2").Probes > 0
					require.Equal(t, !row.stop, probedNext, "scan moved on to D2")
					if probedNext {
						require.Equal(t, "D2", d.Driver)
						require.Empty(t, snap.Pending, "bound devices leave Pending")
					}
					return
				}
				require.Equal(t, row.bound, d.Bound)
				if row.bound {
					require.Equal(t, "D1", d.Driver)
					require.Equal(t, []string{a}, w.drv("D1").Bound)
				} else {
					require.Empty(t, d.Driver, "a probe failure never leaves a driver attached")
					require.Empty(t, w.drv("D1").Bound)
				}
				if row.pending {
					require.Equal(t, []string{a}, snap.Pending)
				} else {
					require.Empty(t, snap.Pending)
				}
				require.Empty(t, snap.Active)
				require.Equal(t, row.trigger, snap.TriggerCount)
				require.Equal(t, row.devres, d.Devres)
				require.Zero(t, snap.ProbeCount)
			})
		}
	}
}

// TestOutcomeDeferRetriggersWhenTriggerMoved: a probe that defers after the
// trigger count moved during it (here: its own sub-driver bound another
// device) re-triggers, so the device gets one more attempt (§7.1 step 3).
func TestOutcomeDeferRetriggersWhenTriggerMoved(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D", Match: matchAll("a"), Probe: map[string]ProbeScript{
			"a": {Actions: []Action{SubDriver("S")}, Result: DeferUntil("never")},
		}},
		{Name: "S", Match: matchAll("x")},
	}, nil)
	x := w.newDev("x", "")
	require.False(t, w.dev(x).Bound)
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")

	require.True(t, w.dev(x).Bound, "the sub-driver bound x during a's probe")
	require.Equal(t, 2, w.counts(a, "D").Probes, "the re-trigger gave a a second attempt")
	snap := w.s.Snapshot()
	require.Equal(t, 2, snap.TriggerCount, "x's bind, then the re-check's trigger")
	require.Equal(t, []string{a}, snap.Pending)
	require.Empty(t, w.s.LivenessViolations())
}

// TestOutcomeNotReady covers the row "not ready": a probe of a device still
// Adding is refused with ErrProbeDefer and puts d on Pending only if
// canMatch was already set. The state is built by hand: sequentially no
// probe can reach a device inside its add window.
func TestOutcomeNotReady(t *testing.T) {
	for _, canMatch := range []bool{false, true} {
		t.Run(fmt.Sprintf("canMatch=%v", canMatch), func(t *testing.T) {
			s := NewState(Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil, nil)
			d := s.newDevice("a", "")
			d.phase = Adding
			d.canMatch = canMatch
			out := s.driverProbeDevice("T1", "D", d)
			require.Equal(t, probeRefused, out.kind)
			require.ErrorIs(t, out.err, ErrProbeDefer)
			require.Equal(t, canMatch, d.canMatch, "not ready does not set canMatch")
			if canMatch {
				require.Equal(t, []string{"a#1"}, s.pending)
			} else {
				require.Empty(t, s.pending)
			}
			require.Zero(t, s.probeCount, "probeCount is balanced on early returns")
			require.Empty(t, s.Log(), "Probe is not called")
		})
	}
}

// TestOutcomeRefusedStates covers the last row: dead or not registered
// (ErrNoDev) and driver already set (ErrBusy) leave everything unchanged.
func TestOutcomeRefusedStates(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D1", Match: matchAll("a", "b")},
		{Name: "D2", Match: matchAll("a")},
	}, nil)
	b := w.ok(NewDevice{Name: "b"}).Handle
	require.NoError(t, w.do(Reprobe{Device: b}).Err, "no driver listed yet: the scan runs to its end")
	w.ok(DriverRegister{Driver: "D1"})
	require.Equal(t, ErrNoDev, w.do(Reprobe{Device: b}).Err, "not registered: refusal ErrNoDev stops the scan")
	require.Zero(t, w.counts(b, "D1").Probes)

	w.ok(DriverRegister{Driver: "D2"})
	a := w.newDev("a", "")
	require.Equal(t, "D1", w.dev(a).Driver)
	require.Equal(t, ErrBusy, w.do(Bind{Device: a, Driver: "D2"}).Err, "driver != nil: refusal ErrBusy")
	require.Zero(t, w.counts(a, "D2").Probes)
	require.Equal(t, "D1", w.dev(a).Driver)
	require.Empty(t, w.s.Snapshot().Pending)
}
