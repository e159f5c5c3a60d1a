package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRegisterAsyncFailingAddKeepsOwner(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddKobj, 1, ErrNoMem})
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.applyNoDrain(RegisterAsync{Device: d})
	require.Equal(t, []string{"AsyncRegister(1)", "Owner"}, w.dev(d).Holders)
	w.s.drain()
	snap := w.dev(d)
	require.Equal(t, "AddFailed", snap.Phase)
	require.Equal(t, []string{"Owner"}, snap.Holders, "the job never drops Owner")
	require.False(t, snap.OnBus)

	require.Equal(t, ErrNoMem, w.do(CompletionWait{Device: d}).Err, "the add's error reaches Wait")
	require.False(t, w.dev(d).Released)
	w.ok(PutOwner{Device: d})
	require.True(t, w.dev(d).Released)
	require.Empty(t, w.s.Q2Violations())
	require.NotEmpty(t, w.s.Apply(CompletionWait{Device: d}).Invalid, "Wait at most once")
}

func TestRegisterAsyncWithParent(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	p := w.newDev("p", "")
	c := w.ok(NewDevice{Name: "c", Parent: p}).Handle
	w.applyNoDrain(RegisterAsync{Device: c})
	require.Equal(t, []string{"AsyncRegisterParent(1)", "Reg"}, w.dev(p).Holders)
	require.Equal(t, "Initialized", w.dev(c).Phase)
	w.s.drain()
	require.Equal(t, "Registered", w.dev(c).Phase)
	require.Equal(t, []string{"Reg"}, w.dev(c).Holders)
	require.Equal(t, []string{"ParentOf(c#1)", "Reg"}, w.dev(p).Holders)
	require.NoError(t, w.do(CompletionWait{Device: c}).Err)
	w.ok(Unregister{Device: c})
	w.ok(Unregister{Device: p})
	require.Empty(t, w.s.Q2Violations())
}

func TestCompletionWaitRunsThePendingJob(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddLate, 1, ErrNoMem})
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.applyNoDrain(RegisterAsync{Device: d})
	r := w.applyNoDrain(CompletionWait{Device: d})
	require.Equal(t, ErrNoMem, r.Err)
	require.Empty(t, w.s.queue)
}

func TestTryUnregisterSecondCallerLoses(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.newDev("d", "")
	w.ok(Get{Device: d})
	require.True(t, w.do(TryUnregister{Device: d}).Won)
	snap := w.dev(d)
	require.Equal(t, "Deleted", snap.Phase)
	require.True(t, snap.Dead)
	require.Equal(t, []string{"Task(T1)"}, snap.Holders)
	require.False(t, w.do(TryUnregister{Device: d}).Won, "the gate lets one caller win")
	require.Equal(t, []string{"Task(T1)"}, w.dev(d).Holders)
	w.ok(Put{Device: d})
	require.True(t, w.dev(d).Released)
}

func TestTryUnregisterLosesOnFailedAdd(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	w.newDev("d", "")
	dup := w.ok(NewDevice{Name: "d"}).Handle
	require.Equal(t, "d#2", dup)
	require.Equal(t, ErrExist, w.do(RegisterSync{Device: dup}).Err)
	require.False(t, w.do(TryUnregister{Device: dup}).Won)
	require.Equal(t, []string{"Owner"}, w.dev(dup).Holders)
}

func TestTryUnregisterSynchronizesRegistrationFirst(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.ok(NewDevice{Name: "d"}).Handle
	w.ok(Get{Device: d})
	w.applyNoDrain(RegisterAsync{Device: d})
	r := w.applyNoDrain(TryUnregister{Device: d})
	require.True(t, r.Won, "the pending registration job ran before the gate")
	require.Equal(t, "Deleted", w.dev(d).Phase)
	require.Equal(t, []string{"Task(T1)"}, w.dev(d).Holders, "Owner became Reg, which the winner put")
	require.NoError(t, w.do(CompletionWait{Device: d}).Err)
}

func TestUnregisterAsync(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("d")}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	d := w.newDev("d", "")
	w.ok(Get{Device: d})
	w.applyNoDrain(UnregisterAsync{Device: d})
	require.Equal(t, []string{"AsyncUnregister(1)", "Reg", "Task(T1)"}, w.dev(d).Holders)
	require.True(t, w.dev(d).Dead, "the winner killed d before scheduling")
	w.applyNoDrain(UnregisterAsync{Device: d})
	require.Len(t, w.s.queue, 1, "the loser schedules nothing")
	w.s.drain()
	snap := w.dev(d)
	require.Equal(t, "Deleted", snap.Phase)
	require.Equal(t, []string{"Task(T1)"}, snap.Holders)
	require.Equal(t, 1, w.counts(d, "D").Removes)
}

func TestFaultNthHitCounting(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{FAddKobj, 2, ErrNoMem})
	a := w.do(NewAndRegister{Name: "a"})
	require.NoError(t, a.Err)
	require.Equal(t, "a#1", a.Handle)
	w.ok(NewDevice{Name: "p"}) // never registered
	require.Equal(t, ErrNoDev, w.do(NewAndRegister{Name: "c", Parent: "p#1"}).Err, "parent check: no hit")
	require.Equal(t, ErrInval, w.do(NewAndRegister{Name: ""}).Err, "name check: no hit of F-ADD-KOBJ")
	b := w.do(NewAndRegister{Name: "b"})
	require.Equal(t, ErrNoMem, b.Err, "second hit fails")
	require.Empty(t, b.Handle, "never (nil, nil), never a handle with an error")
	require.True(t, w.dev("b#1").Released, "NewAndRegister put the failed device")
	require.NoError(t, w.do(NewAndRegister{Name: "e"}).Err, "third hit succeeds")
	require.Equal(t, 3, w.s.Hits()[FAddKobj])
	require.Equal(t, 4, w.s.Hits()[FAddPriv], "F-ADD-PRIV hit by every add with a name")
}

func TestFaultAsyncSyncCountsEverySchedule(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil, Fault{Point: FAsyncSync, Nth: 2})
	a := w.ok(NewDevice{Name: "a"}).Handle
	b := w.ok(NewDevice{Name: "b"}).Handle
	w.applyNoDrain(RegisterAsync{Device: a})
	require.Equal(t, "Initialized", w.dev(a).Phase, "hit 1: queued")
	w.applyNoDrain(RegisterAsync{Device: b})
	require.Equal(t, "Registered", w.dev(b).Phase, "hit 2: the job ran inline")
	require.Equal(t, []string{"Reg"}, w.dev(b).Holders)
	require.Equal(t, 2, w.s.Hits()[FAsyncSync])
	require.Len(t, w.s.queue, 1)
}

func TestMaxPendingFallback(t *testing.T) {
	w := newWorld(t, Config{MaxPending: 1}, []Driver{{Name: "A", ProbeType: PreferAsync, Match: matchAll("a", "b", "c")}}, nil)
	a := w.newDev("a", "")
	b := w.newDev("b", "")
	c := w.newDev("c", "")
	w.applyNoDrain(DriverRegister{Driver: "A"})
	require.Len(t, w.s.queue, 2, "two entries fit: one pending is not more than MaxPending")
	require.False(t, w.dev(a).Bound)
	require.False(t, w.dev(b).Bound)
	require.True(t, w.dev(c).Bound, "the third schedule found 2 > MaxPending pending and ran inline")
	require.Equal(t, []string{"AsyncAttach(2)", "Reg"}, w.dev(b).Holders)
	w.s.drain()
	require.True(t, w.dev(a).Bound)
	require.True(t, w.dev(b).Bound)
	require.Equal(t, 3, w.s.Hits()[FAsyncSync])
}

func TestGateBlocksAndFreezes(t *testing.T) {
	drivers := []Driver{{Name: "D", Match: matchAll("a"),
		Probe: probeAll(ProbeScript{Actions: []Action{WaitGate("g")}})}}
	w := newWorld(t, Config{}, drivers, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.ok(NewDevice{Name: "a"}).Handle
	r := w.s.Apply(RegisterSync{Device: a})
	require.Equal(t, "g", r.Blocked)
	frozen, ok := w.s.Frozen()
	require.True(t, ok)
	require.Equal(t, "g", frozen.Blocked)
	require.Equal(t, "g", w.s.Apply(OpenGate{Gate: "g"}).Blocked, "frozen: later operations report the gate")

	w2 := newWorld(t, Config{}, drivers, nil)
	w2.ok(OpenGate{Gate: "g"})
	w2.ok(DriverRegister{Driver: "D"})
	require.True(t, w2.dev(w2.newDev("a", "")).Bound, "an open gate does not block")
}
