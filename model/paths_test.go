package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// applyNoDrain runs op as T1 without the drain of §14.7, so a test can see
// what the operation itself left pending.
func (w *world) applyNoDrain(op Op) Result {
	w.t.Helper()
	r := w.s.apply("T1", op)
	require.Empty(w.t, r.Invalid, "%s", op)
	return r
}

func TestPathASyncAtAdd(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.ok(NewDevice{Name: "a"}).Handle
	w.applyNoDrain(RegisterSync{Device: a})
	require.True(t, w.dev(a).Bound, "a synchronous driver probes in the caller")
	require.Empty(t, w.s.queue)
	require.Equal(t, []string{"Reg"}, w.dev(a).Holders)
}

func TestPathAAsyncPass(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")},
		{Name: "S", Match: matchAll("a"), Probe: probeAll(ProbeScript{Result: Fail(ErrNXIO)})},
	}, nil)
	w.ok(DriverRegister{Driver: "A"})
	w.ok(DriverRegister{Driver: "S"})
	a := w.ok(NewDevice{Name: "a"}).Handle
	w.applyNoDrain(RegisterSync{Device: a})

	require.Equal(t, 1, w.counts(a, "S").Probes, "pass 1 probes synchronous drivers only")
	require.Zero(t, w.counts(a, "A").Probes)
	require.False(t, w.dev(a).Bound)
	require.Equal(t, []string{"AsyncAttach(1)", "Reg"}, w.dev(a).Holders)
	require.Len(t, w.s.queue, 1)

	w.s.drain()
	require.True(t, w.dev(a).Bound)
	require.Equal(t, "A", w.dev(a).Driver)
	require.Equal(t, []string{"Reg"}, w.dev(a).Holders)
	require.Equal(t, 1, w.counts(a, "S").Probes, "pass 2 probes async drivers only")
	w.quiet()
}

func TestPathANoAsyncWhenScanStopped(t *testing.T) {
	// A match-level defer stops the scan, so no attach job is scheduled even
	// though an async driver matched earlier.
	w := newWorld(t, Config{}, []Driver{
		{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")},
		{Name: "M", Match: map[string]MatchResult{"a": MatchDefer}},
	}, nil)
	w.ok(DriverRegister{Driver: "A"})
	w.ok(DriverRegister{Driver: "M"})
	a := w.ok(NewDevice{Name: "a"}).Handle
	w.applyNoDrain(RegisterSync{Device: a})
	require.Empty(t, w.s.queue)
	require.Equal(t, []string{a}, w.s.pending)
}

func TestAllowsAsync(t *testing.T) {
	s := NewState(Config{AsyncProbeDrivers: []string{"Listed"}}, []Driver{
		{Name: "Prefer", ProbeType: PreferAsync},
		{Name: "Force", ProbeType: ForceSync, Module: "M"},
		{Name: "Default"},
		{Name: "Listed"},
		{Name: "InModule", Module: "M"},
	}, []Module{{Name: "M", Drivers: []string{"Force", "InModule"}, AsyncProbe: true}}, nil)
	require.True(t, s.allowsAsync("Prefer"))
	require.False(t, s.allowsAsync("Force"), "ForceSync wins over the module flag")
	require.False(t, s.allowsAsync("Default"))
	require.True(t, s.allowsAsync("Listed"))
	require.True(t, s.allowsAsync("InModule"))
}

func TestPathBSync(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a", "b")}}, nil)
	a := w.newDev("a", "")
	b := w.newDev("b", "")
	c := w.newDev("c", "")
	w.applyNoDrain(DriverRegister{Driver: "D"})
	require.True(t, w.dev(a).Bound)
	require.True(t, w.dev(b).Bound)
	require.False(t, w.dev(c).Bound)
	require.Equal(t, []string{a, b}, w.drv("D").Bound)
	require.Equal(t, "Registered", w.drv("D").State)
}

func TestPathBAsync(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")}}, nil)
	a := w.newDev("a", "")
	w.applyNoDrain(DriverRegister{Driver: "A"})
	require.False(t, w.dev(a).Bound)
	require.Equal(t, "A", w.s.devs[a].asyncDriver)
	require.Equal(t, []string{"AsyncAttach(1)", "Reg"}, w.dev(a).Holders)
	w.s.drain()
	require.True(t, w.dev(a).Bound)
	require.Empty(t, w.s.devs[a].asyncDriver)
	require.Equal(t, []string{"Reg"}, w.dev(a).Holders)
}

// TestPathCDeferredRetry is H3's program, sequentially: C defers until S is
// bound; S's bind triggers the worker, which retries C.
func TestPathCDeferredRetry(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("C", "S"),
		Probe: map[string]ProbeScript{"C": {Result: DeferUntil("S")}}}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	c := w.newDev("C", "")
	require.False(t, w.dev(c).Bound)
	require.Equal(t, []string{c}, w.s.Snapshot().Pending)
	w.quiet()

	s := w.ok(NewDevice{Name: "S"}).Handle
	w.applyNoDrain(RegisterSync{Device: s})
	require.True(t, w.dev(s).Bound)
	require.Empty(t, w.s.pending)
	require.Equal(t, []string{c}, w.s.active, "the bind spliced Pending onto Active")
	require.True(t, w.s.workQueued)

	w.s.drain()
	require.True(t, w.dev(c).Bound)
	require.Equal(t, 2, w.counts(c, "D").Probes)
	snap := w.s.Snapshot()
	require.Equal(t, 2, snap.TriggerCount)
	require.Empty(t, snap.Pending)
	require.Empty(t, snap.Active)
	w.quiet()
}

func TestDeferredWorkerHoldsReference(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("C", "S"),
		Probe: map[string]ProbeScript{"C": {Result: DeferUntil("S")}}}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	c := w.newDev("C", "")
	w.newDev("S", "")
	// The worker took and dropped DeferredWorker: only Reg is left.
	require.Equal(t, []string{"Reg"}, w.dev(c).Holders)
	require.True(t, w.dev(c).Bound)
}

func TestAttachJobSkipsDeadDevice(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")}}, nil)
	w.ok(DriverRegister{Driver: "A"})
	a := w.ok(NewDevice{Name: "a"}).Handle
	w.applyNoDrain(RegisterSync{Device: a})
	w.applyNoDrain(Unregister{Device: a})
	require.Equal(t, []string{"AsyncAttach(1)"}, w.dev(a).Holders, "the job keeps a alive")
	w.s.drain()
	d := w.dev(a)
	require.False(t, d.Bound)
	require.True(t, d.Released)
	require.Zero(t, w.counts(a, "A").Probes, "no probe of a dead device")
}

func TestModuleLoadWaitsForAsyncProbes(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "A", ProbeType: PreferAsync, Module: "M", Match: matchAll("a")},
	}, []Module{{Name: "M", Drivers: []string{"A"}}})
	a := w.newDev("a", "")
	w.applyNoDrain(ModuleLoad{Module: "M"})
	require.True(t, w.dev(a).Bound, "ModuleLoad synchronized the async probe before returning")
	require.Empty(t, w.s.queue)
}

func TestModuleLoadAsyncProbeDoesNotWait(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "A", Module: "M", Match: matchAll("a")},
	}, []Module{{Name: "M", Drivers: []string{"A"}, AsyncProbe: true}})
	a := w.newDev("a", "")
	w.applyNoDrain(ModuleLoad{Module: "M"})
	require.False(t, w.dev(a).Bound, "an AsyncProbe module returns with its probes pending")
	require.Len(t, w.s.queue, 1)
	w.s.drain()
	require.True(t, w.dev(a).Bound)
	require.Equal(t, []string{"M"}, w.s.Snapshot().Modules)
}

func TestModuleLoadUnload(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D1", Module: "M", Match: matchAll("a")},
		{Name: "D2", Module: "M", Match: matchAll("b")},
	}, []Module{{Name: "M", Drivers: []string{"D1", "D2"}}})
	a := w.newDev("a", "")
	b := w.newDev("b", "")
	require.Equal(t, ErrInval, w.do(ModuleUnload{Module: "M"}).Err)
	w.ok(ModuleLoad{Module: "M"})
	require.Equal(t, ErrExist, w.do(ModuleLoad{Module: "M"}).Err)
	require.True(t, w.dev(a).Bound)
	require.True(t, w.dev(b).Bound)
	require.Equal(t, []DriverSnap{
		{Name: "D1", State: "Registered", Bound: []string{a}},
		{Name: "D2", State: "Registered", Bound: []string{b}},
	}, w.s.Snapshot().Drivers)

	w.ok(ModuleUnload{Module: "M"})
	require.Empty(t, w.s.Snapshot().Drivers)
	require.Empty(t, w.s.Snapshot().Modules)
	require.Equal(t, []string{"remove b#1 D2", "remove a#1 D1"}, removes(w.s.Log()), "Exit unregisters in reverse")
	require.Equal(t, ErrInval, w.do(ModuleUnload{Module: "M"}).Err)
	require.NotEmpty(t, w.s.Apply(ModuleLoad{Module: "M"}).Invalid, "a module is loaded at most once")
}

func TestModuleInitFailureUnwinds(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D1", Module: "M", Match: matchAll("a")},
		{Name: "D2", Module: "M"},
	}, []Module{{Name: "M", Drivers: []string{"D1", "D2"}}},
		Fault{FDrvAlloc, 2, ErrNoMem})
	a := w.newDev("a", "")
	require.Equal(t, ErrNoMem, w.do(ModuleLoad{Module: "M"}).Err)
	require.Empty(t, w.s.Snapshot().Modules)
	require.Empty(t, w.s.Snapshot().Drivers)
	require.False(t, w.dev(a).Bound)
	c := w.counts(a, "D1")
	require.Equal(t, 1, c.Successes)
	require.Equal(t, 1, c.Removes, "D1 was unregistered, unbinding a")
}

func removes(log []string) []string {
	var out []string
	for _, l := range log {
		if len(l) > 7 && l[:7] == "remove " {
			out = append(out, l)
		}
	}
	return out
}
