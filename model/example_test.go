package model_test

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/devstress/devstress/model"
)

// H3's program, sequentially: C's probe defers until S is bound; S's bind
// triggers the deferred worker, which binds C.
func Example() {
	s := model.NewState(model.Config{}, []model.Driver{{
		Name:  "D",
		Match: map[string]model.MatchResult{"C": model.MatchYes, "S": model.MatchYes},
		Probe: map[string]model.ProbeScript{"C": {Result: model.DeferUntil("S")}},
	}}, nil, nil)
	prog := []model.Op{
		model.DriverRegister{Driver: "D"},
		model.NewDevice{Name: "C"},
		model.RegisterSync{Device: "C#1"},
		model.NewDevice{Name: "S"},
		model.RegisterSync{Device: "S#1"},
	}
	for _, op := range prog {
		fmt.Printf("%-22s -> %s\n", op, s.Apply(op))
	}
	snap := s.Snapshot()
	fmt.Println("bound:", snap.Drivers[0].Bound, "pending:", snap.Pending, "triggers:", snap.TriggerCount)
	fmt.Println("violations:", s.Q1Violations())
	// Output:
	// DriverRegister(D)      -> nil
	// NewDevice("C")         -> C#1, nil
	// RegisterSync(C#1)      -> nil
	// NewDevice("S")         -> S#1, nil
	// RegisterSync(S#1)      -> nil
	// bound: [C#1 S#1] pending: [] triggers: 2
	// violations: []
}

// Apply runs one operation as task T1, drains the async work and returns
// what the client sees; the state advances in place.
func ExampleState_Apply() {
	s := model.NewState(model.Config{}, []model.Driver{{
		Name:  "D",
		Match: map[string]model.MatchResult{"a": model.MatchYes},
	}}, nil, nil)
	fmt.Println(s.Apply(model.DriverRegister{Driver: "D"}))
	fmt.Println(s.Apply(model.NewAndRegister{Name: "a"}))
	d := s.Snapshot().Devices[0]
	fmt.Println(d.Handle, d.Phase, "bound to", d.Driver, "held by", d.Holders)
	// Output:
	// nil
	// a#1, nil
	// a#1 Registered bound to D held by [Reg]
}

// An operation that breaks a precondition of the spec (here: registering a
// device never created, and a Put by a task that holds no reference) is not
// run: Result.Invalid says why, and the state is unchanged.
func ExampleResult_invalid() {
	s := model.NewState(model.Config{}, nil, nil, nil)
	r := s.Apply(model.RegisterSync{Device: "a#1"})
	fmt.Println(r.Invalid)
	s.Apply(model.NewAndRegister{Name: "a"})
	before := s.Snapshot()
	r = s.Apply(model.Put{Device: "a#1"})
	fmt.Println(r)
	fmt.Println("unchanged:", reflect.DeepEqual(before, s.Snapshot()))
	// Output:
	// DeviceAdd: unknown device a#1
	// invalid: put Task(T1) on a#1, which holds [Reg] (OWNERSHIP)
	// unchanged: true
}

// Step is the pure form of Apply: the state it is given stays as it was.
func ExampleStep() {
	s := model.NewState(model.Config{}, nil, nil, nil)
	s.Apply(model.NewAndRegister{Name: "a"})
	r, next := model.Step(s, model.Unregister{Device: "a#1"})
	fmt.Println("result:", r)
	fmt.Println("before:", s.Snapshot().Devices[0].Phase, s.Snapshot().Devices[0].Holders)
	fmt.Println("after: ", next.Snapshot().Devices[0].Phase, next.Snapshot().Devices[0].Holders)
	// Output:
	// result: nil
	// before: Registered [Reg]
	// after:  Deleted []
}

// A fault plan entry fails one hit of a fault point; the operation
// returns the planned error and the failed registration leaves nothing
// behind.
func ExampleFault() {
	plan := []model.Fault{{Point: model.FAddKobj, Nth: 1, Err: model.ErrNoMem}}
	s := model.NewState(model.Config{}, nil, nil, plan)
	fmt.Println(s.Apply(model.NewAndRegister{Name: "a"}))
	fmt.Println("hits:", s.Hits()[model.FAddKobj], "Q2:", s.Q2Violations())
	// Output:
	// ErrNoMem
	// hits: 1 Q2: []
}

// Snapshots are plain values compared field by field: registering the
// driver before or after the device reaches the same quiescent state.
func ExampleSnapshot() {
	drivers := []model.Driver{{Name: "D", Match: map[string]model.MatchResult{"a": model.MatchYes}}}
	driverFirst := model.NewState(model.Config{}, drivers, nil, nil)
	driverFirst.Apply(model.DriverRegister{Driver: "D"})
	driverFirst.Apply(model.NewAndRegister{Name: "a"})
	deviceFirst := model.NewState(model.Config{}, drivers, nil, nil)
	deviceFirst.Apply(model.NewAndRegister{Name: "a"})
	deviceFirst.Apply(model.DriverRegister{Driver: "D"})
	fmt.Println("same state:", reflect.DeepEqual(driverFirst.Snapshot(), deviceFirst.Snapshot()))

	deviceFirst.Apply(model.Unbind{Device: "a#1"})
	a, b := driverFirst.Snapshot(), deviceFirst.Snapshot()
	fmt.Println("same state:", reflect.DeepEqual(a, b))
	fmt.Println("bound:", a.Drivers[0].Bound, "vs", b.Drivers[0].Bound)
	// Output:
	// same state: true
	// same state: false
	// bound: [a#1] vs []
}

// A Checker judges an event stream: here the model's own events, which it
// accepts, then one the core must never emit, a Put of a reference the
// task does not hold.
func ExampleChecker() {
	drivers := []model.Driver{{Name: "D", Match: map[string]model.MatchResult{"a": model.MatchYes}}}
	s := model.NewState(model.Config{}, drivers, nil, nil)
	s.Apply(model.DriverRegister{Driver: "D"})
	s.Apply(model.NewAndRegister{Name: "a"})

	c := model.NewChecker(model.Config{}, drivers)
	for _, ev := range s.Events() {
		if err := c.Check(ev); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("accepted:", c.Checked() == len(s.Events()))

	err := c.Check(model.Event{Kind: model.EvPut, Task: "T1", Device: "a#1", Label: model.LabelOwner})
	var iv *model.InvariantError
	if errors.As(err, &iv) {
		fmt.Println(iv.Invariant+":", iv.Detail)
	}
	// Output:
	// accepted: true
	// OWNERSHIP: T1 puts Owner on a#1, which holds [Reg]
}

// Quiescent adds the checkpoint invariants: a device still registered is
// fine at Q1 but leaks at Q2, after the teardown.
func ExampleChecker_Quiescent() {
	drivers := []model.Driver{{Name: "D", Match: map[string]model.MatchResult{"a": model.MatchYes}}}
	s := model.NewState(model.Config{}, drivers, nil, nil)
	s.Apply(model.DriverRegister{Driver: "D"})
	s.Apply(model.NewAndRegister{Name: "a"})
	c := model.NewChecker(model.Config{}, drivers)
	for _, ev := range s.Events() {
		if err := c.Check(ev); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("Q1:", c.Quiescent(false))
	for _, v := range c.Quiescent(true) {
		fmt.Println("Q2:", v.Invariant, v.Subject)
	}
	// Output:
	// Q1: []
	// Q2: NO-LEAK a#1
	// Q2: PROBE-REMOVE-PAIRING a#1/D
}
