package properties

import (
	"strings"
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// translateTrace translates every event of a recorded trace.
func translateTrace(tr *sched.Trace) []model.Event {
	t := newTranslator(func() []sched.TaskInfo { return tr.Tasks })
	var out []model.Event
	for _, r := range tr.Records {
		out = t.translate(r, out)
	}
	return out
}

func eventLines(evs []model.Event) []string {
	lines := make([]string, len(evs))
	for i, e := range evs {
		lines[i] = e.String()
	}
	return lines
}

// One client registers a synchronous driver and a device it matches, under
// the canonical schedule: the translation names the client T1 and the
// teardown TD, keeps the events' order, turns the core's phases, driver
// states, labels and frees into the model's, drops locks and calls that are
// not program operations, and the Checker accepts it all, through Q2.
func TestTranslationOfARecordedTrace(t *testing.T) {
	p := Program{
		Drivers: []Driver{{Name: "A", ProbeType: ForceSync, Match: map[string]MatchResult{"a": MatchYes}}},
		Clients: [][]Op{{
			{Kind: OpDriverRegister, Driver: "A"},
			{Kind: OpNewDevice, Dev: 0, Name: "a", Parent: -1},
			{Kind: OpRegister, Dev: 0},
		}},
	}
	v := Execute(p, sched.Canonical(), Options{})
	require.Nil(t, v.Failure, "%s", v)
	lines := eventLines(translateTrace(v.Trace))
	program := lines[:slicesIndexPrefix(lines, "TD ")]
	require.Equal(t, []string{
		"T1 Call op=DriverRegister(A)",
		"T1 DriverState drv=A state=Registering",
		"T1 DriverState drv=A state=Registered",
		"T1 Return op=DriverRegister(A) result=nil",
		`T1 Call op=NewDevice("")`,
		"T1 NewDevice dev=a#1",
		"T1 Return op=NewDevice(\"\") result=a#1, nil",
		"T1 Call op=RegisterSync(a#1)",
		"T1 AddEnter dev=a#1",
		"T1 Phase dev=a#1 phase=Adding",
		"T1 Get dev=a#1 label=AddTransient",
		"T1 BusLink dev=a#1 flag=true",
		"T1 Phase dev=a#1 phase=Registered",
		"T1 Relabel dev=a#1 label=Owner to=Reg",
		"T1 ProbeStart dev=a#1 drv=A",
		"T1 ProbeReturn dev=a#1 drv=A err=nil",
		"T1 Bound dev=a#1 drv=A",
		"T1 Trigger tc=1",
		"T1 Put dev=a#1 label=AddTransient",
		"T1 AddReturn dev=a#1 err=nil",
		"T1 Return op=RegisterSync(a#1) result=nil",
	}, program, "full translation:\n%s", strings.Join(lines, "\n"))

	// Teardown unregisters the device and the driver; the device's and the
	// driver's memory are freed under the model's names.
	require.Contains(t, lines, "TD Call op=Unregister(a#1)")
	require.Contains(t, lines, "TD Put dev=a#1 label=Reg")
	require.Contains(t, lines, "TD Free obj=private part of a#1")
	require.Contains(t, lines, "TD Free obj=a#1")
	require.Contains(t, lines, "TD Free obj=priv(A)")
	require.Contains(t, lines, "TD DriverState drv=A state=Unregistered")
	for _, l := range lines {
		require.NotContains(t, l, "Call op=AsyncSynchronize", "not a program operation")
	}

	c := model.NewChecker(model.Config{}, nil)
	for _, e := range translateTrace(v.Trace) {
		require.NoError(t, c.Check(e))
	}
	require.Empty(t, c.Quiescent(true))
}

func slicesIndexPrefix(lines []string, prefix string) int {
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return len(lines)
}

// Labels that name a task are renamed to the task's context: an async
// entry's own task, or an entry running inline in its scheduler's task, is
// "A<cookie>"; another task's label keeps that task's context name.
func TestTranslationNamesContexts(t *testing.T) {
	tasks := []sched.TaskInfo{{ID: 1, Name: "client1"}, {ID: 2, Name: "teardown"}, {ID: 3, Name: "attach a#1"}, {ID: 4, Name: "deferred-worker"}}
	tr := newTranslator(func() []sched.TaskInfo { return tasks })
	rec := func(task sched.TaskID, ev sut.Event) sched.Record {
		return sched.Record{Task: task, Kind: sched.KindEvent, Event: ev}
	}
	var out []model.Event
	for _, r := range []sched.Record{
		rec(1, sut.Event{Kind: sut.EvAsyncStart, Count: 5}), // inline in T1
		rec(1, sut.Event{Kind: sut.EvGet, Device: "a#1", Label: "Iterator(T1)"}),
		rec(1, sut.Event{Kind: sut.EvAsyncEnd, Count: 5}),
		rec(1, sut.Event{Kind: sut.EvGet, Device: "a#1", Label: "Task(T1)"}),
		rec(3, sut.Event{Kind: sut.EvAsyncStart, Count: 6}),
		rec(3, sut.Event{Kind: sut.EvPut, Device: "a#1", Label: "AsyncAttach(6)"}),
		rec(3, sut.Event{Kind: sut.EvAsyncEnd, Count: 6}),
		rec(2, sut.Event{Kind: sut.EvPut, Device: "a#1", Label: "Task(T1)"}),
		rec(4, sut.Event{Kind: sut.EvGet, Device: "a#1", Label: "DeferredWorker"}),
		rec(4, sut.Event{Kind: sut.EvLock, Device: "a#1"}),
		rec(4, sut.Event{Kind: sut.EvDeferredAdd, Device: "a#1", Count: 2, Flag: false}),
		rec(4, sut.Event{Kind: sut.EvDeferredAdd, Device: "a#1", Count: -1, Flag: true}),
		rec(2, sut.Event{Kind: sut.EvFree, Object: sut.ObjOverride, Device: "a#1", Label: "x"}),
		rec(2, sut.Event{Kind: sut.EvFree, Object: sut.ObjOverride, Device: "a#1", Label: "x"}),
	} {
		out = tr.translate(r, out)
	}
	require.Equal(t, []string{
		"A5 EntryStart cookie=5",
		"A5 Get dev=a#1 label=Iterator(A5)",
		"A5 EntryEnd cookie=5",
		"T1 Get dev=a#1 label=Task(T1)",
		"A6 EntryStart cookie=6",
		"A6 Put dev=a#1 label=AsyncAttach(6)",
		"A6 EntryEnd cookie=6",
		"TD Put dev=a#1 label=Task(T1)",
		"W Get dev=a#1 label=DeferredWorker",
		"W DeferredRefused dev=a#1 flag=true tc=2",
		"W DeferredAdd dev=a#1 flag=false tc=-1",
		`TD Free obj=override "x" of a#1`,
		`TD Free obj=override "x" of a#1 #2`,
	}, eventLines(out))
}

// Every event kind of the core is either translated or dropped on purpose:
// a new kind must be added to the table.
func TestEveryEventKindHasATableEntry(t *testing.T) {
	dropped := map[sut.EventKind]bool{sut.EvLock: true, sut.EvUnlock: true, sut.EvAttempt: true}
	for k := sut.EvCall; k <= sut.EvAttempt; k++ {
		require.Less(t, int(k), len(eventTable), "%s", k)
		require.Equal(t, dropped[k], eventTable[k] == nil, "%s", k)
	}
}
