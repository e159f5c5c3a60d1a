package campaign

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// The default search (DefaultStrategy, what devstress run does) raises no
// false alarm on the correct core: every failure it reports on the core
// as specified is a bug of the framework. DEVSTRESS_SEARCH_EXECS sets the
// budget (default 1000) and DEVSTRESS_SEARCH_SEED the seed (default 1).
// The mutation tool runs it against each mutant of the core to measure
// the default search as it does the property suites:
//
//	go run ./internal/mutate -pkg ./internal/campaign -run TestDefaultSearchOnTheCorrectCore \
//	    -checks 0 -env DEVSTRESS_SEARCH_EXECS=5000
func TestDefaultSearchOnTheCorrectCore(t *testing.T) {
	execs := envUint(t, "DEVSTRESS_SEARCH_EXECS", 1000)
	seed := envUint(t, "DEVSTRESS_SEARCH_SEED", 1)
	s, err := Run(context.Background(), Config{Seed: seed, Execs: int(execs)}, Options{StopAtFirst: true})
	require.NoError(t, err)
	require.Equal(t, DefaultStrategy, s.Config.Strategy)
	require.EqualValues(t, execs, s.Units, "the search ran fewer units than its budget")
	for _, f := range s.Failures {
		t.Errorf("unit %d of seed %d: %s", f.Index, seed, f.Headline)
	}
}

// envUint reads a positive integer from the environment, def when unset;
// anything else fails the test.
func envUint(t *testing.T, name string, def uint64) uint64 {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}
