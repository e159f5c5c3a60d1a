package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// unboundMatching registers device name so that no driver probes it during
// the add, then lets drv match it through the override.
func (w *world) unboundMatching(name, drv string) string {
	w.t.Helper()
	h := w.ok(NewDevice{Name: name}).Handle
	w.ok(SetOverride{Device: h, Value: "none"})
	w.ok(RegisterSync{Device: h})
	w.ok(SetOverride{Device: h, Value: drv})
	return h
}

func TestBindReturnsProbeError(t *testing.T) {
	cases := []struct {
		name   string
		result Outcome
		want   error
	}{
		{"nil binds", OK(), nil},
		{"defer maps to EAGAIN", DeferUntil("never"), ErrAgain},
		{"ENXIO", Fail(ErrNXIO), ErrNXIO},
		{"ENODEV", Fail(ErrNoDev), ErrNoDev},
		{"other", Fail(ErrNoMem), ErrNoMem},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Config{}, []Driver{{Name: "D",
				Probe: probeAll(ProbeScript{Actions: []Action{DevresPlain()}, Result: tc.result})}}, nil)
			w.ok(DriverRegister{Driver: "D"})
			a := w.unboundMatching("a", "D")

			r := w.do(Bind{Device: a, Driver: "D"})

			require.Equal(t, tc.want, r.Err)
			d := w.dev(a)
			require.Equal(t, tc.want == nil, d.Bound)
			snap := w.s.Snapshot()
			require.Empty(t, snap.Pending, "Bind never calls deferred_add")
			if tc.want == nil {
				require.Equal(t, 1, snap.TriggerCount, "a bind triggers deferred probing")
				require.Equal(t, 1, d.Devres)
			} else {
				require.Zero(t, snap.TriggerCount, "Bind never re-checks the trigger count")
				require.Zero(t, d.Devres, "probe devres released on failure")
				require.Empty(t, d.Driver)
			}
		})
	}
}

func TestBindGates(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D"}, {Name: "E"}, {Name: "F"}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	w.ok(DriverRegister{Driver: "E"})
	f := w.unboundMatching("f", "F")
	require.Equal(t, ErrNoDev, w.do(Bind{Device: f, Driver: "F"}).Err, "driver not registered")
	a := w.unboundMatching("a", "D")
	require.Equal(t, ErrNoDev, w.do(Bind{Device: a, Driver: "E"}).Err, "match not positive")
	n := w.ok(NewDevice{Name: "n"}).Handle
	w.ok(SetOverride{Device: n, Value: "D"})
	require.Equal(t, ErrNoDev, w.do(Bind{Device: n, Driver: "D"}).Err, "device not registered")
	require.Zero(t, w.counts(n, "D").Probes)
	w.ok(Bind{Device: a, Driver: "D"})
	require.Equal(t, ErrBusy, w.do(Bind{Device: a, Driver: "D"}).Err, "already bound")
	require.Equal(t, 1, w.counts(a, "D").Probes)
}

func TestBindNeverSchedules(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync}}, nil)
	w.ok(DriverRegister{Driver: "A"})
	a := w.unboundMatching("a", "A")
	w.applyNoDrain(Bind{Device: a, Driver: "A"})
	require.True(t, w.dev(a).Bound, "Bind probes synchronously even for an async driver")
	require.Empty(t, w.s.queue)
	require.Zero(t, w.s.lastCookie)
}

func TestUnbindCallsRemoveOnce(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a", "b"),
		Probe: map[string]ProbeScript{"b": {Result: DeferUntil("never")}}}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	w.newDev("b", "")
	before := w.s.Snapshot()
	require.Len(t, before.Pending, 1)

	w.ok(Unbind{Device: a})
	c := w.counts(a, "D")
	require.Equal(t, 1, c.Removes)
	d := w.dev(a)
	require.False(t, d.Bound)
	require.Empty(t, d.Driver)
	require.Empty(t, w.drv("D").Bound)
	after := w.s.Snapshot()
	require.Equal(t, before.TriggerCount, after.TriggerCount, "unbind never triggers")
	require.Equal(t, before.Pending, after.Pending)

	w.ok(Unbind{Device: a})
	require.Equal(t, 1, w.counts(a, "D").Removes, "no driver, no remove")
	w.quiet()
}

func TestReprobe(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")}}, nil)
	w.ok(DriverRegister{Driver: "A"})
	a := w.newDev("a", "")
	require.True(t, w.dev(a).Bound)

	r := w.applyNoDrain(Reprobe{Device: a})
	require.NoError(t, r.Err)
	require.True(t, w.dev(a).Bound, "Reprobe probes async drivers synchronously")
	require.Empty(t, w.s.queue)
	c := w.counts(a, "A")
	require.Equal(t, 2, c.Probes)
	require.Equal(t, 1, c.Removes)
}

func TestReprobeDeadDevice(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	a := w.newDev("a", "")
	w.ok(Get{Device: a})
	require.True(t, w.do(TryUnregister{Device: a}).Won)
	w.ok(DriverRegister{Driver: "D"})
	require.NoError(t, w.do(Reprobe{Device: a}).Err)
	require.Zero(t, w.counts(a, "D").Probes)
	require.Equal(t, []string{"Task(T1)"}, w.dev(a).Holders)
}

func TestReprobeReturnsMatchError(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: map[string]MatchResult{"a": MatchError}, MatchErr: ErrNXIO}}, nil)
	a := w.newDev("a", "")
	w.ok(DriverRegister{Driver: "D"})
	require.Equal(t, ErrNXIO, w.do(Reprobe{Device: a}).Err)
	require.Empty(t, w.s.Snapshot().Pending, "a match error does not defer")
}
