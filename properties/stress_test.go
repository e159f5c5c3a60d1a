package properties_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// The broad programs are fair: the correct core passes them on real
// goroutines, under controlled random schedules (where the reference
// model checks every step) and, one client alone, under the sequential
// comparison; and run canonically no client skips an operation.
func TestBroadProgramsPassOnTheCorrectCore(t *testing.T) {
	for i, p := range properties.BroadPrograms() {
		for c := range p.Clients {
			v := properties.ExecuteSequential(p.Alone(c), properties.Options{})
			require.Nil(t, v.Failure, "program %d, client %d alone: %s", i, c+1, v)
		}
		for seed := range uint64(50) {
			v := properties.ExecuteFree(p, seed, properties.Options{})
			require.Nil(t, v.Failure, "program %d, free seed %d: %s", i, seed, v)
			v = properties.Execute(p, sched.RandomWalk(seed), properties.Options{})
			require.Nil(t, v.Failure, "program %d, controlled seed %d: %s", i, seed, v)
		}
		v := properties.Execute(p, sched.Canonical(), properties.Options{})
		require.Nil(t, v.Failure)
		for c, results := range v.Results {
			require.Len(t, results, len(p.Clients[c]), "program %d: client %d did not run every operation", i, c+1)
			for j, r := range results {
				require.NotEqual(t, "skip", r, "program %d: client %d skipped operation %d: %s", i, c+1, j+1, v)
			}
		}
	}
}

// Between them, the broad programs run every operation of a program, so
// that a search over them leaves no family out.
func TestBroadProgramsRunEveryOperation(t *testing.T) {
	cov := properties.NewCoverage()
	for _, p := range properties.BroadPrograms() {
		v := properties.Execute(p, sched.Canonical(), properties.Options{})
		require.Nil(t, v.Failure)
		cov.Add(properties.Measure(v, v.Options))
	}
	for k := properties.OpNewDevice; k <= properties.OpOpenGate; k++ {
		require.Positive(t, cov.Total["op:"+k.String()], "no broad program runs %s", k)
	}
}
