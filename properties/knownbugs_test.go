package properties_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// concurrent is the main property: a generated program under a schedule
// drawn by rapid, on the core with the given bug (none: the correct core).
// A failing verdict goes to fail; cov, if set, counts what each execution
// reached.
func concurrent(bug sut.Bug, fail fataler, cov *properties.Coverage) func(*rapid.T) {
	return func(rt *rapid.T) {
		p := properties.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := properties.Stress(rt, properties.Options{Bug: bug})
		v := properties.Execute(p, properties.RapidSchedule(rt), opt)
		if cov != nil {
			cov.Add(properties.Measure(v, opt))
		}
		if v.Failure != nil {
			fail.Fatal(rt, v)
		}
	}
}

// fataler fails a rapid test with a verdict: a *shrink.Keeper, or a
// lastVerdict.
type fataler interface {
	Fatal(rt *rapid.T, v *properties.Verdict)
}

// keep makes the failure of a suite on the correct core a counterexample
// file under counterexampleDir, which TestCounterexampleFiles replays.
func keep(t *testing.T) *shrink.Keeper {
	return shrink.Keep(t, counterexampleDir, "TestCounterexampleFiles")
}

// lastVerdict keeps the last failing verdict of a hunt: after rapid.Check,
// the shrunk counterexample.
type lastVerdict struct{ v *properties.Verdict }

func (l *lastVerdict) Fatal(rt *rapid.T, v *properties.Verdict) {
	rt.Helper()
	l.v = v
	properties.Fatal(rt, v)
}

// knownBug is a historical bug of spec §16 with the size of its minimal
// counterexample there (operations + fault plan entries) and the number of
// checks within which the generic property must find it.
type knownBug struct {
	bug     sut.Bug
	minimal int
	budget  int
}

// sut0 is the correct core.
const sut0 = sut.BugNone

var knownBugs = []knownBug{
	{bug: sut.BugH1, minimal: 3 + 1, budget: 20000},
	{bug: sut.BugH2, minimal: 6 + 1, budget: 200000},
	{bug: sut.BugH2b, minimal: 6 + 1, budget: 20000},
	{bug: sut.BugH3, minimal: 5, budget: 500000},
	{bug: sut.BugH4, minimal: 4, budget: 50000},
	{bug: sut.BugH5, minimal: 3 + 1, budget: 50000},
	{bug: sut.BugH6, minimal: 5, budget: 20000},
	{bug: sut.BugH7a, minimal: 1 + 1, budget: 20000},
	{bug: sut.BugH7b, minimal: 1 + 1, budget: 20000},
	{bug: sut.BugH8, minimal: 4, budget: 20000},
	{bug: sut.BugH9, minimal: 4, budget: 50000},
	{bug: sut.BugH9d, minimal: 5, budget: 50000},
	{bug: sut.BugH10A, minimal: 3, budget: 20000},
	{bug: sut.BugH10B, minimal: 5, budget: 500000},
}

var failedAfter = regexp.MustCompile(`failed after (\d+) tests`)

// hunt runs the concurrent property on bug with one rapid seed and returns
// whether it failed, after how many checks, and the shrunk verdict.
func hunt(t *testing.T, kb knownBug, seed int) (bool, int, *properties.Verdict) {
	t.Helper()
	rapidtest.SetFlag(t, "rapid.seed", strconv.Itoa(seed))
	var last lastVerdict
	failed, msgs := rapidtest.Failing(t, kb.budget, concurrent(kb.bug, &last, nil))
	if !failed {
		return false, kb.budget, nil
	}
	checks := 0
	if m := failedAfter.FindStringSubmatch(msgs[0]); m != nil {
		checks, _ = strconv.Atoi(m[1])
	}
	require.NotNil(t, last.v, "rapid failed without a verdict: %s", msgs[0])
	return true, checks + 1, last.v
}

// Every known bug is found by the same generic property that the correct
// core passes, within its budget, and shrinks to at most one operation more
// than the spec's minimal counterexample. Set DEVSTRESS_SEEDS=n to hunt
// with n seeds and print a table row per bug: found, median checks, median
// and largest shrunk size, spec minimal.
func TestKnownBugsAreFoundAndShrunk(t *testing.T) {
	if raceEnabled {
		t.Skip("a search of 10^5 runs per bug: .ci/run runs it without -race")
	}
	seeds := envInt(t, "DEVSTRESS_SEEDS", 1)
	for _, kb := range knownBugs {
		t.Run(string(kb.bug), func(t *testing.T) {
			var found, checks, sizes, long []int
			for seed := 1; seed <= seeds; seed++ {
				ok, n, v := hunt(t, kb, seed)
				if !ok {
					continue
				}
				size := v.Program.Ops() + len(v.Program.Faults)
				found, checks, sizes = append(found, seed), append(checks, n), append(sizes, size)
				t.Logf("seed %d: %s after %d checks, shrunk to %d ops + %d faults, %d preemptions (minimal %d):\n%s",
					seed, v.Failure.Invariant, n, v.Program.Ops(), len(v.Program.Faults), v.Trace.Preemptions(), kb.minimal, v.Program)
				if size > kb.minimal+1 {
					long = append(long, seed)
				}
				if seed == 1 && os.Getenv("DEVSTRESS_WRITE_COUNTEREXAMPLES") != "" {
					writeCounterexample(t, kb.bug, v)
				}
			}
			if seeds > 1 {
				fmt.Printf("| %-5s | %2d/%d | %7d | %d | %d | %d |\n",
					kb.bug, len(found), seeds, median(checks), median(sizes), maxOf(sizes), kb.minimal)
			}
			require.Len(t, found, seeds, "not found within %d checks by seeds other than %v", kb.budget, found)
			require.Empty(t, long, "seeds whose shrunk counterexample is longer than %d", kb.minimal+1)
		})
	}
}

// writeCounterexample keeps the shrunk counterexample of bug as a
// regression file (DEVSTRESS_WRITE_COUNTEREXAMPLES=1 with seed 1), after
// minimizing it further, under counterexampleDir.
func writeCounterexample(t *testing.T, bug sut.Bug, v *properties.Verdict) {
	t.Helper()
	f, err := shrink.FromVerdict(v, v.Options)
	require.NoError(t, err, "recording the counterexample")
	m, stats, err := shrink.Minimize(f)
	require.NoError(t, err, "minimizing the counterexample")
	t.Logf("minimized %s", stats)
	path := filepath.Join(counterexampleDir, string(bug)+".txt")
	require.NoError(t, os.MkdirAll(counterexampleDir, 0o755))
	require.NoError(t, os.WriteFile(path, []byte(m.String()), 0o644))
	t.Logf("wrote %s", path)
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[len(s)/2]
}
