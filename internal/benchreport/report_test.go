package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/internal/campaign"
	"github.com/stretchr/testify/require"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/devstress/devstress/sched
BenchmarkHandoff-2                 	 1000000	      1000 ns/op
BenchmarkHandoff-2                 	 1000000	      1200 ns/op
BenchmarkStep/tasks=2/strategy=random-2         	 1000000	      900.5 ns/op	      12 B/op
BenchmarkHandoff-2                 	 1000000	      1100 ns/op
    bench_test.go:9: a log line
BenchmarkStep/tasks=2/strategy=random-2         	 1000000	      950.5 ns/op	      12 B/op
PASS
ok  	github.com/devstress/devstress/sched	3.1s
`

// go test -bench lines are read by name without the -GOMAXPROCS suffix,
// their metrics by unit, and the median is taken per benchmark in the
// order first seen; logs and the rest are skipped.
func TestMediansOfBenchOutput(t *testing.T) {
	st, err := medians([]byte(benchOutput), "ns/op")
	require.NoError(t, err)
	require.Equal(t, []benchStat{
		{Name: "BenchmarkHandoff", Median: 1100, Runs: 3},
		{Name: "BenchmarkStep/tasks=2/strategy=random", Median: 950.5, Runs: 2},
	}, st)
	_, err = medians([]byte(benchOutput), "execs/s")
	require.ErrorContains(t, err, "reports no execs/s")
	_, err = medians([]byte("PASS\nok\n"), "ns/op")
	require.ErrorContains(t, err, "no benchmark result")
	fuzz := parseBench([]byte("BenchmarkTimeToFind/Broad/H3/empty \t1\t2000 ns/op\t30.00 cap-s\t1.000 found\t1.370 median-s\n"))
	require.Equal(t, []benchLine{{Name: "BenchmarkTimeToFind/Broad/H3/empty", Iterations: 1,
		Metrics: map[string]float64{"ns/op": 2000, "cap-s": 30, "found": 1, "median-s": 1.37}}}, fuzz)
}

// hunts makes n hunts that find the bug in execs executions and d, and
// misses that do not.
func hunts(n int, execs int, d time.Duration, misses int) []campaign.Hunt {
	var hs []campaign.Hunt
	for i := range n {
		hs = append(hs, campaign.Hunt{Seed: uint64(i + 1), Found: true, Executions: execs, Time: d, Minimized: true, Size: [3]int{3, 1, 0}})
	}
	for range misses {
		hs = append(hs, campaign.Hunt{Executions: 1000, Time: time.Minute})
	}
	return hs
}

// testReport is a report over every known bug: the default search finds
// each in 10 executions and 20ms except H2 (12 of 20 seeds, 4000
// executions, 2s); the baseline finds each in 5 executions and 30ms
// except H10B, which it never finds.
func testReport() *report {
	def := strategyRun{Label: "mix (default)", Role: search, Seeds: 20, Execs: 20000}
	base := strategyRun{Label: "stress (baseline)", Role: baseline, Seeds: 20, Execs: 20000}
	for _, kb := range campaign.KnownBugs {
		d := campaign.Score{Bug: kb.Bug, Minimal: kb.Minimal, Hunts: hunts(20, 10, 20*time.Millisecond, 0)}
		b := campaign.Score{Bug: kb.Bug, Minimal: kb.Minimal, Hunts: hunts(20, 5, 30*time.Millisecond, 0)}
		if kb.Bug == "H2" {
			d.Hunts = hunts(12, 4000, 2*time.Second, 8)
		}
		if kb.Bug == "H10B" {
			b.Hunts = hunts(0, 0, 0, 20)
		}
		def.Scores, base.Scores = append(def.Scores, d), append(base.Scores, b)
	}
	return &report{Command: "go run ./internal/benchreport -seeds 20", Date: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		Machine: "a test machine", Go: "go1.26", Workers: 2, Runs: []strategyRun{def, base}, FuzzCap: 30 * time.Second,
		Fuzz: []fuzzFind{{Target: "Broad", Bug: "H3", Corpus: "empty", Found: 2, Runs: 3, Seconds: 1.37},
			{Target: "Broad", Bug: "H10B", Corpus: "empty", Runs: 3},
			{Target: "Program", Bug: "H10B", Corpus: "seed", Found: 1, Runs: 1, Seconds: 0.2}},
		Steps: []benchStat{{Name: handoffBench, Median: 1000, Runs: 5}, {Name: "BenchmarkStep/tasks=2/strategy=random", Median: 1500, Runs: 5}},
		Executor: []benchStat{{Name: standardBench, Median: 4000, Runs: 3}, {Name: standardBench, Median: 500, Runs: 3, Race: true},
			{Name: fuzzExecBench, Median: 7000, Runs: 3}},
		FuzzWorker: &workerRate{Runs: 3, Time: 30 * time.Second, PerSecond: 3900},
		Campaign:   []rate{{Workers: 1, PerSecond: 1000}, {Workers: 2, PerSecond: 1800}}, RunTime: 10 * time.Second}
}

// The goals are judged from the runs, each naming the bugs that miss it
// with their figures; the ratios are the default's medians over the
// baseline's, or say which side found nothing.
func TestMarkdownJudgesTheGoalsFromTheRuns(t *testing.T) {
	var b strings.Builder
	testReport().markdown(&b)
	md := b.String()
	for _, want := range []string{
		"    go run ./internal/benchreport -seeds 20\n",
		"- **Every known bug found with every seed** by the default search (20 seeds, at most 20000 executions a hunt): not met for 1 of 14 bugs: H2 (12 of 20).",
		"- **Median wall time to the first failure under 1s**: not met for 1 of 14 bugs: H2 (2s).",
		"- **Fewer executions than the hand-written stress baseline** (medians; bugs the baseline finds): not met for 13 of 14 bugs: H1 (10 against 5),",
		"- **No more wall time than the baseline** (medians): not met for 1 of 14 bugs: H2 (2s against 30ms).",
		"- **Found by the default search and not by the baseline** in its budget: H10B.",
		"- **The standard program (3 clients × 8 operations) at 5000 executions/s or more** on one processor without -race: 4000/s, not met (80% of it).",
		"| BenchmarkExecute | -race | 500 | 0.12 |",
		"| H1 | 20/20 | 10 | 10 | 20ms | 20ms | 20/20 | 5 | 30ms | 2.00 | 0.67 |",
		"| H10B | 20/20 | 10 | 10 | 20ms | 20ms | 0/20 | — | — | baseline: not found in 20000 | baseline: not found in 20000 |",
		"| H2 | [6 1 1] | 12/20 · 4000 · 2s | 20/20 · 5 · 30ms |",
		"| H1 | [3 1 0] | [3 1 0] minimal, 20/20 within | [3 1 0] minimal, 20/20 within |",
		"| FuzzBroad | H3 | empty | 2/3 | 1.37s | 20ms |",
		"| FuzzBroad | H10B | empty | 0/3 | not in 30s | 20ms |",
		"| FuzzProgram | H10B | seed | 1/1 | 200ms | 20ms |",
		"- **H1, H2, H3, H10B each found from an empty corpus in under 60s by at least one target**: not met for 3 of 4 bugs: H1 (no target found it), H2 (no target found it), H10B (no target found it).",
		"| BenchmarkStep/tasks=2/strategy=random | 1500 | 1.50 |",
		"./sched, medians of 5 runs:",
		"Whole executions on one processor, medians of 3 runs:",
		"| plain | 2 | 1800 | 1.80 |",
		"- **A fuzz worker at 5000 executions/s or more** on the whole-program target under `go test -fuzz`: 3900/s, not met (78% of it)",
		"one worker, the fuzzer's minimization off, 3 runs of 30s;",
		"The executions alone, without the engine (BenchmarkFuzzProgramExec on the same corpus, below), run at 7000/s.",
	} {
		require.Contains(t, md, want)
	}
}

// The chart is well-formed SVG with a dot for every strategy and bug some
// seed found, a cross for every one none did, and nothing where a series
// did not run.
func TestChartMarksEveryBugAndStrategy(t *testing.T) {
	var b strings.Builder
	testReport().chart(&b)
	dec := xml.NewDecoder(strings.NewReader(b.String()))
	circles, crosses := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "circle" {
				circles++
			}
		case xml.CharData:
			if string(el) == "×" {
				crosses++
			}
		}
	}
	legend := 3 // two strategies and one fuzz target: FuzzProgram ran only from its seed corpus
	require.Equal(t, legend+14+13+1, circles, "default: all 14; baseline: 13; FuzzBroad: H3")
	require.Equal(t, 2, crosses, "baseline and FuzzBroad: H10B; FuzzBroad ran on no other bug")
}

// The report and its chart are written under the root, the chart where
// the report links it.
func TestWriteWritesTheReportAndItsChart(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, testReport().write(root))
	md, err := os.ReadFile(filepath.Join(root, reportFile))
	require.NoError(t, err)
	require.Contains(t, string(md), "]("+chartFile+")")
	svg, err := os.ReadFile(filepath.Join(root, chartFile))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(svg), "<svg "))
}

// Bad flags are errors before anything runs.
func TestRunRejectsBadFlags(t *testing.T) {
	require.ErrorContains(t, run([]string{"-seeds", "0"}), "-seeds 0: want a positive integer")
	require.ErrorContains(t, run([]string{"extra"}), `unexpected argument "extra"`)
	require.ErrorContains(t, run([]string{"-fuzz-worker-runs", "-1"}), "-fuzz-worker-runs -1: want 0 (skip) or more")
	require.ErrorContains(t, run([]string{"-fuzz-worker-time", "0s"}), "want positive durations")
	require.ErrorContains(t, run([]string{"-out", t.TempDir()}), "not the module's root")
}
