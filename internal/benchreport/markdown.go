package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/devstress/devstress/internal/campaign"
)

// The report's files, relative to the module's root.
const (
	reportFile = "BENCHMARKS.md"
	chartFile  = "docs/benchmarks.svg"
)

// The goals the report judges (issue 14's, and issue 10's rate of a fuzz
// worker), and the benchmarks it names.
const (
	goalTime          = time.Second // median wall time to the first failure
	goalExecsPerS     = 5000        // the standard program, one processor, no -race
	goalFuzzExecsPerS = 5000        // a fuzz worker on the whole-program target
	standardBench     = "BenchmarkExecute"
	fuzzExecBench     = "BenchmarkFuzzProgramExec"
	handoffBench      = "BenchmarkHandoff"
	notFoundInCell    = "—"
)

// write writes the report and its chart under root.
func (r *report) write(root string) error {
	if err := os.MkdirAll(filepath.Join(root, filepath.Dir(chartFile)), 0o755); err != nil {
		return err
	}
	var chart strings.Builder
	r.chart(&chart)
	if err := os.WriteFile(filepath.Join(root, chartFile), []byte(chart.String()), 0o644); err != nil {
		return err
	}
	var md strings.Builder
	r.markdown(&md)
	return os.WriteFile(filepath.Join(root, reportFile), []byte(md.String()), 0o644)
}

// role returns the run of the role (nil when the report has none).
func (r *report) role(ro role) *strategyRun {
	for i := range r.Runs {
		if r.Runs[i].Role == ro {
			return &r.Runs[i]
		}
	}
	return nil
}

// markdown writes BENCHMARKS.md.
func (r *report) markdown(w *strings.Builder) {
	fmt.Fprintf(w, "# Benchmarks\n\n<!-- Generated: do not edit. Run the command below again. -->\n\n")
	fmt.Fprintf(w, "Generated on %s (UTC) in %s by\n\n    %s\n\n", r.Date.Format("2006-01-02 15:04"),
		r.Elapsed.Round(time.Minute), strings.TrimSpace(r.Command))
	fmt.Fprintf(w, "on %s, with %s. Every hunt is a devstress campaign with %d worker processes, stopped at its first failure, "+
		"which is then minimized; its time is the wall time to that failure. This machine is shared and noisy: compare "+
		"the numbers of one report with each other (the ratios), not with another report's.\n\n", r.Machine, r.Go, r.Workers)
	r.goals(w)
	r.versus(w)
	r.strategies(w)
	r.fuzz(w)
	r.throughput(w)
}

// goals judges the goals of issue 14 from the runs.
func (r *report) goals(w *strings.Builder) {
	def, base := r.role(search), r.role(baseline)
	if def == nil || base == nil {
		return
	}
	fmt.Fprintf(w, "## Goals\n\n")
	var missed, slow, moreExecs, moreTime, beyond []string
	for i, sc := range def.Scores {
		bs := base.Scores[i]
		if sc.Found() < len(sc.Hunts) {
			missed = append(missed, fmt.Sprintf("%s (%d of %d)", sc.Bug, sc.Found(), len(sc.Hunts)))
		}
		execs, wall := sc.Median()
		if sc.Found() == 0 || wall >= goalTime {
			slow = append(slow, fmt.Sprintf("%s (%s)", sc.Bug, cellTime(sc.Found() > 0, wall)))
		}
		bexecs, bwall := bs.Median()
		switch {
		case bs.Found() == 0 && sc.Found() > 0:
			beyond = append(beyond, string(sc.Bug))
		case bs.Found() == 0:
		case sc.Found() == 0 || execs >= bexecs:
			moreExecs = append(moreExecs, fmt.Sprintf("%s (%s against %d)", sc.Bug, cellExecs(sc.Found() > 0, execs), bexecs))
		}
		if bs.Found() > 0 && (sc.Found() == 0 || wall > bwall) {
			moreTime = append(moreTime, fmt.Sprintf("%s (%s against %s)", sc.Bug, cellTime(sc.Found() > 0, wall), cellTime(true, bwall)))
		}
	}
	n := len(def.Scores)
	fmt.Fprintf(w, "- **Every known bug found with every seed** by the default search (%d seeds, at most %d executions a hunt): %s\n",
		def.Seeds, def.Execs, verdict(n, missed))
	fmt.Fprintf(w, "- **Median wall time to the first failure under %v**: %s\n", goalTime, verdict(n, slow))
	fmt.Fprintf(w, "- **Fewer executions than the hand-written stress baseline** (medians; bugs the baseline finds): %s\n", verdict(n, moreExecs))
	fmt.Fprintf(w, "- **No more wall time than the baseline** (medians): %s\n", verdict(n, moreTime))
	if len(beyond) > 0 {
		fmt.Fprintf(w, "- **Found by the default search and not by the baseline** in its budget: %s.\n", strings.Join(beyond, ", "))
	}
	if perS, ok := r.plain(standardBench); ok {
		met := "met"
		if perS < goalExecsPerS {
			met = fmt.Sprintf("not met (%.0f%% of it)", 100*perS/goalExecsPerS)
		}
		fmt.Fprintf(w, "- **The standard program (3 clients × 8 operations) at %d executions/s or more** on one processor without -race: %.0f/s, %s.\n",
			goalExecsPerS, perS, met)
	}
	fmt.Fprintln(w)
}

// plain returns the executions per second of the executor benchmark name
// without -race, if it ran.
func (r *report) plain(name string) (float64, bool) {
	for _, st := range r.Executor {
		if st.Name == name && !st.Race {
			return st.Median, true
		}
	}
	return 0, false
}

// verdict says "met" when no bug misses the goal, else which do.
func verdict(n int, misses []string) string {
	if len(misses) == 0 {
		return fmt.Sprintf("met (%d of %d bugs).", n, n)
	}
	return fmt.Sprintf("not met for %d of %d bugs: %s.", len(misses), n, strings.Join(misses, ", "))
}

// versus writes the default search's table beside the baseline's, with
// their ratios.
func (r *report) versus(w *strings.Builder) {
	def, base := r.role(search), r.role(baseline)
	if def == nil || base == nil {
		return
	}
	fmt.Fprintf(w, "## The default search against the stress test people write\n\n")
	fmt.Fprintf(w, "The default search is `devstress run`'s (%s). The baseline is the stress test a careful engineer writes without devstress: "+
		"the broad hand-written program (properties.BroadStress) on real goroutines, the same operations in loops, faults at a fixed rate, "+
		"with the same checks (strategy `stress`). Ratios are the default search's median over the baseline's: below 1 the default search is faster.\n\n",
		def.Label)
	fmt.Fprintf(w, "| bug | found | median execs | p90 execs | median time | p90 time | baseline found | baseline median execs | baseline median time | execs ratio | time ratio |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	for i, sc := range def.Scores {
		bs := base.Scores[i]
		execs, wall := sc.Median()
		pexecs, pwall := sc.Quantile(0.9)
		bexecs, bwall := bs.Median()
		found, bfound := sc.Found() > 0, bs.Found() > 0
		fmt.Fprintf(w, "| %s | %d/%d | %s | %s | %s | %s | %d/%d | %s | %s | %s | %s |\n", sc.Bug,
			sc.Found(), len(sc.Hunts), cellExecs(found, execs), cellExecs(found, pexecs), cellTime(found, wall), cellTime(found, pwall),
			bs.Found(), len(bs.Hunts), cellExecs(bfound, bexecs), cellTime(bfound, bwall),
			ratio(found, bfound, float64(execs), float64(bexecs), base.Execs), ratio(found, bfound, float64(wall), float64(bwall), base.Execs))
	}
	fmt.Fprintln(w)
}

// ratio formats a/b, or says which side found nothing.
func ratio(aFound, bFound bool, a, b float64, budget int) string {
	switch {
	case !bFound && !aFound:
		return "neither found"
	case !bFound:
		return fmt.Sprintf("baseline: not found in %d", budget)
	case !aFound:
		return "not found"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// strategies writes every strategy's scoreboard: found and medians, the
// 0.9-quantiles, and the minimized sizes against the spec's minimal.
func (r *report) strategies(w *strings.Builder) {
	fmt.Fprintf(w, "## Every strategy\n\n![Median time to detect per bug and strategy](%s)\n\n", chartFile)
	fmt.Fprintf(w, "Seeds and budgets:")
	for i, sr := range r.Runs {
		sep := ";"
		if i == len(r.Runs)-1 {
			sep = "."
		}
		fmt.Fprintf(w, " %s %d seeds × at most %d executions (`devstress bugs %s`)%s", sr.Label, sr.Seeds, sr.Execs, strings.Join(sr.Args, " "), sep)
	}
	fmt.Fprintf(w, " Exhaustive counts programs, each with at most %d schedules.\n\n", campaign.DefaultPerProgram)
	r.table(w, "Found, median executions and median time to the first failure", func(sc campaign.Score) string {
		execs, wall := sc.Median()
		if sc.Found() == 0 {
			return fmt.Sprintf("0/%d", len(sc.Hunts))
		}
		return fmt.Sprintf("%d/%d · %d · %s", sc.Found(), len(sc.Hunts), execs, cellTime(true, wall))
	})
	r.table(w, "0.9-quantile of executions and time to the first failure (over the hunts that found the bug)", func(sc campaign.Score) string {
		execs, wall := sc.Quantile(0.9)
		return cellExecs(sc.Found() > 0, execs) + " · " + cellTime(sc.Found() > 0, wall)
	})
	r.table(w, "Minimized size (operations, faults, preemptions): the worst hunt's, against the spec's minimal (first column)", func(sc campaign.Score) string {
		if sc.Minimized() == 0 {
			return notFoundInCell
		}
		size, how, within := sc.Worst()
		return fmt.Sprintf("%v %s, %d/%d within", size, how, within, sc.Minimized())
	})
}

// table writes one table: a row per bug, the spec's minimal, and a column
// per strategy with cell's text for its score.
func (r *report) table(w *strings.Builder, title string, cell func(campaign.Score) string) {
	fmt.Fprintf(w, "### %s\n\n| bug | spec minimal |", title)
	for _, sr := range r.Runs {
		fmt.Fprintf(w, " %s |", sr.Label)
	}
	fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(r.Runs)))
	for i, kb := range campaign.KnownBugs {
		fmt.Fprintf(w, "| %s | %v |", kb.Bug, kb.Minimal)
		for _, sr := range r.Runs {
			fmt.Fprintf(w, " %s |", cell(sr.Scores[i]))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// fuzz writes the fuzz targets' times to find, judges the fuzz goal of
// issue 10 on the runs from an empty corpus, and puts the default
// search's median time beside each.
func (r *report) fuzz(w *strings.Builder) {
	r.fuzzWorker(w)
	if len(r.Fuzz) == 0 {
		return
	}
	fmt.Fprintf(w, "## Fuzz targets: time to find\n\n")
	fmt.Fprintf(w, "`go test -fuzz` runs (BenchmarkTimeToFind in ./fuzz), each capped at %v, on one fuzzing process with the machine's "+
		"workers, from the target's seed corpus (fuzz/targets/testdata/fuzz, which holds the known bugs' programs and typical ones) or from an "+
		"empty corpus; the time is the median, over the runs that found the bug, to the fuzzer's report of the failing input, "+
		"the fuzzer's minimization off.\n\n", r.FuzzCap)
	var goal []string
	for _, bug := range fuzzGoalBugs {
		var best time.Duration
		for _, f := range r.Fuzz {
			if d := f.time(); f.Bug == bug && f.Corpus == "empty" && f.Found > 0 && (best == 0 || d < best) {
				best = d
			}
		}
		switch {
		case best == 0:
			goal = append(goal, fmt.Sprintf("%s (no target found it)", bug))
		case best >= fuzzGoalTime:
			goal = append(goal, fmt.Sprintf("%s (%s at best)", bug, cellTime(true, best)))
		}
	}
	fmt.Fprintf(w, "- **%s each found from an empty corpus in under %.0fs by at least one target**: %s\n\n",
		strings.Join(fuzzGoalBugs, ", "), fuzzGoalTime.Seconds(), verdict(len(fuzzGoalBugs), goal))
	def := r.role(search)
	fmt.Fprintf(w, "| target | bug | corpus | found | median time to the failing input | default search's median time |\n|---|---|---|---|---|---|\n")
	for _, f := range r.Fuzz {
		t := fmt.Sprintf("not in %v", r.FuzzCap)
		if f.Found > 0 {
			t = cellTime(true, f.time())
		}
		fmt.Fprintf(w, "| Fuzz%s | %s | %s | %d/%d | %s | %s |\n", f.Target, f.Bug, f.Corpus, f.Found, f.Runs, t, def.medianTime(f.Bug))
	}
	fmt.Fprintln(w)
}

// fuzzWorker judges the rate goal of issue 10 from a fuzz worker's rate
// under go test -fuzz, beside the executions alone
// (BenchmarkFuzzProgramExec without -race).
func (r *report) fuzzWorker(w *strings.Builder) {
	fw := r.FuzzWorker
	if fw == nil {
		return
	}
	fmt.Fprintf(w, "## Fuzz targets: a worker's executions per second\n\n")
	met := "met"
	if fw.PerSecond < goalFuzzExecsPerS {
		met = fmt.Sprintf("not met (%.0f%% of it)", 100*fw.PerSecond/goalFuzzExecsPerS)
	}
	fmt.Fprintf(w, "- **A fuzz worker at %d executions/s or more** on the whole-program target under `go test -fuzz`: %.0f/s, %s\n\n",
		goalFuzzExecsPerS, fw.PerSecond, met)
	alone := ""
	if perS, ok := r.plain(fuzzExecBench); ok {
		alone = fmt.Sprintf(" The executions alone, without the engine (%s on the same corpus, below), run at %.0f/s.", fuzzExecBench, perS)
	}
	fmt.Fprintf(w, "BenchmarkFuzzWorker in ./fuzz: FuzzProgram on the correct core from its seed corpus, one worker, the fuzzer's minimization "+
		"off, %d runs of %v; the rate of the median run, engine included (after every execution Go's engine clears, copies and compares "+
		"the binary's coverage counters).%s\n\n", fw.Runs, fw.Time, alone)
}

// The fuzz goal of issue 10: each of these bugs found from an empty corpus
// in under fuzzGoalTime by at least one target.
var fuzzGoalBugs = []string{"H1", "H2", "H3", "H10B"}

const fuzzGoalTime = time.Minute

// time is the fuzzFind's median time to the failing input.
func (f fuzzFind) time() time.Duration { return time.Duration(f.Seconds * float64(time.Second)) }

// medianTime is the run's median time to find bug, as a cell ("—" when
// the report has no such run or bug).
func (sr *strategyRun) medianTime(bug string) string {
	if sr == nil {
		return notFoundInCell
	}
	for _, sc := range sr.Scores {
		if string(sc.Bug) == bug {
			_, t := sc.Median()
			return cellTime(sc.Found() > 0, t)
		}
	}
	return notFoundInCell
}

// throughput writes the step, executor and campaign rates.
func (r *report) throughput(w *strings.Builder) {
	fmt.Fprintf(w, "## Throughput\n\n")
	var handoff float64
	for _, st := range r.Steps {
		if st.Name == handoffBench {
			handoff = st.Median
		}
	}
	fmt.Fprintf(w, "A controlled step (tasks that only yield) against a raw hand-off (an unbuffered channel round trip), ./sched, medians of %d runs:\n\n", runs(r.Steps))
	fmt.Fprintf(w, "| benchmark | ns/op | × hand-off |\n|---|---|---|\n")
	for _, st := range r.Steps {
		x := "—"
		if handoff > 0 {
			x = fmt.Sprintf("%.2f", st.Median/handoff)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s |\n", st.Name, st.Median, x)
	}
	fmt.Fprintf(w, "\nWhole executions on one processor, medians of %d runs: %s in ./properties runs the standard program (3 clients × 8 operations: run, "+
		"checks, teardown, the goroutine check) under random walks; %s in ./fuzz decodes and runs the whole-program "+
		"target's seed corpus (the known bugs' programs and typical ones, most of them smaller).\n\n", runs(r.Executor), standardBench, fuzzExecBench)
	fmt.Fprintf(w, "| benchmark | build | executions/s | × plain |\n|---|---|---|---|\n")
	plain := map[string]float64{}
	for _, st := range r.Executor {
		if !st.Race {
			plain[st.Name] = st.Median
		}
		x := "—"
		if plain[st.Name] > 0 {
			x = fmt.Sprintf("%.2f", st.Median/plain[st.Name])
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %s |\n", st.Name, buildName(st.Race), st.Median, x)
	}
	fmt.Fprintf(w, "\n`devstress run` on the correct core with the default strategy, %v each:\n\n", r.RunTime)
	fmt.Fprintf(w, "| build | workers | executions/s | × one worker |\n|---|---|---|---|\n")
	one := map[bool]float64{}
	for _, c := range r.Campaign {
		if c.Workers == 1 {
			one[c.Race] = c.PerSecond
		}
		x := "—"
		if one[c.Race] > 0 {
			x = fmt.Sprintf("%.2f", c.PerSecond/one[c.Race])
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %s |\n", buildName(c.Race), c.Workers, c.PerSecond, x)
	}
	fmt.Fprintln(w)
}

// runs returns how many runs the medians of stats are of (the first's:
// one go test -count gives them all).
func runs(stats []benchStat) int {
	if len(stats) == 0 {
		return 0
	}
	return stats[0].Runs
}

// buildName names the build in a table.
func buildName(race bool) string {
	if race {
		return "-race"
	}
	return "plain"
}

// cellExecs formats an execution count, or says none found.
func cellExecs(found bool, n int) string {
	if !found {
		return notFoundInCell
	}
	return fmt.Sprint(n)
}

// cellTime formats a duration to about three significant digits.
func cellTime(found bool, d time.Duration) string {
	switch {
	case !found:
		return notFoundInCell
	case d < 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d < 10*time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
