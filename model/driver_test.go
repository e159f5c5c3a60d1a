package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDriverRegisterDuplicate(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D"}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	require.Equal(t, ErrBusy, w.do(DriverRegister{Driver: "D"}).Err)
	require.Len(t, w.s.Snapshot().Drivers, 1)
}

func TestDriverRegisterAllocFailure(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil, Fault{FDrvAlloc, 1, ErrNoMem})
	a := w.newDev("a", "")
	require.Equal(t, ErrNoMem, w.do(DriverRegister{Driver: "D"}).Err)
	require.Empty(t, w.s.Snapshot().Drivers)
	require.Zero(t, w.counts(a, "D").Probes)
}

func TestDriverRegisterGroupsFailureRemovesDriver(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil, Fault{FDrvGroups, 1, ErrNoMem})
	a := w.newDev("a", "")
	require.Equal(t, ErrNoMem, w.do(DriverRegister{Driver: "D"}).Err, "the failure is not caused by a probe, and reaches the caller")
	require.Empty(t, w.s.Snapshot().Drivers)
	d := w.dev(a)
	require.False(t, d.Bound)
	c := w.counts(a, "D")
	require.Equal(t, 1, c.Successes, "driver_attach bound a")
	require.Equal(t, 1, c.Removes, "the full removal unbound it")
	require.NotEmpty(t, w.s.Apply(DriverRegister{Driver: "D"}).Invalid, "a driver value is never re-registered")
	w.quiet()
}

func TestDriverUnregisterFlushesQueuedAsyncProbe(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("a")}}, nil)
	a := w.newDev("a", "")
	w.applyNoDrain(DriverRegister{Driver: "A"})
	require.Equal(t, "A", w.s.devs[a].asyncDriver)
	w.applyNoDrain(DriverUnregister{Driver: "A"})
	require.Empty(t, w.s.queue, "driver_detach synchronized the queued attach job")
	require.Empty(t, w.s.devs[a].asyncDriver)
	d := w.dev(a)
	require.False(t, d.Bound)
	require.Equal(t, []string{"Reg"}, d.Holders)
	c := w.counts(a, "A")
	require.Equal(t, 1, c.Successes)
	require.Equal(t, 1, c.Removes)
	require.Equal(t, "Unregistered", w.s.drvs["A"].state.String())
	require.True(t, w.s.drvs["A"].gone)
}

func TestDriverUnregisterDetachesLastBoundFirst(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a", "b")}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	w.newDev("a", "")
	w.newDev("b", "")
	w.ok(DriverUnregister{Driver: "D"})
	require.Equal(t, []string{"remove b#1 D", "remove a#1 D"}, removes(w.s.Log()))
	require.Empty(t, w.s.Snapshot().Drivers)
	require.Empty(t, w.s.Q1Violations())
}

func TestProbeChildren(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "P", Match: matchAll("p"),
		Probe: probeAll(ProbeScript{Actions: []Action{RegisterChild("c1"), RegisterChild("c2")}})}}, nil)
	w.ok(DriverRegister{Driver: "P"})
	p := w.newDev("p", "")
	require.True(t, w.dev(p).Bound)
	require.Equal(t, []string{"ParentOf(c1#1)", "ParentOf(c2#1)", "Reg"}, w.dev(p).Holders)
	require.Equal(t, "p#1", w.dev("c1#1").Parent)
	require.Equal(t, []string{"Reg"}, w.dev("c2#1").Holders)

	w.ok(Unbind{Device: p})
	log := w.s.Log()
	require.Less(t, indexOf(t, log, "release c2#1"), indexOf(t, log, "release c1#1"), "children unregistered in reverse")
	require.Equal(t, []string{"Reg"}, w.dev(p).Holders)
	require.Equal(t, "Deleted", w.dev("c1#1").Phase)

	require.NoError(t, w.do(Reprobe{Device: p}).Err)
	require.True(t, w.dev("c1#2").OnBus, "a new probe registers new children with fresh handles")
}

func TestProbeFailureUnregistersChildren(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "P", Match: matchAll("p"),
		Probe: probeAll(ProbeScript{Actions: []Action{RegisterChild("c1"), RegisterChild("c2")}, Result: Fail(ErrNXIO)})}}, nil)
	w.ok(DriverRegister{Driver: "P"})
	p := w.newDev("p", "")
	require.False(t, w.dev(p).Bound)
	require.True(t, w.dev("c1#1").Released)
	require.True(t, w.dev("c2#1").Released)
	require.Equal(t, []string{"Reg"}, w.dev(p).Holders)
	log := w.s.Log()
	require.Less(t, indexOf(t, log, "release c2#1"), indexOf(t, log, "release c1#1"))
}

func TestProbeChildAddFailurePutsOwner(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "P", Match: matchAll("p"),
		Probe: probeAll(ProbeScript{Actions: []Action{RegisterChild("c")}})}}, nil,
		Fault{FAddBus, 2, ErrNoMem})
	w.ok(DriverRegister{Driver: "P"})
	p := w.newDev("p", "")
	require.True(t, w.dev(p).Bound, "the child's failure is the probe's business")
	c := w.dev("c#1")
	require.Equal(t, "AddFailed", c.Phase)
	require.True(t, c.Released)
	require.Equal(t, []string{"Reg"}, w.dev(p).Holders, "the unwind dropped ParentOf")
}

func TestReprobeAfterProbeStressMode(t *testing.T) {
	w := newWorld(t, Config{ReprobeAfterProbe: true}, []Driver{{Name: "D", Match: matchAll("a"),
		Probe: probeAll(ProbeScript{Actions: []Action{DevresPlain(), RegisterChild("c")}})}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	c := w.counts(a, "D")
	require.Equal(t, 2, c.Probes)
	require.Equal(t, 2, c.Successes)
	require.Equal(t, 1, c.Removes)
	require.True(t, w.dev(a).Bound)
	require.Equal(t, 1, w.dev(a).Devres, "the first probe's devres was released by the test remove")
	require.True(t, w.dev("c#1").Released)
	require.True(t, w.dev("c#2").OnBus)
	require.Equal(t, 2, w.s.Hits()[FProbeLinks])
	require.Equal(t, 2, w.s.Hits()[FProbeGroups])
	require.Equal(t, 1, w.s.Snapshot().TriggerCount, "only the final bind triggers")
	w.quiet()
}
