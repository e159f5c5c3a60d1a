package sut_test

import (
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
