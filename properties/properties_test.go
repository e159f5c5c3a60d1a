package properties_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"pgregory.net/rapid"
)

// The correct core passes generated concurrent programs under schedules
// drawn by rapid.
func TestCorrectCoreUnderControlledSchedules(t *testing.T) {
	rapid.Check(t, concurrent(sut0, nil, nil))
}

// No false alarms: the correct core passes a large run. DEVSTRESS_CHECKS
// sets its size (default 20000; .ci/run uses 100000; a long campaign
// 10^6) and DEVSTRESS_SEED its rapid seed (default 1, so that CI is
// deterministic; campaigns vary it). Without -race, as the search is long.
func TestNoFalseAlarms(t *testing.T) {
	if raceEnabled {
		t.Skip("a long run: .ci/run runs it without -race")
	}
	rapidtest.SetFlag(t, "rapid.checks", strconv.Itoa(envInt(t, "DEVSTRESS_CHECKS", 20000)))
	rapidtest.SetFlag(t, "rapid.seed", strconv.Itoa(envInt(t, "DEVSTRESS_SEED", 1)))
	cov := properties.NewCoverage()
	rapid.Check(t, concurrent(sut0, nil, cov))
	t.Logf("%s", cov)
}

// One client, drained after every operation: the implementation agrees
// with the reference model on every result and on the whole state after
// every operation.
func TestImplementationMatchesModelSequentially(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := properties.Programs(properties.DefaultSizes).Draw(rt, "program")
		v := properties.ExecuteSequential(p, properties.Options{})
		if v.Failure != nil {
			properties.Fatal(rt, v)
		}
	})
}

// The core's stress modes and parent locking, drawn per program, under
// rapid schedules: the same checks, the model's included, hold.
func TestCorrectCoreUnderStressModes(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := properties.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := properties.Options{
			ReprobeAfterProbe: rapid.Bool().Draw(rt, "reprobe after probe"),
			DelayedRelease:    rapid.Bool().Draw(rt, "delayed release"),
			NeedParentLock:    rapid.Bool().Draw(rt, "parent lock"),
			FineYields:        rapid.Bool().Draw(rt, "fine yields"),
		}
		v := properties.Execute(p, properties.RapidSchedule(rt), opt)
		if v.Failure != nil {
			rt.Fatalf("%+v\n%s", opt, v)
		}
		v = properties.ExecuteSequential(p, opt)
		if v.Failure != nil {
			rt.Fatalf("sequential, %+v\n%s", opt, v)
		}
	})
}

// envInt reads an integer from the environment, def when unset.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}
