package properties

import (
	"errors"
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// checkTrace feeds a recorded trace, translated, to a fresh Checker and
// returns the Checker and its first error.
func checkTrace(recs []sched.Record, tasks []sched.TaskInfo) (*model.Checker, error) {
	tr := newTranslator(func() []sched.TaskInfo { return tasks })
	c := model.NewChecker(model.Config{}, nil)
	var buf []model.Event
	for _, r := range recs {
		buf = tr.translate(r, buf[:0])
		for _, e := range buf {
			if err := c.Check(e); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

func requireInvariant(t *testing.T, err error, want string) {
	t.Helper()
	var ie *model.InvariantError
	require.ErrorAs(t, err, &ie, "want %s, got %v", want, err)
	require.Equal(t, want, ie.Invariant, "%v", err)
}

// h1Program is spec §16 H1's minimal counterexample: NewDevice(d);
// h := RegisterAsync(d); h.Wait(), with the first F-ADD-KOBJ failing.
var h1Program = Program{
	Clients: [][]Op{{
		{Kind: OpNewDevice, Dev: 0, Name: "d", Parent: -1},
		{Kind: OpRegisterAsync, Dev: 0},
		{Kind: OpWait, Dev: 0},
	}},
	Faults: []sched.Fault{{Point: "F-ADD-KOBJ", Nth: 1, Value: 1}},
}

// H1 through the translation, with the Checker alone: the buggy core's
// trace up to its own OWNERSHIP report is legal, and the events the
// buggy registration job goes on to emit (the caller's Owner put by the
// job, then a completion with nil) are rejected by the model, each under
// its own invariant.
func TestCheckerAloneRejectsH1(t *testing.T) {
	v := Execute(h1Program, sched.Canonical(), Options{Bug: sut.BugH1})
	require.NotNil(t, v.Failure)
	require.Equal(t, "OWNERSHIP", v.Failure.Invariant, "the core's instrumentation: %s", v)
	recs, tasks := v.Trace.Records, v.Trace.Tasks

	// The job's task: the one whose add failed.
	job := sched.NoTask
	for _, r := range recs {
		if ev, ok := r.Event.(sut.Event); ok && r.Kind == sched.KindEvent && ev.Kind == sut.EvAddReturn {
			require.Equal(t, "ErrNoMem", ev.Err)
			job = r.Task
		}
	}
	require.NotEqual(t, sched.NoTask, job, "the registration job ran")
	c, err := checkTrace(recs, tasks)
	require.NoError(t, err, "the trace up to the core's report is legal")
	require.Positive(t, c.Checked())

	step := recs[len(recs)-1].Step
	ev := func(e sut.Event) sched.Record {
		e.Task = job
		return sched.Record{Step: step, Task: job, Kind: sched.KindEvent, Event: e}
	}
	// What the H1 job emits next (sut/register_async.go, BugH1 branch).
	putOwner := ev(sut.Event{Kind: sut.EvPut, Device: "d#1", Label: "Owner", Count: 1})
	putJob := ev(sut.Event{Kind: sut.EvPut, Device: "d#1", Label: "AsyncRegister(1)", Count: 0})
	completeNil := ev(sut.Event{Kind: sut.EvComplete, Device: "d#1", Count: 1, Err: "nil"})

	_, err = checkTrace(append(recs[:len(recs):len(recs)], putOwner, putJob, completeNil), tasks)
	requireInvariant(t, err, "OWNERSHIP")
	require.ErrorContains(t, err, "A1 puts Owner on d#1, owned by T1")

	// Had the job kept the caller's reference, the completion would still
	// lie about the failed add.
	_, err = checkTrace(append(recs[:len(recs):len(recs)], putJob, completeNil), tasks)
	requireInvariant(t, err, "ERROR-PROPAGATES")
}

// H9 through the translation: the buggy core's own recorded trace already
// contains the illegal event (the driver unregistered while an attach job
// for it is queued), which the Checker rejects without the core's check.
func TestCheckerAloneRejectsH9(t *testing.T) {
	p := Program{
		Drivers: []Driver{{Name: "A", ProbeType: PreferAsync, Match: map[string]MatchResult{"d": MatchYes}}},
		Clients: [][]Op{{
			{Kind: OpNewDevice, Dev: 0, Name: "d", Parent: -1},
			{Kind: OpRegister, Dev: 0},
			{Kind: OpDriverRegister, Driver: "A"},
			{Kind: OpDriverUnregister, Driver: "A"},
		}},
	}
	v := Execute(p, sched.Canonical(), Options{Bug: sut.BugH9})
	require.NotNil(t, v.Failure)
	require.Equal(t, "UNREGISTER-QUIESCES-DRIVER", v.Failure.Invariant, "%s", v)
	_, err := checkTrace(v.Trace.Records, v.Trace.Tasks)
	requireInvariant(t, err, "UNREGISTER-QUIESCES-DRIVER")
	require.ErrorContains(t, err, "A unregistered with an async attach of d#1 queued")

	// The correct core passes the same program, checker included.
	v = Execute(p, sched.Canonical(), Options{})
	require.Nil(t, v.Failure, "%s", v)
}

// A Checker error becomes a Failure named after its invariant; at the
// checkpoints the first of the model's violations wins, deterministically.
func TestModelFailuresNameTheInvariant(t *testing.T) {
	err := &model.InvariantError{Invariant: "REL-ONCE", Detail: "x"}
	require.Equal(t, &Failure{Invariant: "REL-ONCE", Step: 7, Msg: "model: REL-ONCE: x"}, modelFailure(err, 7))
	require.Equal(t, "MODEL", modelFailure(errors.New("other"), 1).Invariant)

	tasks := []sched.TaskInfo{{ID: 1, Name: "client1"}}
	mc := newModelCheck(Program{}, func() []sched.TaskInfo { return tasks })
	tr := &sched.Trace{Tasks: tasks, Records: []sched.Record{
		{Step: 1, Task: 1, Kind: sched.KindEvent, Event: sut.Event{Kind: sut.EvNewDevice, Device: "b#1"}},
		{Step: 1, Task: 1, Kind: sched.KindEvent, Event: sut.Event{Kind: sut.EvNewDevice, Device: "a#1"}},
	}}
	require.Nil(t, mc.check(tr))
	require.Nil(t, mc.quiescent(false, 2))
	require.Equal(t, &Failure{Invariant: "NO-LEAK", Step: 3, Msg: "model: NO-LEAK: a#1: never released; holders [Owner]"}, mc.quiescent(true, 3))
	tr.Records = append(tr.Records,
		sched.Record{Step: 4, Task: 1, Kind: sched.KindEvent, Event: sut.Event{Kind: sut.EvPut, Device: "a#1", Label: "Reg"}})
	f := mc.check(tr)
	require.NotNil(t, f)
	require.Equal(t, "OWNERSHIP", f.Invariant)
	require.Equal(t, 4, f.Step)
	require.Nil(t, mc.check(tr), "records already checked are not checked again")
}

// The earlier of the run's failure and the model's is the verdict; the
// run's own wins a tie.
func TestEarliestFailureWins(t *testing.T) {
	run, mod := &Failure{Invariant: "NO-UAF", Step: 5}, &Failure{Invariant: "OWNERSHIP", Step: 3}
	require.Equal(t, mod, earliest(run, mod))
	require.Equal(t, run, earliest(run, &Failure{Invariant: "OWNERSHIP", Step: 5}))
	require.Equal(t, run, earliest(run, nil))
	require.Equal(t, mod, earliest(nil, mod))
	require.Nil(t, earliest(nil, nil))
}

// ERROR-PROPAGATES on NewAndRegister's result, through the translation: the
// core's return event carries the handle in Device and the error's name in
// Err, and a (nil, nil) or (handle, error) return is rejected.
func TestCheckerRejectsNewAndRegisterResults(t *testing.T) {
	tasks := []sched.TaskInfo{{ID: 1, Name: "client1"}}
	run := func(ret sut.Event) error {
		evs := []sut.Event{
			{Kind: sut.EvCall, Label: "NewAndRegister"},
			{Kind: sut.EvNewDevice, Device: "a#1"},
			{Kind: sut.EvAddEnter, Device: "a#1"},
			{Kind: sut.EvPhase, Device: "a#1", Label: "Adding"},
			{Kind: sut.EvGet, Device: "a#1", Label: "AddTransient"},
			{Kind: sut.EvFault, Label: "F-ADD-KOBJ"},
			{Kind: sut.EvPhase, Device: "a#1", Label: "AddFailed"},
			{Kind: sut.EvPut, Device: "a#1", Label: "AddTransient"},
			{Kind: sut.EvAddReturn, Device: "a#1", Err: "ErrNoMem"},
			ret,
		}
		recs := make([]sched.Record, len(evs))
		for i, e := range evs {
			e.Task = 1
			recs[i] = sched.Record{Step: i + 1, Task: 1, Kind: sched.KindEvent, Event: e}
		}
		_, err := checkTrace(recs, tasks)
		return err
	}
	require.NoError(t, run(sut.Event{Kind: sut.EvReturn, Label: "NewAndRegister", Err: "ErrNoMem"}))
	err := run(sut.Event{Kind: sut.EvReturn, Label: "NewAndRegister"})
	requireInvariant(t, err, "ERROR-PROPAGATES")
	require.ErrorContains(t, err, "returned (nil, nil)")
	err = run(sut.Event{Kind: sut.EvReturn, Label: "NewAndRegister", Device: "a#1", Err: "ErrNoMem"})
	requireInvariant(t, err, "ERROR-PROPAGATES")
	require.ErrorContains(t, err, "returned a#1 with ErrNoMem")
}
