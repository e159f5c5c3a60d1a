package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The Checker's tests that need its internals; the others are external
// (package model_test).

// CheckerTriggerCount is c's trigger count, for the external tests that
// feed an EvDeferredAdd carrying the current count.
func CheckerTriggerCount(c *Checker) int { return c.trigger }

// A violation about open probe/remove pairs names the same pair whatever
// the map's order: openPairs lists the open ones by device, then driver,
// and leaves out the closed ones.
func TestOpenPairsAreSorted(t *testing.T) {
	c := NewChecker(Config{}, nil)
	c.pairs = map[pairKey]int{{"d#2", "A"}: 1, {"d#1", "B"}: 2, {"d#1", "A"}: 1, {"d#0", "Z"}: 0}
	for range 20 {
		require.Equal(t, []pairKey{{"d#1", "A"}, {"d#1", "B"}, {"d#2", "A"}}, c.openPairs())
	}
}
