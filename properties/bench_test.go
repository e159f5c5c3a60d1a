package properties_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sched"
)

// standardProgram is the benchmark's program: the first one the generator
// draws (from seed 0 on) with 3 clients of 8 operations each.
func standardProgram(b *testing.B) properties.Program {
	programs := gen.Programs(properties.Sizes{Clients: 3, Ops: 8, Faults: 1})
	for seed := range 100000 {
		p := programs.Example(seed)
		if len(p.Clients) == 3 && p.Ops() == 24 {
			return p
		}
	}
	b.Fatal("no standard program in 100000 seeds")
	return properties.Program{}
}

// BenchmarkExecute measures whole executions of the standard program (3
// clients x 8 operations: run, Q1, teardown, Q2 and the goroutine check)
// under the controlled runtime with random-walk schedules, and reports
// executions per second. Compare runs with and without -race.
func BenchmarkExecute(b *testing.B) {
	p := standardProgram(b)
	b.ResetTimer()
	for i := range b.N {
		v := properties.Execute(p, sched.RandomWalk(uint64(i)), properties.Options{})
		if v.Failure != nil {
			b.Fatalf("%s", v)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}
