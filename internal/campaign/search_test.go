package campaign

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// The default search (DefaultStrategy, what devstress run does) raises no
// false alarm on the correct core: every failure it reports on the core
// as specified is a bug of the framework. DEVSTRESS_SEARCH_EXECS sets the
// budget (default 1000), DEVSTRESS_SEARCH_SEED the seed (default 1) and
// DEVSTRESS_SEARCH_STRATEGY another strategy (pct, random, ...). The
// mutation tool runs it against each mutant of the core to measure a
// search as it does the property suites:
//
//	go run ./internal/mutate -pkg ./internal/campaign -run TestDefaultSearchOnTheCorrectCore \
//	    -checks 0 -env DEVSTRESS_SEARCH_EXECS=5000
func TestDefaultSearchOnTheCorrectCore(t *testing.T) {
	execs := envUint(t, "DEVSTRESS_SEARCH_EXECS", 1000)
	seed := envUint(t, "DEVSTRESS_SEARCH_SEED", 1)
	strategy := DefaultStrategy
	if s := os.Getenv("DEVSTRESS_SEARCH_STRATEGY"); s != "" {
		var err error
		strategy, err = ParseStrategy(s)
		require.NoError(t, err, "DEVSTRESS_SEARCH_STRATEGY")
	}
	s, err := Run(context.Background(), Config{Seed: seed, Execs: int(execs), Strategy: strategy}, Options{StopAtFirst: true})
	require.NoError(t, err)
	require.Equal(t, strategy, s.Config.Strategy)
	for _, f := range s.Failures {
		t.Fatalf("unit %d of seed %d: %s", f.Index, seed, f.Headline)
	}
	require.EqualValues(t, execs, s.Units, "the search ran fewer units than its budget")
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

// The default search runs the sequential comparison on one unit in eight
// (one client of a broad or a drawn program compared with the model after
// every operation); the strategies it mixes run none.
func TestMixRunsTheSequentialComparison(t *testing.T) {
	const units = 1600
	for _, c := range []struct {
		strategy Strategy
		min, max int
	}{{Mix, units / 10, units * 3 / 20}, {Random, 0, 0}, {Broad, 0, 0}} {
		seq := 0
		for i := range units {
			if c.strategy == Mix || i < 200 {
				seq += RunUnit(Config{Seed: 7, Strategy: c.strategy}.WithDefaults(), i).Sequential
			}
		}
		require.GreaterOrEqual(t, seq, c.min, "%s", c.strategy)
		require.LessOrEqual(t, seq, c.max, "%s", c.strategy)
	}
}

// A failure of the sequential comparison is recorded as a file that says
// so and replays: the kill gate skipped (H6) lets a second TryUnregister
// delete the device again.
func TestSequentialFailureIsRecorded(t *testing.T) {
	p := properties.Program{Clients: [][]properties.Op{{
		{Kind: properties.OpNewAndRegister, Name: "a", Dev: 0, Parent: -1, Ref: -1},
		{Kind: properties.OpTryUnregister, Dev: 0, Parent: -1, Ref: -1},
		{Kind: properties.OpTryUnregister, Dev: 0, Parent: -1, Ref: -1},
	}}}
	v := properties.ExecuteSequential(p, properties.Options{Bug: sut.BugH6})
	require.NotNil(t, v.Failure)
	o := Outcome{Coverage: properties.NewCoverage()}
	o.add(v)
	require.Equal(t, 1, o.Sequential)
	require.NotNil(t, o.Failure)
	require.Empty(t, o.Failure.Err)
	f, err := shrink.Parse(strings.NewReader(o.Failure.File))
	require.NoError(t, err)
	require.True(t, f.Sequential, "%s", o.Failure.File)
	require.NoError(t, shrink.Check(f))
}
