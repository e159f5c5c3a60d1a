package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The programs of §16's minimal counterexamples, run on the model (the
// correct core): each has the outcome the fixed kernel gives, and the
// quiescent checks hold.

func TestHistoryH1AsyncRegisterError(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddKobj, 1, ErrNoMem})
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.ok(RegisterAsync{Device: d})
	require.Equal(t, ErrNoMem, w.do(CompletionWait{Device: d}).Err)
	require.Equal(t, []string{"Owner"}, w.dev(d).Holders)
}

func TestHistoryH2ParentPutOnce(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddKobj, 2, ErrNoMem})
	p := w.newDev("p", "")
	c := w.ok(NewDevice{Name: "c", Parent: p}).Handle
	w.ok(RegisterAsync{Device: c})
	require.Equal(t, ErrNoMem, w.do(CompletionWait{Device: c}).Err)
	w.ok(PutOwner{Device: c})
	require.True(t, w.dev(c).Released)
	require.Equal(t, []string{"Reg"}, w.dev(p).Holders, "ParentOf and AsyncRegisterParent both dropped")
	w.ok(Unregister{Device: p})
	require.Empty(t, w.s.Q2Violations())
}

func TestHistoryH4DeletedDeviceNotBound(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("d")}}, nil)
	w.ok(DriverRegister{Driver: "A"})
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.applyNoDrain(RegisterSync{Device: d})
	w.applyNoDrain(Unregister{Device: d})
	w.s.drain()
	require.False(t, w.dev(d).Bound)
	require.Empty(t, w.s.Q2Violations())
}

func TestHistoryH5InlineAttachJob(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("d")}}, nil,
		Fault{Point: FAsyncSync, Nth: 1, Err: ErrNoMem})
	w.ok(DriverRegister{Driver: "A"})
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.applyNoDrain(RegisterSync{Device: d})
	require.True(t, w.dev(d).Bound, "the fallback ran the attach job inline, after unlock")
	require.Equal(t, []string{"Reg"}, w.dev(d).Holders)
}

func TestHistoryH6DuplicateUnregister(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.newDev("d", "")
	w.ok(Get{Device: d})
	require.True(t, w.do(TryUnregister{Device: d}).Won)
	require.False(t, w.do(TryUnregister{Device: d}).Won)
	w.ok(Put{Device: d})
	require.Empty(t, w.s.Q2Violations())
}

func TestHistoryH7FailedNewAndRegister(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddKobj, 1, ErrNoMem})
	r := w.do(NewAndRegister{Name: "a"})
	require.Equal(t, ErrNoMem, r.Err)
	require.Empty(t, r.Handle)
	require.True(t, w.dev("a#1").Released)
	require.Empty(t, w.s.Q2Violations())
}

func TestHistoryH9UnregisterWithQueuedProbe(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("d")}}, nil)
	d := w.newDev("d", "")
	w.applyNoDrain(DriverRegister{Driver: "A"})
	w.applyNoDrain(DriverUnregister{Driver: "A"})
	require.Empty(t, w.s.devs[d].asyncDriver)
	require.False(t, w.dev(d).Bound)
	require.Empty(t, w.s.PairingViolations())
}

func TestHistoryH9dBindThenUnregister(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("d")}}, nil)
	w.ok(DriverRegister{Driver: "A"})
	d := w.newDev("d", "")
	require.Equal(t, ErrBusy, w.do(Bind{Device: d, Driver: "A"}).Err, "drained: the attach job bound d already")
	w.ok(DriverUnregister{Driver: "A"})
	require.False(t, w.dev(d).Bound)
	w.ok(Unregister{Device: d})
	require.Empty(t, w.s.Q2Violations())
}

func TestHistoryH10ProbeRegistersSubDriver(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "P", Match: matchAll("s"), Probe: probeAll(ProbeScript{Actions: []Action{SubDriver("Sub")}})},
		{Name: "Sub"},
	}, nil)
	w.ok(DriverRegister{Driver: "P"})
	s := w.newDev("s", "")
	require.True(t, w.dev(s).Bound)
	require.Equal(t, []DriverSnap{
		{Name: "P", State: "Registered", Bound: []string{s}},
		{Name: "Sub", State: "Registered", Bound: []string{}},
	}, w.s.Snapshot().Drivers)
	w.ok(Reprobe{Device: s})
	require.Len(t, w.s.Snapshot().Drivers, 2, "the sub-driver is registered once")
}
