package sut_test

import (
	"strings"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// probeTasks returns the tasks in which probes of handle started.
func (h *harness) probeTasks(handle string) []sched.TaskID {
	var out []sched.TaskID
	for _, ev := range h.rt.Trace().Events() {
		if e, ok := ev.(sut.Event); ok && e.Kind == sut.EvProbeStart && e.Device == handle {
			out = append(out, e.Task)
		}
	}
	return out
}

// TestAttachPaths binds a device through each of the four paths of §6.
func TestAttachPaths(t *testing.T) {
	tests := []struct {
		name string
		drv  func() *sut.Driver
		// order: true registers the driver first (path A), false the
		// device first (path B).
		driverFirst bool
		wantBoundAt func(h *harness) bool // checked before WaitForDeviceProbe
		wantTask    sched.TaskID          // task whose probe bound d
	}{
		{"A: device add, synchronous driver", func() *sut.Driver { return syncDriver("A", "d") }, true, nil, 1},
		{"A: device add, async driver: attach job", func() *sut.Driver { return asyncDriver("A", "d") }, true, nil, 2},
		{"B: driver register, synchronous", func() *sut.Driver { return syncDriver("A", "d") }, false, nil, 1},
		{"B: driver register, async: driver attach job", func() *sut.Driver { return asyncDriver("A", "d") }, false, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, sut.Config{}, canonical())
			drv := tt.drv()
			var d *sut.Device
			err := h.run(func() {
				if tt.driverFirst {
					require.NoError(t, h.c.DriverRegister(drv))
				}
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				if !tt.driverFirst {
					require.NoError(t, h.c.DriverRegister(drv))
				}
				h.c.WaitForDeviceProbe()
			})
			require.NoError(t, err)
			require.True(t, h.device("d#1").Bound)
			require.Equal(t, []sched.TaskID{tt.wantTask}, h.probeTasks("d#1"))
			h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(drv) })
		})
	}
}

// TestAsyncNotProbedInCaller is CS-ASYNC: a PreferAsync driver does not
// probe in the registering task; WaitForDeviceProbe waits for it;
// AsyncProbeDrivers makes a Default driver async; ForceSync probes inline.
func TestAsyncNotProbedInCaller(t *testing.T) {
	h := newHarness(t, sut.Config{AsyncProbeDrivers: []string{"C"}}, canonical())
	a, b := asyncDriver("A", "a"), syncDriver("B", "b")
	cdrv := &sut.Driver{Name: "C", Match: map[string]sut.MatchResult{"c": sut.MatchYes}}
	var devs []*sut.Device
	err := h.run(func() {
		for _, drv := range []*sut.Driver{a, b, cdrv} {
			require.NoError(t, h.c.DriverRegister(drv))
		}
		for _, n := range []string{"a", "b", "c"} {
			d := h.c.NewDevice(n, nil, nil)
			require.NoError(t, h.c.RegisterSync(d))
			devs = append(devs, d)
		}
		require.Len(t, h.probeTasks("b#1"), 1, "ForceSync probed in T1")
		require.Empty(t, h.probeTasks("a#1"), "not yet: the canonical schedule keeps T1 running")
		h.c.WaitForDeviceProbe()
		require.True(t, sut.DeviceBound(devs[0]))
		require.True(t, sut.DeviceBound(devs[2]))
	})
	require.NoError(t, err)
	require.NotEqual(t, sched.TaskID(1), h.probeTasks("a#1")[0])
	require.NotEqual(t, sched.TaskID(1), h.probeTasks("c#1")[0])
	h.clean(nil, func() {
		for _, d := range devs {
			h.c.Unregister(d)
		}
		for _, drv := range []*sut.Driver{cdrv, b, a} {
			h.c.DriverUnregister(drv)
		}
	})
}

// TestDeferredRetryAfterBind is path C: a device deferred until another
// binds is retried by the worker after that bind.
func TestDeferredRetryAfterBind(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	drv := syncDriver("D", "C", "S")
	drv.Probe = map[string]sut.ProbeScript{"C": {Result: sut.DeferUntil("S")}}
	var c, s *sut.Device
	err := h.run(func() {
		require.NoError(t, h.c.DriverRegister(drv))
		c = h.c.NewDevice("C", nil, nil)
		require.NoError(t, h.c.RegisterSync(c))
		require.False(t, sut.DeviceBound(c))
		require.Equal(t, []string{"C#1"}, h.c.Snapshot().Pending)
		s = h.c.NewDevice("S", nil, nil)
		require.NoError(t, h.c.RegisterSync(s))
		h.c.WaitForDeviceProbe()
	})
	require.NoError(t, err)
	snap := h.c.Snapshot()
	require.Empty(t, snap.Pending)
	require.Empty(t, snap.Active)
	require.True(t, h.device("C#1").Bound)
	tasks := h.probeTasks("C#1")
	require.Len(t, tasks, 2)
	require.Equal(t, "deferred-worker", h.rt.Trace().Tasks[tasks[1]-1].Name)
	h.clean(nil, func() { h.c.Unregister(c); h.c.Unregister(s); h.c.DriverUnregister(drv) })
}

// TestModuleLoadWaitsForAsyncProbes: ModuleLoad waits for async probes
// unless the module is AsyncProbe.
func TestModuleLoadWaitsForAsyncProbes(t *testing.T) {
	for _, asyncModule := range []bool{false, true} {
		t.Run(map[bool]string{false: "waits", true: "AsyncProbe does not wait"}[asyncModule], func(t *testing.T) {
			h := newHarness(t, sut.Config{}, canonical())
			drv := &sut.Driver{Name: "M", Match: map[string]sut.MatchResult{"d": sut.MatchYes}}
			m := &sut.Module{Name: "m", Drivers: []*sut.Driver{drv}, AsyncProbe: asyncModule}
			var d *sut.Device
			err := h.run(func() {
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				require.NoError(t, h.c.ModuleLoad(m))
				require.Equal(t, !asyncModule, sut.DeviceBound(d))
				require.ErrorIs(t, h.c.ModuleLoad(m), sut.ErrExist)
			})
			require.NoError(t, err)
			require.Equal(t, []string{"m"}, h.c.Snapshot().Modules)
			h.clean(nil, func() {
				h.c.Unregister(d)
				require.NoError(t, h.c.ModuleUnload(m))
				require.ErrorIs(t, h.c.ModuleUnload(m), sut.ErrInval)
			})
		})
	}
}

// TestModuleInitFailureUnwinds: a failing DriverRegister in Init
// unregisters the drivers registered before it and leaves m unloaded.
func TestModuleInitFailureUnwinds(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical(sched.Fault{Point: "F-DRV-ALLOC", Nth: 2, Value: 1}))
	m := &sut.Module{Name: "m", Drivers: []*sut.Driver{syncDriver("A"), syncDriver("B")}}
	err := h.run(func() {
		require.ErrorIs(t, h.c.ModuleLoad(m), sut.ErrNoMem)
	})
	require.NoError(t, err)
	snap := h.c.Snapshot()
	require.Empty(t, snap.Modules)
	require.Empty(t, snap.Drivers)
	h.clean(nil, func() {})
}

// TestBindReturnsProbeError: the manual path reports the probe's error,
// ErrProbeDefer as ErrAgain, and never defers.
func TestBindReturnsProbeError(t *testing.T) {
	for _, tt := range []struct {
		result sut.Result
		want   error
	}{
		{sut.FailWith(sut.ErrNXIO), sut.ErrNXIO},
		{sut.FailWith(sut.ErrIO), sut.ErrIO},
		{sut.DeferUntil("never"), sut.ErrAgain},
		{sut.Succeed(), nil},
	} {
		t.Run(sut.ErrName(tt.want), func(t *testing.T) {
			h := newHarness(t, sut.Config{}, canonical())
			a := syncDriver("A") // matches nothing by table: bound by override
			a.Probe = map[string]sut.ProbeScript{"d": {Result: tt.result}}
			var d *sut.Device
			err := h.run(func() {
				require.NoError(t, h.c.DriverRegister(a))
				d = h.c.NewDevice("d", nil, nil)
				require.NoError(t, h.c.RegisterSync(d))
				require.ErrorIs(t, h.c.Bind(d, a), sut.ErrNoDev, "no match")
				h.c.SetOverride(d, "A")
				err := h.c.Bind(d, a)
				if tt.want == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, tt.want)
				}
			})
			require.NoError(t, err)
			require.Empty(t, h.c.Snapshot().Pending, "Bind never defers")
			h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(a) })
		})
	}
}

// TestUnbindCallsRemoveOnce: Unbind removes once; a second Unbind and the
// later Unregister find nothing to remove; Unbind does not trigger.
func TestUnbindCallsRemoveOnce(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	a := syncDriver("A", "d")
	var d *sut.Device
	err := h.run(func() {
		require.NoError(t, h.c.DriverRegister(a))
		d = h.c.NewDevice("d", nil, nil)
		require.NoError(t, h.c.RegisterSync(d))
		h.c.Unbind(d)
		h.c.Unbind(d)
	})
	require.NoError(t, err)
	require.Len(t, h.events(sut.EvRemoveStart), 1)
	require.Equal(t, 1, h.c.Snapshot().TriggerCount, "only the bind triggered")
	require.False(t, h.device("d#1").Bound)
	h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(a) })
	require.Len(t, h.events(sut.EvRemoveStart), 1)
}

// TestReprobe: Reprobe unbinds, then tries every matching driver
// synchronously, async ones included.
func TestReprobe(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	a := asyncDriver("A", "d")
	var d *sut.Device
	err := h.run(func() {
		require.NoError(t, h.c.DriverRegister(a))
		d = h.c.NewDevice("d", nil, nil)
		require.NoError(t, h.c.RegisterSync(d))
		h.c.WaitForDeviceProbe()
		require.NoError(t, h.c.Reprobe(d))
		require.True(t, sut.DeviceBound(d))
	})
	require.NoError(t, err)
	tasks := h.probeTasks("d#1")
	require.Len(t, tasks, 2)
	require.Equal(t, sched.TaskID(1), tasks[1], "Reprobe probes in the caller")
	h.clean(nil, func() { h.c.Unregister(d); h.c.DriverUnregister(a) })
}

// TestDevresOrder: entries are released last first, probe-time ones at
// unbind after Remove, the others at DeviceDel.
func TestDevresOrder(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	a := syncDriver("A", "d")
	a.Probe = map[string]sut.ProbeScript{"d": {Actions: []sut.Action{sut.DevresPlain(), sut.DevresRef("x"), sut.DevresPlain()}}}
	a.Remove = map[string]sut.RemoveScript{"d": {UseDevres: true}}
	var d, x *sut.Device
	err := h.run(func() {
		x = h.c.NewDevice("x", nil, nil)
		require.NoError(t, h.c.RegisterSync(x))
		d = h.c.NewDevice("d", nil, nil)
		require.NoError(t, h.c.RegisterSync(d))
		h.c.DevresAdd(x, sut.Plain())
		h.c.DevresAdd(x, sut.Ref(d))
		require.NoError(t, h.c.DriverRegister(a))
		require.Contains(t, h.device("x#1").Holders, "Devres(d#1/2)")
		h.c.Unbind(d)
	})
	require.NoError(t, err)
	require.Equal(t, []string{
		"T1 devres-add x#1 Devres(x#1/1)",
		"T1 devres-add x#1 Devres(x#1/2)",
		"T1 devres-add d#1 Devres(d#1/1) +",
		"T1 devres-add d#1 Devres(d#1/2) +",
		"T1 devres-add d#1 Devres(d#1/3) +",
	}, h.events(sut.EvDevresAdd), "probe-time entries are tagged")
	require.Equal(t, []string{
		"T1 devres-release d#1 Devres(d#1/3)",
		"T1 devres-release d#1 Devres(d#1/2)",
		"T1 devres-release d#1 Devres(d#1/1)",
	}, h.events(sut.EvDevresRelease))
	h.clean(nil, func() { h.c.Unregister(d); h.c.Unregister(x); h.c.DriverUnregister(a) })
	rel := h.events(sut.EvDevresRelease)
	require.Equal(t, []string{"T3 devres-release x#1 Devres(x#1/2)", "T3 devres-release x#1 Devres(x#1/1)"},
		rel[3:], "x's entries at its DeviceDel, last first")
}

// TestRegisterAsync: the completion delivers the error of DeviceAdd and the
// caller's reference stays valid; on success Owner has become Reg.
func TestRegisterAsync(t *testing.T) {
	t.Run("error reaches the caller, reference valid", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, canonical(kobjFault(1)))
		err := h.run(func() {
			d := h.c.NewDevice("d", nil, nil)
			require.ErrorIs(t, h.c.RegisterAsync(d).Wait(), sut.ErrNoMem)
			require.Equal(t, "d", d.Name())
			require.Equal(t, []string{"Owner"}, sut.DeviceLabels(d))
			h.c.PutOwner(d)
		})
		require.NoError(t, err)
		require.True(t, h.device("d#1").Released)
		h.clean(nil, func() {})
	})
	t.Run("success registers under RegDomain", func(t *testing.T) {
		h := newHarness(t, sut.Config{}, canonical())
		a := syncDriver("A", "c")
		var p, c *sut.Device
		err := h.run(func() {
			require.NoError(t, h.c.DriverRegister(a))
			p = h.c.NewDevice("p", nil, nil)
			require.NoError(t, h.c.RegisterSync(p))
			c = h.c.NewDevice("c", p, nil)
			done := h.c.RegisterAsync(c)
			h.c.AsyncSynchronizeFull() // RegDomain is not covered
			require.NoError(t, done.Wait())
			h.c.AsyncSynchronizeDomain(h.c.RegDomain())
			require.Equal(t, []string{"Reg"}, sut.DeviceLabels(c))
			require.True(t, sut.DeviceBound(c))
		})
		require.NoError(t, err)
		require.Equal(t, "p#1", h.device("c#1").Parent)
		h.clean(nil, func() { h.c.Unregister(c); h.c.Unregister(p); h.c.DriverUnregister(a) })
	})
}

// TestKillGatedUnregister: one gated unregister wins, the others lose;
// UnregisterAsync deletes in RegDomain.
func TestKillGatedUnregister(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	var d, e *sut.Device
	err := h.run(func() {
		d = h.c.NewDevice("d", nil, nil)
		require.NoError(t, h.c.RegisterSync(d))
		e = h.c.NewDevice("e", nil, nil)
		require.NoError(t, h.c.RegisterSync(e))
		h.c.Get(d)
		h.c.Get(e)
		h.c.UnregisterAsync(e)
		h.c.UnregisterAsync(e)
		require.False(t, h.c.TryUnregister(e), "TryUnregister drains RegDomain, then loses")
		require.Equal(t, sut.PhaseDeleted, sut.DevicePhase(e))
		require.True(t, h.c.TryUnregister(d))
		require.False(t, h.c.TryUnregister(d))
		h.c.Put(d)
		h.c.Put(e)
	})
	h.clean(err, func() {})
	require.True(t, h.device("d#1").Released)
	require.True(t, h.device("e#1").Released)
}

// TestProbeChildren: a probe registers a child and its Remove unregisters
// it; a failing probe unregisters its children first.
func TestProbeChildren(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	a := syncDriver("A", "p")
	a.Probe = map[string]sut.ProbeScript{"p": {Actions: []sut.Action{sut.RegisterChild("c")}}}
	b := syncDriver("B", "q")
	b.Probe = map[string]sut.ProbeScript{"q": {Actions: []sut.Action{sut.RegisterChild("k")}, Result: sut.FailWith(sut.ErrIO)}}
	var p, q *sut.Device
	err := h.run(func() {
		require.NoError(t, h.c.DriverRegister(a))
		require.NoError(t, h.c.DriverRegister(b))
		p = h.c.NewDevice("p", nil, nil)
		require.NoError(t, h.c.RegisterSync(p))
		q = h.c.NewDevice("q", nil, nil)
		require.NoError(t, h.c.RegisterSync(q))
	})
	require.NoError(t, err)
	require.Equal(t, "Registered", h.device("c#1").Phase)
	require.True(t, h.device("k#1").Released)
	h.clean(nil, func() {
		h.c.Unregister(p)
		h.c.Unregister(q)
		h.c.DriverUnregister(b)
		h.c.DriverUnregister(a)
	})
	require.True(t, h.device("c#1").Released)
}

// TestStressModes runs a small program under ReprobeAfterProbe,
// DelayedRelease, NeedParentLock and FineYields.
func TestStressModes(t *testing.T) {
	h := newHarness(t, sut.Config{Stress: sut.Stress{ReprobeAfterProbe: true, DelayedRelease: true, NeedParentLock: true, FineYields: true}}, canonical())
	a := syncDriver("A", "p", "c")
	a.Probe = map[string]sut.ProbeScript{"p": {Actions: []sut.Action{sut.DevresPlain()}}}
	b := asyncDriver("B", "c")
	var p, c *sut.Device
	err := h.run(func() {
		require.NoError(t, h.c.DriverRegister(a))
		p = h.c.NewDevice("p", nil, nil)
		require.NoError(t, h.c.RegisterSync(p))
		c = h.c.NewDevice("c", p, nil)
		require.NoError(t, h.c.RegisterSync(c))
		require.NoError(t, h.c.DriverRegister(b))
		h.c.Unbind(c)
		require.NoError(t, h.c.Bind(c, b))
	})
	require.NoError(t, err)
	require.Len(t, h.probeTasks("p#1"), 2, "probe, remove, probe")
	require.Equal(t, "B", h.device("c#1").Driver)
	h.clean(nil, func() {
		h.c.Unregister(c)
		h.c.Unregister(p)
		h.c.DriverUnregister(b)
		h.c.DriverUnregister(a)
	})
	var yields int
	for _, r := range h.rt.Trace().Records {
		if r.Kind == sched.KindYield && strings.HasPrefix(r.Name, "Y-RE") {
			yields++
		}
	}
	require.Positive(t, yields, "Y-REF and Y-RELEASE points")
}

func TestListedDriversInRegistrationOrder(t *testing.T) {
	c := sched.NewControlled(sched.Canonical())
	defer c.Close()
	core := sut.New(c, sut.Config{})
	var listed []string
	var errs []error
	c.Go("t", func() {
		a, b := &sut.Driver{Name: "A"}, &sut.Driver{Name: "B"}
		errs = append(errs, core.DriverRegister(b), core.DriverRegister(a))
		listed = core.ListedDrivers()
		core.DriverUnregister(b)
		listed = append(listed, core.ListedDrivers()...)
		core.DriverUnregister(a)
	})
	require.NoError(t, c.Run())
	require.Equal(t, []error{nil, nil}, errs)
	require.Equal(t, []string{"B", "A", "A"}, listed)
}
