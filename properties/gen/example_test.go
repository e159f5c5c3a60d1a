package gen_test

import (
	"fmt"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sched"
)

// Programs is a rapid generator; Example draws one program per seed
// without a test. Every program drawn passes on the correct core, under
// the canonical schedule and operation by operation against the model.
func ExamplePrograms() {
	programs := gen.Programs(properties.DefaultSizes)
	drawn, pass, seqPass := 0, 0, 0
	for seed := range 20 {
		p := programs.Example(seed)
		drawn++
		if v := properties.Execute(p, sched.Canonical(), properties.Options{}); v.Failure == nil {
			pass++
		} else {
			fmt.Println(v.Headline())
		}
		if v := properties.ExecuteSequential(p, properties.Options{}); v.Failure == nil {
			seqPass++
		} else {
			fmt.Println(v.Headline())
		}
	}
	fmt.Printf("%d programs: %d pass Execute, %d pass ExecuteSequential\n", drawn, pass, seqPass)
	// Output:
	// 20 programs: 20 pass Execute, 20 pass ExecuteSequential
}
