package sut_test

import (
	"errors"
	"fmt"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// A driver registered before its device binds it at DeviceAdd; the
// snapshot shows the binding and the holder labels.
func Example() {
	rt := sched.NewControlled(sched.Canonical())
	defer rt.Close()
	core := sut.New(rt, sut.Config{})
	drv := &sut.Driver{Name: "A", Match: map[string]sut.MatchResult{"d": sut.MatchYes}}
	rt.Go("T1", func() {
		if err := core.DriverRegister(drv); err != nil {
			panic(err)
		}
		d := core.NewDevice("d", nil, nil)
		if err := core.RegisterSync(d); err != nil {
			core.PutOwner(d)
		}
	})
	if err := rt.Run(); err != nil {
		fmt.Println(err)
		return
	}
	s := core.Snapshot()
	fmt.Println(s.Devices[0].Handle, s.Devices[0].Phase, s.Devices[0].Driver, s.Devices[0].Holders)
	fmt.Println(s.Drivers[0].Name, s.Drivers[0].State, s.Drivers[0].Bound, "triggers:", s.TriggerCount)
	// Output:
	// d#1 Registered A [Reg]
	// A Registered [d#1] triggers: 1
}

// A seeded historical bug is reported as a *sut.Violation naming the
// spec's invariant and the step.
func Example_bug() {
	faults := sched.WithFaults(sched.Canonical(), sched.Fault{Point: "F-ADD-KOBJ", Nth: 1, Value: 1})
	rt := sched.NewControlled(faults)
	defer rt.Close()
	core := sut.New(rt, sut.Config{Bug: sut.BugH7a})
	rt.Go("T1", func() { _, _ = core.NewAndRegister("a", nil) })
	fmt.Println(rt.Run())
	// Output:
	// FREE-ONLY-IN-RELEASE at step 2: T1 frees a#1 outside its release (refcount 1)
}

// violation prints the invariant and message of a *sut.Violation, leaving
// out the step number; any other error is printed as is.
func violation(err error) string {
	var v *sut.Violation
	if errors.As(err, &v) {
		return v.Invariant + ": " + v.Msg
	}
	return fmt.Sprint(err)
}

// RegisterAsync schedules the registration in RegDomain; the owner keeps
// its reference and reads DeviceAdd's error from the completion. On error
// the owner drops its reference with PutOwner.
func ExampleCore_RegisterAsync() {
	// The first DeviceAdd fails its F-ADD-KOBJ step.
	faults := sched.WithFaults(sched.Canonical(), sched.Fault{Point: "F-ADD-KOBJ", Nth: 1, Value: 1})
	rt := sched.NewControlled(faults)
	defer rt.Close()
	core := sut.New(rt, sut.Config{})
	rt.Go("T1", func() {
		for _, name := range []string{"a", "b"} {
			d := core.NewDevice(name, nil, nil)
			err := core.RegisterAsync(d).Wait()
			fmt.Println(d.Handle(), "registered:", sut.ErrName(err))
			if err != nil {
				core.PutOwner(d)
			}
		}
	})
	if err := rt.Run(); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range core.Snapshot().Devices {
		fmt.Println(d.Handle, d.Phase, d.Holders, "released:", d.Released)
	}
	// Output:
	// a#1 registered: ErrNoMem
	// b#1 registered: nil
	// a#1 AddFailed [] released: true
	// b#1 Registered [Reg] released: false
}

// Bind is the manual bind, the only path where a probe's error reaches
// the caller: ErrNoDev while the driver is not registered, nil once bound,
// ErrBusy when the device already has a driver.
func ExampleCore_Bind() {
	rt := sched.NewControlled(sched.Canonical())
	defer rt.Close()
	core := sut.New(rt, sut.Config{})
	drv := &sut.Driver{Name: "D", Match: map[string]sut.MatchResult{"a": sut.MatchYes}}
	rt.Go("T1", func() {
		d, err := core.NewAndRegister("a", nil)
		if err != nil {
			panic(err)
		}
		fmt.Println("unregistered driver:", sut.ErrName(core.Bind(d, drv)))
		if err := core.DriverRegister(drv); err != nil { // binds a#1
			panic(err)
		}
		core.Unbind(d)
		fmt.Println("after Unbind:", sut.ErrName(core.Bind(d, drv)))
		fmt.Println("already bound:", sut.ErrName(core.Bind(d, drv)))
	})
	if err := rt.Run(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bound:", core.Snapshot().Drivers[0].Bound)
	// Output:
	// unregistered driver: ErrNoDev
	// after Unbind: nil
	// already bound: ErrBusy
	// bound: [a#1]
}

// A probe that returns ErrProbeDefer puts its device on the pending list;
// the next successful bind triggers the deferred worker, which probes it
// again.
func Example_deferredProbe() {
	rt := sched.NewControlled(sched.Canonical())
	defer rt.Close()
	core := sut.New(rt, sut.Config{})
	drv := &sut.Driver{
		Name:  "D",
		Match: map[string]sut.MatchResult{"consumer": sut.MatchYes, "supplier": sut.MatchYes},
		Probe: map[string]sut.ProbeScript{"consumer": {Result: sut.DeferUntil("supplier")}},
	}
	register := func(name string) {
		if _, err := core.NewAndRegister(name, nil); err != nil {
			panic(err)
		}
	}
	rt.Go("T1", func() {
		if err := core.DriverRegister(drv); err != nil {
			panic(err)
		}
		register("consumer")
	})
	if err := rt.Run(); err != nil {
		fmt.Println(err)
		return
	}
	s := core.Snapshot()
	fmt.Println("pending:", s.Pending, "bound:", s.Drivers[0].Bound)

	rt.Go("T2", func() { register("supplier") })
	if err := rt.Run(); err != nil {
		fmt.Println(err)
		return
	}
	s = core.Snapshot()
	fmt.Println("pending:", s.Pending, "bound:", s.Drivers[0].Bound)
	fmt.Println("Q1:", core.CheckQuiescent())
	// Output:
	// pending: [consumer#1] bound: []
	// pending: [] bound: [consumer#1 supplier#1]
	// Q1: <nil>
}

// CheckTeardown judges Q2, after a teardown task has undone the program
// and closed the core: a device the teardown left registered was never
// released.
func ExampleCore_CheckTeardown() {
	for _, unregister := range []bool{true, false} {
		rt := sched.NewControlled(sched.Canonical())
		core := sut.New(rt, sut.Config{})
		var d *sut.Device
		rt.Go("T1", func() { d, _ = core.NewAndRegister("a", nil) })
		if err := rt.Run(); err != nil {
			fmt.Println(err)
		}
		rt.Go("teardown", func() {
			if unregister {
				core.Unregister(d)
			}
			if err := core.Close(); err != nil {
				fmt.Println(err)
			}
		})
		if err := rt.Run(); err != nil {
			fmt.Println(err)
		}
		fmt.Printf("unregister %v: %s\n", unregister, violation(core.CheckTeardown()))
		rt.Close()
	}
	// Output:
	// unregister true: <nil>
	// unregister false: NO-LEAK: a#1 was never released (holders: Reg)
}

// An injected fault is the failure the spec allows: DriverRegister returns
// ErrNoMem. F-DRV-ALLOC fails before the driver is listed, so the same
// driver value may be registered again.
func ExampleCore_DriverRegister_fault() {
	faults := sched.WithFaults(sched.Canonical(), sched.Fault{Point: "F-DRV-ALLOC", Nth: 1, Value: 1})
	rt := sched.NewControlled(faults)
	defer rt.Close()
	core := sut.New(rt, sut.Config{})
	drv := &sut.Driver{Name: "D"}
	rt.Go("T1", func() {
		fmt.Println("first:", sut.ErrName(core.DriverRegister(drv)))
		fmt.Println("listed:", core.ListedDrivers())
		fmt.Println("again:", sut.ErrName(core.DriverRegister(drv)))
		fmt.Println("same name:", sut.ErrName(core.DriverRegister(&sut.Driver{Name: "D"})))
	})
	if err := rt.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// first: ErrNoMem
	// listed: []
	// again: nil
	// same name: ErrBusy
}

// The historical bug H6 lets an unregister skip the kill gate: the second
// TryUnregister of the same device, which the correct core refuses,
// deletes the device again, and the core's own oracle stops the run with
// DEL-ONCE.
func ExampleCore_TryUnregister_bugH6() {
	for _, bug := range []sut.Bug{sut.BugNone, sut.BugH6} {
		name := "correct core"
		if bug != sut.BugNone {
			name = string(bug)
		}
		rt := sched.NewControlled(sched.Canonical())
		core := sut.New(rt, sut.Config{Bug: bug})
		rt.Go("T1", func() {
			d, err := core.NewAndRegister("a", nil)
			if err != nil {
				panic(err)
			}
			core.Get(d) // the caller of TryUnregister holds a label other than Reg
			won1 := core.TryUnregister(d)
			won2 := core.TryUnregister(d)
			fmt.Printf("%s: won %v, then %v\n", name, won1, won2)
			core.Put(d)
		})
		if err := rt.Run(); err != nil {
			fmt.Printf("%s: %s\n", name, violation(err))
		}
		rt.Close()
	}
	// Output:
	// correct core: won true, then false
	// H6: DEL-ONCE: T1 enters DeviceDel(a#1) again
}
