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
