package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// world is a test fixture: a state plus helpers that fail the test on an
// invalid operation.
type world struct {
	t *testing.T
	s *State
}

func newWorld(t *testing.T, cfg Config, drivers []Driver, modules []Module, plan ...Fault) *world {
	t.Helper()
	return &world{t: t, s: NewState(cfg, drivers, modules, plan)}
}

// do applies op as T1 and requires that it was valid and did not block.
func (w *world) do(op Op) Result {
	w.t.Helper()
	r := w.s.Apply(op)
	require.Empty(w.t, r.Invalid, "%s", op)
	require.Empty(w.t, r.Blocked, "%s", op)
	return r
}

// ok applies op and requires a nil error.
func (w *world) ok(op Op) Result {
	w.t.Helper()
	r := w.do(op)
	require.NoError(w.t, r.Err, "%s", op)
	return r
}

// newDev runs NewDevice and RegisterSync and returns the handle.
func (w *world) newDev(name, parent string) string {
	w.t.Helper()
	h := w.ok(NewDevice{Name: name, Parent: parent}).Handle
	w.ok(RegisterSync{Device: h})
	return h
}

func (w *world) dev(h string) DeviceSnap {
	w.t.Helper()
	for _, d := range w.s.Snapshot().Devices {
		if d.Handle == h {
			return d
		}
	}
	w.t.Fatalf("no device %s", h)
	return DeviceSnap{}
}

func (w *world) drv(name string) DriverSnap {
	w.t.Helper()
	for _, d := range w.s.Snapshot().Drivers {
		if d.Name == name {
			return d
		}
	}
	w.t.Fatalf("driver %s not listed", name)
	return DriverSnap{}
}

func (w *world) counts(dev, drv string) ProbeRemoveCount {
	for _, p := range w.s.ProbeRemoveCounts() {
		if p.Device == dev && p.Driver == drv {
			return p
		}
	}
	return ProbeRemoveCount{Device: dev, Driver: drv}
}

// quiet requires the quiescent checks to hold.
func (w *world) quiet() {
	w.t.Helper()
	require.Empty(w.t, w.s.Q1Violations())
}

// matchAll is a match table matching every listed name.
func matchAll(names ...string) map[string]MatchResult {
	m := make(map[string]MatchResult, len(names))
	for _, n := range names {
		m[n] = MatchYes
	}
	return m
}

// probeAll gives every device the same probe script.
func probeAll(p ProbeScript) map[string]ProbeScript { return map[string]ProbeScript{"": p} }
