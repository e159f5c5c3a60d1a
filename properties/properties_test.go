package properties_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sut"
	"pgregory.net/rapid"
)

// The correct core passes generated concurrent programs under schedules
// drawn by rapid.
func TestCorrectCoreUnderControlledSchedules(t *testing.T) {
	rapid.Check(t, concurrent(sut0, keep(t), nil))
}

// No false alarms: the correct core passes a large run. DEVSTRESS_CHECKS
// sets its size (default 20000; .ci/run uses 100000; a long campaign
// 10^6) and DEVSTRESS_SEED its rapid seed (default 1, so that CI is
// deterministic; campaigns vary it). -rapid.checks and -rapid.seed on the
// command line take precedence, so that the replay line rapid prints on a
// failure (-rapid.seed=S) reproduces it, with or without
// DEVSTRESS_CAMPAIGNS. A campaign (DEVSTRESS_CAMPAIGNS=1), without -race,
// as the search is long; the coverage of the campaign is logged under -v.
func TestNoFalseAlarms(t *testing.T) {
	if !rapidtest.IsSet("rapid.seed") && !rapidtest.IsSet("rapid.checks") {
		// Run anyway when rapid's flags ask for it: the line rapid prints
		// on a failure (-run=TestNoFalseAlarms -rapid.seed=S) replays it.
		campaignTest(t, "a search of 20000 programs or more")
	}
	if !rapidtest.IsSet("rapid.checks") {
		rapidtest.SetFlag(t, "rapid.checks", strconv.Itoa(envInt(t, "DEVSTRESS_CHECKS", 20000)))
	}
	if !rapidtest.IsSet("rapid.seed") {
		rapidtest.SetFlag(t, "rapid.seed", strconv.FormatUint(envSeed(t, "DEVSTRESS_SEED", 1), 10))
	}
	cov := properties.NewCoverage()
	rapid.Check(t, concurrent(sut0, keep(t), cov))
	t.Logf("%s", cov)
}

// One client, drained after every operation: the implementation agrees
// with the reference model on every result and on the whole state after
// every operation.
func TestImplementationMatchesModelSequentially(t *testing.T) {
	k := keep(t)
	rapid.Check(t, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		v := properties.ExecuteSequential(p, properties.Options{})
		if v.Failure != nil {
			k.Fatal(rt, v)
		}
	})
}

// The core's stress modes and parent locking, drawn per program, under
// rapid schedules: the same checks, the model's included, hold.
func TestCorrectCoreUnderStressModes(t *testing.T) {
	k := keep(t)
	rapid.Check(t, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := properties.Options{Stress: sut.Stress{
			ReprobeAfterProbe: rapid.Bool().Draw(rt, "reprobe after probe"),
			DelayedRelease:    rapid.Bool().Draw(rt, "delayed release"),
			NeedParentLock:    rapid.Bool().Draw(rt, "parent lock"),
			FineYields:        rapid.Bool().Draw(rt, "fine yields"),
		}}
		v := properties.Execute(p, gen.Schedule(rt), opt)
		if v.Failure != nil {
			k.Fatal(rt, v)
		}
		v = properties.ExecuteSequential(p, opt)
		if v.Failure != nil {
			k.Fatal(rt, v)
		}
	})
}

// campaignTest skips t, a campaign too long for every go test, unless
// DEVSTRESS_CAMPAIGNS=1 is set (.ci/run sets it); and under -race, where
// it would take ten times as long (.ci/run runs it without).
func campaignTest(t *testing.T, what string) {
	t.Helper()
	switch os.Getenv("DEVSTRESS_CAMPAIGNS") {
	case "":
		t.Skipf("%s: set DEVSTRESS_CAMPAIGNS=1 to run it (.ci/run does)", what)
	case "1":
	default:
		t.Fatalf("DEVSTRESS_CAMPAIGNS=%q: want 1, or unset", os.Getenv("DEVSTRESS_CAMPAIGNS"))
	}
	if raceEnabled {
		t.Skipf("%s: too long under -race; .ci/run runs it without", what)
	}
}

// envInt reads a positive integer from the environment, def when unset.
// Anything else fails the test: a size of zero would be a vacuous pass.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// envSeed reads a rapid seed (any uint64, as rapid prints them) from the
// environment, def when unset.
func envSeed(t *testing.T, name string, def uint64) uint64 {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: want a seed, an unsigned 64-bit integer", name, s)
	}
	return n
}
