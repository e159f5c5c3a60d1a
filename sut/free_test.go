package sut_test

import (
	"testing"
	"time"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// freeProgram is a concurrent program that handles every injected fault:
// four program tasks and a teardown task that waits for them.
func freeProgram(t *testing.T, rt sched.Runtime, c *sut.Core) {
	a := syncDriver("A", "d0", "d1", "d2", "p")
	a.Probe = map[string]sut.ProbeScript{"p": {Actions: []sut.Action{sut.DevresPlain(), sut.RegisterChild("k")}}}
	b := asyncDriver("B", "d2", "d3", "c")
	defr := &sut.Driver{Name: "C", Match: map[string]sut.MatchResult{"d4": sut.MatchYes},
		Probe: map[string]sut.ProbeScript{"d4": {Result: sut.DeferUntil("d0")}}}
	m := &sut.Module{Name: "m", Drivers: []*sut.Driver{defr}}

	var (
		drivers []*sut.Driver
		devs    [4][]*sut.Device // per task, in creation order
		loaded  bool
	)
	program := rt.NewCounter("program")
	program.Add(4)
	register := func(task int, name string, parent *sut.Device) *sut.Device {
		d := c.NewDevice(name, parent, nil)
		if err := c.RegisterSync(d); err != nil {
			c.PutOwner(d)
			return nil
		}
		devs[task] = append(devs[task], d)
		return d
	}
	rt.Go("T1", func() {
		for _, drv := range []*sut.Driver{a, b} {
			if c.DriverRegister(drv) == nil {
				drivers = append(drivers, drv)
			}
		}
		loaded = c.ModuleLoad(m) == nil
		program.Add(-1)
	})
	rt.Go("T2", func() {
		for _, n := range []string{"d0", "d1", "d2"} {
			register(1, n, nil)
		}
		program.Add(-1)
	})
	rt.Go("T3", func() {
		for _, n := range []string{"d3", "d4"} {
			d := c.NewDevice(n, nil, nil)
			if err := c.RegisterAsync(d).Wait(); err != nil {
				c.PutOwner(d)
				continue
			}
			devs[2] = append(devs[2], d)
		}
		program.Add(-1)
	})
	rt.Go("T4", func() {
		if p := register(3, "p", nil); p != nil {
			if ch, err := c.NewAndRegister("c", p); err == nil {
				devs[3] = append(devs[3], ch)
				if c.Bind(ch, b) == nil {
					c.Unbind(ch)
				}
			}
			c.SetOverride(p, "A")
			_ = c.Reprobe(p)
		}
		program.Add(-1)
	})
	rt.Go("teardown", func() {
		program.Wait()
		for task := range devs {
			for i := len(devs[task]) - 1; i >= 0; i-- {
				c.Unregister(devs[task][i])
			}
		}
		if loaded {
			require.NoError(t, c.ModuleUnload(m))
		}
		for i := len(drivers) - 1; i >= 0; i-- {
			c.DriverUnregister(drivers[i])
		}
		c.WaitForDeviceProbe()
		require.NoError(t, c.Close())
	})
}

// TestFreeRuntime runs the program on real goroutines with random yields and
// faults, for the race detector and goleak.
func TestFreeRuntime(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		rt := sched.NewFree(seed, sched.Timeout(10*time.Second), sched.DecideRate(0.05))
		c := sut.New(rt, sut.Config{MaxPending: 2})
		freeProgram(t, rt, c)
		err := rt.Run()
		rt.Close()
		require.NoError(t, err, "seed %d", seed)
		require.NoError(t, c.CheckTeardown(), "seed %d", seed)
	}
}

// TestControlledRandomWalk runs the same program under the controlled
// runtime with random schedules and checks determinism of a replay.
func TestControlledRandomWalk(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		rt := sched.NewControlled(sched.RandomWalk(seed))
		c := sut.New(rt, sut.Config{MaxPending: 2})
		freeProgram(t, rt, c)
		err := rt.Run()
		require.NoError(t, err, "seed %d\n%s", seed, rt.Trace())
		require.NoError(t, c.CheckTeardown(), "seed %d", seed)
		digest, decisions := rt.Trace().Digest(), rt.Decisions()
		rt.Close()

		replay := sched.NewControlled(sched.Replay(decisions))
		freeProgram(t, replay, sut.New(replay, sut.Config{MaxPending: 2}))
		require.NoError(t, replay.Run())
		require.Equal(t, digest, replay.Trace().Digest(), "seed %d", seed)
		replay.Close()
	}
}
