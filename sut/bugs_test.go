package sut_test

import (
	"errors"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// bugScenario is the spec's minimal counterexample of one §16 bug: a
// program, its fault plan and at most one preemption, with the stage at
// which the oracle reports it.
type bugScenario struct {
	bug    sut.Bug
	faults []sched.Fault
	// preempt, if set, is the one preemption: at the nth choice at point,
	// switch to task to.
	preempt *preempt
	// build returns the program tasks and the teardown of §14.8 for a fresh
	// harness.
	build func(t *testing.T, h *harness) (tasks []func(), teardown func())
	stage string // "run", "Q1" or "Q2"
	want  string // the invariant; NO-DEADLOCK accepts the runtime's relock or deadlock
	// verify, if set, checks the correct core's state at Q1.
	verify func(t *testing.T, h *harness)
}

func (s bugScenario) strategy() sched.Strategy {
	if s.preempt == nil {
		return canonical(s.faults...)
	}
	p := *s.preempt
	return sched.WithFaults(&p, s.faults...)
}

// requireOracle asserts that err reports want.
func requireOracle(t *testing.T, err error, want string) {
	t.Helper()
	if want == "NO-DEADLOCK" {
		var relock *sched.RelockError
		var deadlock *sched.DeadlockError
		require.True(t, errors.As(err, &relock) || errors.As(err, &deadlock), "want NO-DEADLOCK, got %v", err)
		return
	}
	requireViolation(t, err, want)
}

func runBug(t *testing.T, s bugScenario) {
	t.Run("buggy", func(t *testing.T) {
		h := newHarness(t, sut.Config{Bug: s.bug}, s.strategy())
		tasks, teardown := s.build(t, h)
		err := h.run(tasks...)
		wantPreemptions := 0
		if s.preempt != nil {
			wantPreemptions = 1
		}
		require.Equal(t, wantPreemptions, h.rt.Trace().Preemptions(), "the counterexample's preemptions")
		if s.stage == "run" {
			requireOracle(t, err, s.want)
			t.Logf("%v", err)
			replayed := newHarness(t, sut.Config{Bug: s.bug}, sched.Replay(h.rt.Decisions()))
			tasks, _ := s.build(t, replayed)
			rerr := replayed.run(tasks...)
			require.Equal(t, err.Error(), rerr.Error(), "replay reports the same failure")
			require.Equal(t, h.rt.Trace().Digest(), replayed.rt.Trace().Digest(), "replay gives the same trace")
			return
		}
		require.NoError(t, err, "%s", h.rt.Trace())
		qerr := h.c.CheckQuiescent()
		if s.stage == "Q1" {
			requireOracle(t, qerr, s.want)
			t.Logf("%v", qerr)
			return
		}
		require.NoError(t, qerr)
		require.NoError(t, h.teardown(teardown), "%s", h.rt.Trace())
		terr := h.c.CheckTeardown()
		requireOracle(t, terr, s.want)
		t.Logf("%v", terr)
	})
	t.Run("correct", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, s.strategy())
		tasks, teardown := s.build(t, h)
		err := h.run(tasks...)
		if s.verify != nil && err == nil {
			s.verify(t, h)
		}
		h.clean(err, teardown)
	})
}

func TestBugH1(t *testing.T) {
	// (3, 1, 0): the failing registration job drops the caller's Owner.
	runBug(t, bugScenario{
		bug: sut.BugH1, faults: []sched.Fault{kobjFault(1)}, stage: "run", want: sut.InvOwnership,
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			return []func(){func() {
				d := h.c.NewDevice("d", nil, nil)
				err := h.c.RegisterAsync(d).Wait()
				require.ErrorIs(t, err, sut.ErrNoMem) // ERROR-PROPAGATES
				require.Equal(t, "d", d.Name())       // the caller's reference is still valid
				h.c.PutOwner(d)
			}}, func() {}
		},
	})
}

func TestBugH2(t *testing.T) {
	// (6, 1, 1): preempt the job after J3; J4 releases c, then the job reads
	// c.parent.
	runBug(t, bugScenario{
		bug: sut.BugH2, faults: []sched.Fault{kobjFault(2)}, stage: "run", want: sut.InvNoUAF,
		preempt: &preempt{point: "Y-REG-JOB", nth: 1, to: 1},
		build:   h2Program,
	})
}

func TestBugH2b(t *testing.T) {
	// (6, 1, 0): the job never puts the parent: p leaks at Q2.
	runBug(t, bugScenario{
		bug: sut.BugH2b, faults: []sched.Fault{kobjFault(2)}, stage: "Q2", want: sut.InvNoLeak,
		build: h2Program,
	})
}

func h2Program(t *testing.T, h *harness) ([]func(), func()) {
	var p *sut.Device
	return []func(){func() {
		p = h.c.NewDevice("p", nil, nil)
		require.NoError(t, h.c.RegisterSync(p))
		c := h.c.NewDevice("c", p, nil)
		require.ErrorIs(t, h.c.RegisterAsync(c).Wait(), sut.ErrNoMem)
		h.c.PutOwner(c)
	}}, func() { h.c.Unregister(p) }
}

func TestBugH3(t *testing.T) {
	// (5, 0, 1): C defers while S binds; without the re-check C waits on
	// Pending forever.
	runBug(t, bugScenario{
		bug: sut.BugH3, stage: "Q1", want: sut.InvNoLostTrigger,
		preempt: &preempt{point: "Y-DEFER-ADD", nth: 1, to: 2},
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			drv := syncDriver("D", "C", "S")
			drv.Probe = map[string]sut.ProbeScript{"C": {Result: sut.DeferUntil("S")}}
			var devC, devS *sut.Device
			return []func(){
					func() {
						require.NoError(t, h.c.DriverRegister(drv))
						devC = h.c.NewDevice("C", nil, nil)
						require.NoError(t, h.c.RegisterSync(devC))
					},
					func() {
						devS = h.c.NewDevice("S", nil, nil)
						require.NoError(t, h.c.RegisterSync(devS))
					},
				}, func() {
					h.c.Unregister(devC)
					h.c.Unregister(devS)
					h.c.DriverUnregister(drv)
				}
		},
		verify: func(t *testing.T, h *harness) {
			require.True(t, h.device("C#1").Bound, "the re-check retried C after S bound")
		},
	})
}

func TestBugH4(t *testing.T) {
	// (4, 0, 1): the queued attach job runs between DeviceDel's release of
	// the driver and its end.
	runBug(t, bugScenario{
		bug: sut.BugH4, stage: "run", want: sut.InvBindOnlyLive,
		preempt: &preempt{point: "Y-DEL", nth: 2, to: 2},
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			a := asyncDriver("A", "d")
			return []func(){func() {
				require.NoError(t, h.c.DriverRegister(a))
				d := h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				h.c.Unregister(d)
			}}, func() { h.c.DriverUnregister(a) }
		},
		verify: func(t *testing.T, h *harness) {
			d := h.device("d#1")
			require.False(t, d.Bound)
			require.True(t, d.Released)
		},
	})
}

func TestBugH5(t *testing.T) {
	// (3, 1, 0): the first AsyncSchedule falls back to running the attach
	// job inline, which re-locks d.
	runBug(t, bugScenario{
		bug: sut.BugH5, faults: []sched.Fault{{Point: "F-ASYNC-SYNC", Nth: 1, Value: 1}}, stage: "run", want: "NO-DEADLOCK",
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			a := asyncDriver("A", "d")
			var d *sut.Device
			return []func(){func() {
					require.NoError(t, h.c.DriverRegister(a))
					d = h.c.NewDevice("d", nil, nil)
					require.NoError(t, h.c.RegisterSync(d))
				}}, func() {
					h.c.Unregister(d)
					h.c.DriverUnregister(a)
				}
		},
		verify: func(t *testing.T, h *harness) {
			require.True(t, h.device("d#1").Bound, "the inline attach job bound d")
		},
	})
}

func TestBugH6(t *testing.T) {
	// (5, 0, 0): both gated unregisters win.
	runBug(t, bugScenario{
		bug: sut.BugH6, stage: "run", want: sut.InvDelOnce,
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			var d *sut.Device
			return []func(){func() {
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				h.c.Get(d)
				require.True(t, h.c.TryUnregister(d))
				require.False(t, h.c.TryUnregister(d))
			}}, func() { h.c.Put(d) }
		},
	})
}

func TestBugH7a(t *testing.T) {
	// (1, 1, 0): a raw free after the failed add.
	runBug(t, bugScenario{
		bug: sut.BugH7a, faults: []sched.Fault{kobjFault(1)}, stage: "run", want: sut.InvFreeOnlyInRelease,
		build: h7Program,
	})
}

func TestBugH7b(t *testing.T) {
	// (1, 1, 0): no put after the failed add: the device leaks.
	runBug(t, bugScenario{
		bug: sut.BugH7b, faults: []sched.Fault{kobjFault(1)}, stage: "Q2", want: sut.InvNoLeak,
		build: h7Program,
	})
}

func h7Program(t *testing.T, h *harness) ([]func(), func()) {
	return []func(){func() {
		d, err := h.c.NewAndRegister("a", nil)
		require.ErrorIs(t, err, sut.ErrNoMem)
		require.Nil(t, d)
	}}, func() {}
}

func TestBugH8(t *testing.T) {
	// (4, 0, 0): a devres self-reference survives DeviceDel.
	runBug(t, bugScenario{
		bug: sut.BugH8, stage: "run", want: sut.InvDevresScope,
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			return []func(){func() {
				d := h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				h.c.DevresAdd(d, sut.Ref(d))
				h.c.Unregister(d)
			}}, func() {}
		},
		verify: func(t *testing.T, h *harness) {
			require.True(t, h.device("d#1").Released)
		},
	})
}

func TestBugH9(t *testing.T) {
	// (4, 0, 0): DriverUnregister returns with an attach job for it queued.
	runBug(t, bugScenario{
		bug: sut.BugH9, stage: "run", want: sut.InvUnregisterQuiesces,
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			var d *sut.Device
			return []func(){func() {
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				a := asyncDriver("A", "d")
				require.NoError(t, h.c.DriverRegister(a))
				h.c.DriverUnregister(a)
			}}, func() { h.c.Unregister(d) }
		},
		verify: func(t *testing.T, h *harness) {
			d := h.device("d#1")
			require.False(t, d.Bound, "the drain ran the job, then driver_detach unbound d")
		},
	})
}

func TestBugH9d(t *testing.T) {
	// (5, 0, 0): driver_detach drains under lock(d), which the queued
	// attach job takes first.
	runBug(t, bugScenario{
		bug: sut.BugH9d, stage: "run", want: sut.InvNoSelfWait,
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			var d *sut.Device
			return []func(){func() {
				a := asyncDriver("A", "d")
				require.NoError(t, h.c.DriverRegister(a))
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				require.NoError(t, h.c.Bind(d, a))
				h.c.DriverUnregister(a)
			}}, func() { h.c.Unregister(d) }
		},
	})
}

func TestBugH10A(t *testing.T) {
	// (3, 0, 0): P's probe of s registers Sub, whose driver_attach locks s
	// for match.
	runBug(t, bugScenario{
		bug: sut.BugH10A, stage: "run", want: "NO-DEADLOCK",
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			sub := syncDriver("Sub")
			p := syncDriver("P", "s")
			p.Probe = map[string]sut.ProbeScript{"s": {Actions: []sut.Action{sut.RegisterDriver(sub)}}}
			var s *sut.Device
			return []func(){func() {
					require.NoError(t, h.c.DriverRegister(p))
					s = h.c.NewDevice("s", nil, nil)
					require.NoError(t, h.c.RegisterSync(s))
				}}, func() {
					h.c.Unregister(s)
					h.c.DriverUnregister(sub)
					h.c.DriverUnregister(p)
				}
		},
		verify: func(t *testing.T, h *harness) {
			snap := h.c.Snapshot()
			require.Len(t, snap.Drivers, 2)
			require.Equal(t, "Sub", snap.Drivers[1].Name)
			require.True(t, h.device("s#1").Bound)
		},
	})
}

func TestBugH10B(t *testing.T) {
	// (5, 0, 1): T2 replaces the override while T1's match sits at Y-MATCH.
	runBug(t, bugScenario{
		bug: sut.BugH10B, stage: "run", want: sut.InvNoUAF,
		preempt: &preempt{point: "Y-MATCH", nth: 1, to: 2},
		build: func(t *testing.T, h *harness) ([]func(), func()) {
			drv := syncDriver("D")
			var d *sut.Device
			return []func(){
					func() {
						d = h.c.NewDevice("d", nil, nil)
						require.NoError(t, h.c.RegisterSync(d))
						h.c.SetOverride(d, "a")
						require.NoError(t, h.c.DriverRegister(drv))
					},
					func() { h.c.SetOverride(d, "x") },
				}, func() {
					h.c.Unregister(d)
					h.c.DriverUnregister(drv)
				}
		},
	})
}
