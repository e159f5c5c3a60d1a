package properties_test

import (
	"fmt"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// A program that registers a device and unregisters it twice through the
// kill gate, run on the correct core and on the variant with the
// historical bug H6 (the gate skipped), under the canonical schedule.
func ExampleExecute() {
	p := properties.Program{Clients: [][]properties.Op{{
		{Kind: properties.OpNewAndRegister, Name: "a", Dev: 0, Parent: -1, Ref: -1},
		{Kind: properties.OpTryUnregister, Dev: 0, Parent: -1, Ref: -1},
		{Kind: properties.OpTryUnregister, Dev: 0, Parent: -1, Ref: -1},
	}}}
	for _, bug := range []sut.Bug{sut.BugNone, sut.BugH6} {
		v := properties.Execute(p, sched.Canonical(), properties.Options{Bug: bug})
		if v.Failure == nil {
			fmt.Println("correct core: pass; results", v.Results[0])
			continue
		}
		fmt.Println("H6:", v.Failure.Invariant)
	}
	// Output:
	// correct core: pass; results [ok won lost]
	// H6: DEL-ONCE
}

// A Verdict names the first failure after its invariant and keeps the
// clients' results. NewAndRegister fails its F-ADD-KOBJ step here; the
// historical bug H7b forgets the put that frees the device, which the
// teardown's NO-LEAK check finds.
func ExampleVerdict() {
	p := properties.Program{
		Faults: []sched.Fault{{Point: "F-ADD-KOBJ", Nth: 1, Value: 1}},
		Clients: [][]properties.Op{{
			{Kind: properties.OpNewAndRegister, Name: "a", Dev: 0, Parent: -1, Ref: -1},
		}},
	}
	for _, bug := range []sut.Bug{sut.BugNone, sut.BugH7b} {
		name := "correct core"
		if bug != sut.BugNone {
			name = "bug " + string(bug)
		}
		v := properties.Execute(p, sched.Canonical(), properties.Options{Bug: bug})
		fmt.Println(name, "results", v.Results[0])
		if v.Failure == nil {
			fmt.Println("  pass")
			continue
		}
		fmt.Println(" ", v.Failure.Invariant+":", v.Failure.Msg)
	}
	// Output:
	// correct core results [ErrNoMem]
	//   pass
	// bug H7b results [ErrNoMem]
	//   NO-LEAK: a#1 was never released (holders: Owner)
}

// ExecuteSequential compares every result and the whole state with the
// reference model after each operation of the first client.
func ExampleExecuteSequential() {
	p := properties.Program{
		Drivers: []properties.Driver{{Name: "A", Match: map[string]properties.MatchResult{"a": properties.MatchYes}}},
		Clients: [][]properties.Op{{
			{Kind: properties.OpDriverRegister, Driver: "A", Dev: -1, Parent: -1, Ref: -1},
			{Kind: properties.OpNewAndRegister, Name: "a", Dev: 0, Parent: -1, Ref: -1},
			{Kind: properties.OpTryUnregister, Dev: 0, Parent: -1, Ref: -1},
		}},
	}
	v := properties.ExecuteSequential(p, properties.Options{})
	fmt.Println(v.Executor, v.Failure == nil, v.Results[0])
	// Output:
	// sequential true [ok ok won]
}

// Describe states what a Failure's invariant means: the constant that
// names it, where the spec defines it, and its meaning (Invariant.Line).
func ExampleDescribe() {
	inv, ok := properties.Describe("NO-LEAK")
	fmt.Println(ok, inv.Name, inv.Const, inv.Where)
	inv, ok = properties.Describe(properties.InvStateMismatch)
	fmt.Println(ok, inv.Name, inv.Const)
	_, ok = properties.Describe("NO-SUCH-INVARIANT")
	fmt.Println(ok)
	// Output:
	// true NO-LEAK sut.InvNoLeak §15, Q2
	// true STATE-MISMATCH properties.InvStateMismatch
	// false
}
