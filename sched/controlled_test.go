package sched_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"pgregory.net/rapid"
)

// onCaller answers 0 to everything, like Canonical, but is not Local: the
// controlled runtime must ask it on the goroutine that called Run.
type onCaller struct{}

func (onCaller) Choose(sched.Choice) (int, error) { return 0, nil }
func (onCaller) Decide(string, int) (int, error)  { return 0, nil }

// canonical is the canonical schedule asked through the hand-off to the
// caller; the Local path is what RandomWalk, PCT and Replay take in the
// other tests, and TestLocalAndCallerStrategiesAgree ties the two.
func canonical() sched.Strategy { return onCaller{} }

func TestLocalAndCallerStrategiesAgree(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := program(programGen.Draw(rt, "program"))
		tr1, ds1, err1 := run(sched.Canonical(), p.build)
		tr2, ds2, err2 := run(onCaller{}, p.build)
		require.Equal(rt, tr1.String(), tr2.String())
		require.Equal(rt, ds1, ds2)
		require.Equal(rt, errText(err1), errText(err2))
	})
}

// steps lists the records of kind k as "task text".
func steps(tr *sched.Trace, k sched.Kind) []string {
	var out []string
	for _, r := range tr.Records {
		if r.Kind == k {
			out = append(out, r.Task.String()+" "+r.String())
		}
	}
	return out
}

func TestCanonicalScheduleRunsLowestIDToCompletion(t *testing.T) {
	var order []string
	tr, ds, err := run(canonical(), func(rt sched.Runtime) {
		for _, name := range []string{"a", "b"} {
			rt.Go(name, func() {
				order = append(order, name+"1")
				rt.Yield("mid")
				order = append(order, name+"2")
			})
		}
	})
	require.NoError(t, err)
	require.Equal(t, []string{"a1", "a2", "b1", "b2"}, order)
	require.Zero(t, tr.Preemptions())
	require.Len(t, ds, 2, "a choice at the start and one at a's yield; none once only b is left")
	require.Equal(t, sched.Decision{Point: "mid", N: 2, Value: 0}, ds[1])
}

func TestChoiceOffersCurrentFirstThenByID(t *testing.T) {
	var seen []sched.Choice
	s := chooseFunc(func(c sched.Choice) int {
		seen = append(seen, sched.Choice{Step: c.Step, Point: c.Point, Current: c.Current,
			Preemptive: c.Preemptive, Candidates: append([]sched.TaskID(nil), c.Candidates...)})
		return len(c.Candidates) - 1 // always the highest id that is not current
	})
	_, _, err := run(s, func(rt sched.Runtime) {
		for range 3 {
			rt.Go("w", func() { rt.Yield("y") })
		}
	})
	require.NoError(t, err)
	require.Equal(t, sched.Choice{Step: 1, Current: sched.NoTask, Candidates: []sched.TaskID{1, 2, 3}}, seen[0])
	require.Equal(t, sched.Choice{Step: 2, Point: "y", Current: 3, Preemptive: true, Candidates: []sched.TaskID{3, 1, 2}}, seen[1])
}

func TestChoiceNamesTheTasksSpawnedSoFar(t *testing.T) {
	var names [][]string
	s := chooseFunc(func(c sched.Choice) int {
		var ns []string
		for i, ti := range c.Tasks {
			require.Equal(t, sched.TaskID(i+1), ti.ID)
			ns = append(ns, ti.Name)
		}
		names = append(names, ns)
		return 0
	})
	_, _, err := run(s, func(rt sched.Runtime) {
		rt.Go("a", func() { rt.Go("c", func() {}); rt.Yield("y") })
		rt.Go("b", func() {})
	})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, names[0])
	require.Equal(t, []string{"a", "b", "c"}, names[len(names)-1])
}

type chooseFunc func(sched.Choice) int

func (f chooseFunc) Choose(c sched.Choice) (int, error) { return f(c), nil }
func (f chooseFunc) Decide(string, int) (int, error)    { return 0, nil }

func TestRelockIsReportedAtOnce(t *testing.T) {
	_, _, err := run(canonical(), func(rt sched.Runtime) {
		m := rt.NewMutex("dev:a")
		rt.Go("t", func() {
			m.Lock()
			m.Lock()
			panic("unreachable: the relock must stop the task")
		})
	})
	var re *sched.RelockError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "sched: deadlock at step 2: T1 locks dev:a, which it already holds since step 2", err.Error())
}

func TestDeadlockReportsWhoWaitsOnWhat(t *testing.T) {
	s := sched.Replay([]sched.Decision{{Value: 0}, {Value: 0}, {Value: 1}, {Value: 0}})
	_, _, err := run(s, func(rt sched.Runtime) {
		a, b := rt.NewMutex("A"), rt.NewMutex("B")
		//nolint:gocritic,staticcheck // badLock, SA2001: only the order in which the locks are taken matters
		rt.Go("ab", func() { a.Lock(); b.Lock(); b.Unlock(); a.Unlock() })
		//nolint:gocritic,staticcheck // badLock, SA2001: only the order in which the locks are taken matters
		rt.Go("ba", func() { b.Lock(); a.Lock(); a.Unlock(); b.Unlock() })
	})
	var de *sched.DeadlockError
	require.ErrorAs(t, err, &de)
	require.Equal(t, "sched: deadlock at step 4: T1 (ab) waits for lock B held by T2; T2 (ba) waits for lock A held by T1", err.Error())
}

func TestBlockedOnCounterAndCompletionIsADeadlock(t *testing.T) {
	_, _, err := run(canonical(), func(rt sched.Runtime) {
		n, c := rt.NewCounter("pending"), rt.NewCompletion("done")
		rt.Go("drain", func() { n.Add(1); n.Wait() })
		rt.Go("waiter", func() { c.Wait() })
	})
	require.EqualError(t, err, "sched: deadlock at step 2: T1 (drain) waits for counter pending to reach 0 (now 1); T2 (waiter) waits for completion done")
}

func TestGateParksInsteadOfDeadlockAndResumes(t *testing.T) {
	c := sched.NewControlled(canonical())
	defer c.Close()
	g := c.NewGate("g1")
	passed := false
	c.Go("w", func() { g.Wait(); passed = true })
	require.NoError(t, c.Run())
	require.Equal(t, []sched.Wait{{Task: 1, Name: "w", Kind: "gate", On: "g1"}}, c.Parked())
	require.False(t, passed)
	c.Go("opener", func() { g.Complete() })
	require.NoError(t, c.Run())
	require.True(t, passed)
	require.Empty(t, c.Parked())
}

func TestWaitThroughAGateIsParkedThenResolved(t *testing.T) {
	c := sched.NewControlled(canonical())
	defer c.Close()
	g, busy := c.NewGate("g"), c.NewCounter("busy")
	c.Go("holder", func() { busy.Add(1); g.Wait(); busy.Add(-1) })
	c.Go("drainer", func() { busy.Wait() })
	require.NoError(t, c.Run(), "the drainer waits through the gate: parked, not deadlocked")
	require.Len(t, c.Parked(), 2)
	g.Complete()
	require.NoError(t, c.Run())
	require.Empty(t, c.Parked())
}

func TestStepBudgetStopsALivelock(t *testing.T) {
	_, _, err := run(canonical(), func(rt sched.Runtime) {
		rt.Go("spin", func() {
			for {
				rt.Yield("spin")
			}
		})
	}, sched.MaxSteps(50))
	require.EqualError(t, err, "sched: step budget of 50 exceeded (livelock?); raise it with MaxSteps")
}

func TestPanicInATaskIsReportedWithItsStep(t *testing.T) {
	_, _, err := run(canonical(), func(rt sched.Runtime) {
		rt.Go("ok", func() { rt.Yield("a") })
		rt.Go("bad", func() { rt.Yield("b"); panic("boom") })
	})
	var pe *sched.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "sched: task T2 (bad) panicked at step 4: boom", err.Error())
	require.Contains(t, pe.Stack, "panic")
}

func TestFailStopsTheRunWithTheError(t *testing.T) {
	sentinel := errors.New("invariant broken")
	after := false
	tr, _, err := run(canonical(), func(rt sched.Runtime) {
		rt.Go("t", func() { rt.Fail(sentinel); after = true })
	})
	require.ErrorIs(t, err, sentinel)
	require.False(t, after, "Fail must not return")
	require.Equal(t, []string{"T1 fail invariant broken"}, steps(tr, sched.KindFail))
}

func TestMisuseIsAnErrorNotAHang(t *testing.T) {
	cases := map[string]func(rt sched.Runtime){
		"unlock of a free mutex": func(rt sched.Runtime) {
			m := rt.NewMutex("m")
			rt.Go("t", func() { m.Unlock() })
		},
		"unlock by another task": func(rt sched.Runtime) {
			m := rt.NewMutex("m")
			rt.Go("holder", func() { m.Lock(); rt.Yield("y"); m.Unlock() })
			rt.Go("thief", func() { m.Unlock() })
		},
		"negative counter": func(rt sched.Runtime) {
			n := rt.NewCounter("n")
			rt.Go("t", func() { n.Add(-1) })
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := run(sched.Replay([]sched.Decision{{Value: 0}, {Value: 1}}), build)
			var me *sched.MisuseError
			require.ErrorAs(t, err, &me)
		})
	}
}

type badStrategy struct{ choose, decide int }

func (b badStrategy) Choose(sched.Choice) (int, error) { return b.choose, nil }
func (b badStrategy) Decide(string, int) (int, error)  { return b.decide, nil }

func TestStrategyAnswersOutOfRangeAreReported(t *testing.T) {
	two := func(rt sched.Runtime) {
		rt.Go("a", func() {})
		rt.Go("b", func() {})
	}
	_, _, err := run(badStrategy{choose: 2}, two)
	require.EqualError(t, err, "sched: step 0: strategy chose candidate 2 of 2 at ")
	_, _, err = run(badStrategy{decide: 3}, func(rt sched.Runtime) {
		rt.Go("a", func() { rt.Decide("F-X", 3) })
	})
	require.EqualError(t, err, "sched: step 1: strategy answered 3 to decision F-X, outside [0, 3)")
}

func TestReplayDivergenceNamesTheStep(t *testing.T) {
	build := func(rt sched.Runtime) {
		rt.Go("a", func() { rt.Yield("y"); rt.Decide("F-X", 2) })
		rt.Go("b", func() {})
	}
	cases := []struct {
		name string
		ds   []sched.Decision
		want string
	}{
		{"runs out", []sched.Decision{{Value: 0}}, "sched: replay diverges at step 1, decision 1: the list has 1 decisions; the run asks for another at y (2 choices)"},
		{"wrong point", []sched.Decision{{Value: 0}, {Point: "z", Value: 0}}, "sched: replay diverges at step 1, decision 1: recorded at z, the run asks at y"},
		{"wrong arity", []sched.Decision{{Value: 0}, {N: 3, Value: 0}}, "sched: replay diverges at step 1, decision 1: recorded with 3 choices at y, the run has 2"},
		{"out of range", []sched.Decision{{Value: 0}, {Value: 0}, {Value: 2}}, "sched: replay diverges at step 2, decision 2: recorded answer 2 is out of range [0, 2) at F-X"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(sched.Replay(tc.ds), build)
			var de *sched.DivergenceError
			require.ErrorAs(t, err, &de)
			require.Equal(t, tc.want, err.Error())
		})
	}
}

func TestDecideRecordsOnlyRealChoices(t *testing.T) {
	var got []int
	_, ds, err := run(sched.WithFaults(canonical(), sched.Fault{Point: "F-X", Nth: 2, Value: 1}), func(rt sched.Runtime) {
		rt.Go("a", func() {
			got = append(got, rt.Decide("F-ONE", 1), rt.Decide("F-X", 2), rt.Decide("F-X", 2), rt.Decide("F-X", 2))
		})
	})
	require.NoError(t, err)
	require.Equal(t, []int{0, 0, 1, 0}, got)
	require.Equal(t, []sched.Decision{{"F-X", 2, 0}, {"F-X", 2, 1}, {"F-X", 2, 0}}, ds)
}

func TestAbortingPanicLeavesNoGoroutine(t *testing.T) {
	others := goleak.IgnoreCurrent()
	func() {
		defer func() { require.Equal(t, "draw overrun", recover()) }()
		_, _, _ = run(panicky{after: 3}, func(rt sched.Runtime) {
			m := rt.NewMutex("m")
			for range 4 {
				rt.Go("w", func() {
					m.Lock()
					defer m.Unlock() // runs while the task is ended by the abort
					rt.Yield("in")
				})
			}
		})
	}()
	goleak.VerifyNone(t, others)
}

// panicky panics on its nth choice, as rapid's draws do when shrinking runs
// out of recorded data.
type panicky struct{ after int }

func (p panicky) Choose(c sched.Choice) (int, error) {
	if c.Step > p.after {
		panic("draw overrun")
	}
	return 0, nil
}
func (panicky) Decide(string, int) (int, error) { return 0, nil }

func TestTraceLanesShowEveryTask(t *testing.T) {
	tr, _, err := run(canonical(), func(rt sched.Runtime) {
		m := rt.NewMutex("m")
		rt.Go("first", func() { m.Lock(); rt.Emit(note("hello")); m.Unlock() })
		rt.Go("second", func() { rt.Yield("Y-ADD") })
	})
	require.NoError(t, err)
	lines := strings.Split(tr.String(), "\n")
	require.Equal(t, "step T1 first                T2 second", lines[0])
	require.Contains(t, tr.String(), "   2 lock m\n")
	require.Contains(t, tr.String(), "   2 hello\n")
	require.Contains(t, tr.String(), "   3                         yield Y-ADD\n")
	require.Len(t, tr.Digest(), 16)
}

func TestObserveSeesEveryStepAndCanStopTheRun(t *testing.T) {
	var seen []string
	stop := errors.New("invariant broken at the second yield")
	yields := 0
	_, _, err := run(sched.Canonical(), func(rt sched.Runtime) {
		rt.Go("t", func() {
			rt.Emit(note("one"))
			rt.Yield("a")
			rt.Emit(note("two"))
			rt.Yield("b")
			rt.Emit(note("three"))
		})
	}, sched.Observe(func(step []sched.Record) error {
		for _, r := range step {
			seen = append(seen, r.String())
			if r.Kind == sched.KindYield {
				yields++
			}
		}
		if yields == 2 {
			return stop
		}
		return nil
	}))
	require.ErrorIs(t, err, stop)
	require.Equal(t, []string{"run", "one", "yield a", "two", "yield b"}, seen)
}
