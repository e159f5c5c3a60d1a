package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSnapshotShape(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "Z", Match: matchAll("a")}, {Name: "B"}}, nil)
	w.ok(DriverRegister{Driver: "Z"})
	w.ok(DriverRegister{Driver: "B"})
	p := w.newDev("p", "")
	a := w.ok(NewDevice{Name: "a", Parent: p}).Handle
	w.ok(RegisterSync{Device: a})
	dup := w.ok(NewDevice{Name: "a"}).Handle
	require.Equal(t, ErrExist, w.do(DeviceAdd{Device: dup}).Err)
	w.ok(DevresAdd{Device: p, Ref: a})
	w.ok(Get{Device: a})
	require.Equal(t, a, w.ok(FindDevice{Name: "a"}).Handle)
	require.Empty(t, w.ok(FindDevice{Name: "zz"}).Handle)

	require.Equal(t, Snapshot{
		Devices: []DeviceSnap{
			{Handle: "a#1", Name: "a", Parent: "p#1", Phase: "Registered", OnBus: true, Bound: true, Driver: "Z",
				Refcount: 4, Holders: []string{"Devres(p#1/1)", "Lookup(T1)", "Reg", "Task(T1)"}},
			{Handle: "a#2", Name: "a", Phase: "AddFailed", Refcount: 1, Holders: []string{"Owner"}},
			{Handle: "p#1", Name: "p", Phase: "Registered", OnBus: true, Refcount: 2,
				Holders: []string{"ParentOf(a#1)", "Reg"}, Devres: 1},
		},
		Drivers: []DriverSnap{
			{Name: "Z", State: "Registered", Bound: []string{"a#1"}},
			{Name: "B", State: "Registered", Bound: []string{}},
		},
		Pending:      []string{},
		Active:       []string{},
		TriggerCount: 1,
		Modules:      []string{},
	}, w.s.Snapshot())
}

func TestStepIsPure(t *testing.T) {
	s0 := NewState(Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil, nil)
	r, s1 := Step(s0, DriverRegister{Driver: "D"})
	require.NoError(t, r.Err)
	r, s2 := Step(s1, NewAndRegister{Name: "a"})
	require.Equal(t, "a#1", r.Handle)
	require.Empty(t, s0.Snapshot().Drivers)
	require.Empty(t, s1.Snapshot().Devices)
	require.True(t, s2.Snapshot().Devices[0].Bound)

	c := s2.Clone()
	c.Apply(Unbind{Device: "a#1"})
	require.True(t, s2.Snapshot().Devices[0].Bound, "clones are independent")
	require.Equal(t, 1, s2.ProbeRemoveCounts()[0].Successes)
	require.Zero(t, s2.ProbeRemoveCounts()[0].Removes)
}

func TestInvalidOperationsLeaveStateUnchanged(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D"}}, nil)
	a := w.ok(NewDevice{Name: "a"}).Handle
	before := w.s.Snapshot()
	for _, op := range []Op{
		Unregister{Device: a},         // not registered
		Put{Device: a},                // Task(T1) not held
		PutLookup{Device: a},          // Lookup(T1) not held
		DriverUnregister{Driver: "D"}, // not registered
		Get{Device: "nope#1"},
		CompletionWait{Device: a},
		nil,
	} {
		require.NotEmpty(t, w.s.Apply(op).Invalid, "%v", op)
	}
	require.Equal(t, before, w.s.Snapshot())
	_, frozen := w.s.Frozen()
	require.False(t, frozen)
}

func TestErrorNames(t *testing.T) {
	for _, name := range []string{"ErrProbeDefer", "ErrNoDev", "ErrNXIO", "ErrBusy", "ErrNoMem", "ErrExist", "ErrInval", "ErrAgain", "nil"} {
		err, ok := ErrorByName(name)
		require.True(t, ok)
		require.Equal(t, name, ErrorName(err))
	}
	_, ok := ErrorByName("ErrNope")
	require.False(t, ok)
}
