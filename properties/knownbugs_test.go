package properties_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/internal/campaign"
	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
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
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := gen.Stress(rt, properties.Options{Bug: bug})
		v := properties.Execute(p, gen.Schedule(rt), opt)
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

// sut0 is the correct core.
const sut0 = sut.BugNone

// budgets are the numbers of checks within which the generic property
// must find each known bug (campaign.KnownBugs: the spec §16 variants
// with their minimal counterexamples' sizes).
var budgets = map[sut.Bug]int{
	sut.BugH1: 20000, sut.BugH2: 200000, sut.BugH2b: 20000, sut.BugH3: 500000,
	sut.BugH4: 50000, sut.BugH5: 50000, sut.BugH6: 20000, sut.BugH7a: 20000,
	sut.BugH7b: 20000, sut.BugH8: 20000, sut.BugH9: 50000, sut.BugH9d: 50000,
	sut.BugH10A: 20000, sut.BugH10B: 500000,
}

var failedAfter = regexp.MustCompile(`failed after (\d+) tests`)

// hunt runs the concurrent property on bug with one rapid seed and returns
// whether it failed, after how many checks, and the shrunk verdict.
func hunt(t *testing.T, bug sut.Bug, budget, seed int) (bool, int, *properties.Verdict) {
	t.Helper()
	rapidtest.SetFlag(t, "rapid.seed", strconv.Itoa(seed))
	var last lastVerdict
	failed, msgs := rapidtest.Failing(t, budget, concurrent(bug, &last, nil))
	if !failed {
		return false, budget, nil
	}
	checks := 0
	if m := failedAfter.FindStringSubmatch(msgs[0]); m != nil {
		checks, _ = strconv.Atoi(m[1])
	}
	require.NotNil(t, last.v, "rapid failed without a verdict: %s", msgs[0])
	return true, checks + 1, last.v
}

// Every known bug is found by the same generic property that the correct
// core passes, within its budget; rapid's shrunk counterexample, recorded
// as a file and minimized (shrink.Minimize, bounded by replays, so the
// result does not depend on the machine's load), replays as a file and is
// at most the spec's minimal counterexample in each of operations, faults
// and preemptions, or, when it is another counterexample of the bug, no
// larger in their sum (campaign.Versus). Under -v each bug's report is logged.
//
// DEVSTRESS_SEEDS=n hunts with seeds 1 to n and prints a table row per
// bug: seeds that found it, median checks to the first failure, the
// largest minimized size, the spec's minimal, and the median and largest
// minimization time. DEVSTRESS_WRITE_COUNTEREXAMPLES=1 writes seed 1's
// file as testdata/counterexamples/<bug>.txt.
func TestKnownBugsAreFoundAndShrunk(t *testing.T) {
	campaignTest(t, "a search of up to 5·10^5 programs per bug")
	seeds := envInt(t, "DEVSTRESS_SEEDS", 1)
	for _, kb := range campaign.KnownBugs {
		budget := budgets[kb.Bug]
		t.Run(string(kb.Bug), func(t *testing.T) {
			require.Positive(t, budget, "no budget for %s", kb.Bug)
			var found, checks, long []int
			var largest [3]int
			var times []time.Duration
			for seed := 1; seed <= seeds; seed++ {
				ok, n, v := hunt(t, kb.Bug, budget, seed)
				if !ok {
					continue
				}
				start := time.Now()
				f, err := shrink.FromVerdict(v, v.Options)
				require.NoError(t, err, "seed %d: recording the counterexample", seed)
				m, stats, err := shrink.Minimize(f)
				require.NoError(t, err, "seed %d: minimizing the counterexample", seed)
				times = append(times, time.Since(start))
				require.NoError(t, shrink.Check(m), "seed %d: the minimized file replays", seed)
				size := stats.After.Spec()
				found, checks = append(found, seed), append(checks, n)
				for i := range size {
					largest[i] = max(largest[i], size[i])
				}
				how, within := campaign.Versus(size, kb.Minimal)
				if !within {
					long = append(long, seed)
				}
				var report strings.Builder
				require.NoError(t, shrink.Report(&report, m, shrink.Replay(m)))
				t.Logf("seed %d: %s after %d checks; rapid shrank it to %v, shrink.Minimize to %v (%s; spec minimal %v) in %s:\n\n%s",
					seed, v.Failure.Invariant, n, stats.Before.Spec(), size, how, kb.Minimal,
					times[len(times)-1].Round(time.Millisecond), report.String())
				if seed == 1 && os.Getenv("DEVSTRESS_WRITE_COUNTEREXAMPLES") != "" {
					path := filepath.Join(counterexampleDir, string(kb.Bug)+".txt")
					require.NoError(t, os.WriteFile(path, []byte(m.String()), 0o644))
					t.Logf("wrote %s", path)
				}
			}
			if seeds > 1 {
				fmt.Printf("| %-5s | %2d/%d | %7d | %v | %v | %s | %s |\n", kb.Bug, len(found), seeds, median(checks),
					largest, kb.Minimal, medianDuration(times).Round(time.Millisecond), slices.Max(times).Round(time.Millisecond))
			}
			require.Len(t, found, seeds, "not found within %d checks by seeds other than %v", budget, found)
			require.Empty(t, long, "seeds whose minimized counterexample is larger than the spec's minimal %v", kb.Minimal)
		})
	}
}

func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[len(s)/2]
}
