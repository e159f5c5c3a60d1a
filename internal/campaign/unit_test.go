package campaign

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/stretchr/testify/require"
)

// A broad unit's fault plan is a swarm: every fault point is left alone
// by many units and failed by many, and a unit that fails a point fails
// it again on a later hit in more than two of five (the swarm's odds are
// 0.57), where one rate for every point (1/16: again in one unit in six)
// spreads its failures thin.
func TestBroadFaultPlansAreSwarms(t *testing.T) {
	const units = 400
	plans := map[string]int{} // units whose plan fails the point
	again := 0                // ... and fails it at more than one hit
	for i := range units {
		p, _ := broad(Config{Seed: 1}, UnitSeed(1, i))
		hits := map[string]int{}
		for _, f := range p.Faults {
			require.LessOrEqual(t, f.Nth, properties.BroadFaultHits, "a plan covers the first hits only")
			hits[f.Point]++
		}
		for point, n := range hits {
			plans[point]++
			if n > 1 {
				again++
			}
		}
	}
	total := 0
	for _, point := range properties.FaultPoints {
		require.Greater(t, plans[point], units/5, "%s fails in too few units", point)
		require.Less(t, plans[point], units*3/5, "%s is left alone by too few units", point)
		total += plans[point]
	}
	require.Greater(t, float64(again)/float64(total), 0.4, "the units that fail a point fail it again in %d of %d", again, total)
}
