package model_test

import (
	"fmt"

	"github.com/devstress/devstress/model"
)

// H3's program, sequentially: C's probe defers until S is bound; S's bind
// triggers the deferred worker, which binds C.
func Example() {
	s := model.NewState(model.Config{}, []model.Driver{{
		Name:  "D",
		Match: map[string]model.MatchResult{"C": model.Match, "S": model.Match},
		Probe: map[string]model.ProbeScript{"C": {Result: model.DeferUntil("S")}},
	}}, nil, nil)
	prog := []model.Op{
		model.DriverRegister{Driver: "D"},
		model.NewDevice{Name: "C"},
		model.RegisterSync{Dev: "C#1"},
		model.NewDevice{Name: "S"},
		model.RegisterSync{Dev: "S#1"},
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
