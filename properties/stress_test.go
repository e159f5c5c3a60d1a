package properties_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// The broad stress program is a fair baseline: the correct core passes it
// on real goroutines and under controlled random schedules (where the
// reference model checks every step), and it reaches what it is meant to:
// every operation of its clients, probes, an async registration, a
// deferral, and binds.
func TestBroadStressPassesOnTheCorrectCore(t *testing.T) {
	p := properties.BroadStress()
	for seed := range uint64(50) {
		v := properties.ExecuteFree(p, seed, properties.Options{})
		require.Nil(t, v.Failure, "free seed %d: %s", seed, v)
		v = properties.Execute(p, sched.RandomWalk(seed), properties.Options{})
		require.Nil(t, v.Failure, "controlled seed %d: %s", seed, v)
	}
	v := properties.Execute(p, sched.Canonical(), properties.Options{})
	require.Nil(t, v.Failure)
	for i, results := range v.Results {
		require.Len(t, results, len(p.Clients[i]), "client %d did not run every operation", i+1)
		for j, r := range results {
			require.NotEqual(t, "skip", r, "client %d operation %d was skipped: %s", i+1, j+1, v)
		}
	}
}
