package gen

import (
	"strconv"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// fair and weighted give the odds they are written with, where rapid's own
// integer ranges favour small values (the reason they exist).
func TestFairDrawsHaveTheirOdds(t *testing.T) {
	const checks = 4000
	rapidtest.SetFlag(t, "rapid.checks", strconv.Itoa(checks))
	var fairCount [5]int
	var weightedCount [3]int
	small := 0
	rapid.Check(t, func(rt *rapid.T) {
		fairCount[fair(rt, 5, "fair")]++
		weightedCount[weighted(rt, []int{1, 2, 5}, "weighted")]++
		if rapid.IntRange(0, 115).Draw(rt, "biased") < 10 {
			small++
		}
	})
	for v, n := range fairCount {
		require.InDelta(t, 0.2, float64(n)/checks, 0.04, "fair(5) = %d", v)
	}
	for i, w := range []float64{1, 2, 5} {
		require.InDelta(t, w/8, float64(weightedCount[i])/checks, 0.04, "weighted index %d", i)
	}
	require.Greater(t, float64(small)/checks, 0.3, "rapid.IntRange(0, 115) no longer favours 0-9: fair may be unnecessary")
}
