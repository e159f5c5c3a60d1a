package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/devstress/devstress/internal/campaign"
)

// A strategyRun is one strategy's scoreboard and how it was run.
type strategyRun struct {
	Label  string // the strategy as the report names it
	Role   role
	Args   []string // its devstress bugs flags besides seeds, budget and workers
	Seeds  int
	Execs  int
	Scores []campaign.Score // in campaign.KnownBugs order
}

// role says what a strategy is to the report.
type role int

const (
	other    role = iota
	search        // the default search
	baseline      // the hand-written stress baseline
)

// strategies lists the scoreboard's strategies, the default search first
// and the baseline second.
func strategies(o options) []strategyRun {
	runs := []strategyRun{
		{Label: string(campaign.DefaultStrategy) + " (default)", Role: search, Args: []string{"--strategy", string(campaign.DefaultStrategy)}},
		{Label: "stress (baseline)", Role: baseline, Args: []string{"--strategy", string(campaign.Stress)}},
		{Label: "random", Args: []string{"--strategy", string(campaign.Random)}},
		{Label: "broad", Args: []string{"--strategy", string(campaign.Broad)}},
		{Label: "rapid", Args: []string{"--strategy", string(campaign.Rapid)}},
	}
	for d := 1; d <= 3; d++ {
		runs = append(runs, strategyRun{Label: fmt.Sprintf("pct d=%d", d), Args: []string{"--strategy", string(campaign.PCT), "--depth", strconv.Itoa(d)}})
	}
	runs = append(runs, strategyRun{Label: fmt.Sprintf("exhaustive ≤%d preemptions", campaign.DefaultPreemptions),
		Args: []string{"--strategy", string(campaign.Exhaustive)}})
	for i := range runs {
		runs[i].Seeds, runs[i].Execs = o.otherSeeds, o.otherExecs
		if runs[i].Role != other {
			runs[i].Seeds, runs[i].Execs = o.seeds, o.execs
		}
	}
	return runs
}

// report is everything BENCHMARKS.md shows.
type report struct {
	Command string
	Date    time.Time
	Machine string
	Go      string
	Workers int
	Runs    []strategyRun
	Fuzz    []fuzzFind
	FuzzCap time.Duration
	// FuzzWorker is a fuzz worker's rate under go test -fuzz; nil when
	// not measured.
	FuzzWorker *workerRate
	Steps      []benchStat // sched: the hand-off first
	Executor   []benchStat // the whole-program executor, without then with -race
	Campaign   []rate      // devstress run
	RunTime    time.Duration
	Elapsed    time.Duration
}

// A fuzzFind is a target's fuzzing runs on a bug from one corpus.
type fuzzFind struct {
	Target, Bug string
	// Corpus is "seed" (the target's seed corpus) or "empty".
	Corpus string
	// Found counts the runs that found the bug, of Runs.
	Found, Runs int
	Seconds     float64 // the median time to the failing input over the runs that found it
}

// A workerRate is a fuzz worker's executions per second on FuzzProgram
// under go test -fuzz, the median of Runs runs of Time each.
type workerRate struct {
	Runs      int
	Time      time.Duration
	PerSecond float64
}

// A rate is devstress run's executions per second.
type rate struct {
	Workers   int
	Race      bool
	PerSecond float64
}

// measure makes every run of the report.
func measure(o options, log *logger) (*report, error) {
	tmp, err := os.MkdirTemp("", "benchreport-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	rep := &report{Date: time.Now().UTC(), Machine: machine(), Go: runtime.Version(), Workers: o.workers,
		FuzzCap: o.fuzzCap, RunTime: o.runTime}
	bins := map[bool]string{}
	for _, race := range []bool{false, true} {
		log.printf("building devstress (race %v)", race)
		if bins[race], err = build(tmp, race); err != nil {
			return nil, err
		}
	}
	for _, sr := range strategies(o) {
		log.printf("scoreboard: %s, %d seeds, %d executions a hunt", sr.Label, sr.Seeds, sr.Execs)
		if sr.Scores, err = scoreboard(bins[false], sr, o.workers); err != nil {
			return nil, err
		}
		rep.Runs = append(rep.Runs, sr)
	}
	if o.fuzz != "" && o.fuzz != "none" {
		log.printf("fuzz targets %s from corpora %s, %d runs each, capped at %v a run", o.fuzz, o.fuzzCorpora, o.fuzzRuns, o.fuzzCap)
		if rep.Fuzz, err = fuzzTimes(o.fuzz, o.fuzzCorpora, o.fuzzRuns, o.fuzzCap); err != nil {
			return nil, err
		}
	}
	if o.fuzzWorkerRuns > 0 {
		log.printf("fuzz worker: FuzzProgram under go test -fuzz, %d runs of %v", o.fuzzWorkerRuns, o.fuzzWorkerTime)
		if rep.FuzzWorker, err = fuzzWorker(o.fuzzWorkerRuns, o.fuzzWorkerTime); err != nil {
			return nil, err
		}
	}
	log.printf("throughput: step against hand-off (-count %d)", o.count)
	out, err := goBench(false, "./sched", "^Benchmark(Handoff|Step)$", o.count)
	if err != nil {
		return nil, err
	}
	if rep.Steps, err = medians(out, "ns/op"); err != nil {
		return nil, err
	}
	for _, ex := range executors {
		for _, race := range []bool{false, true} {
			log.printf("throughput: %s (race %v)", ex.bench, race)
			out, err := goBench(race, ex.pkg, "^"+ex.bench+"$", o.count)
			if err != nil {
				return nil, err
			}
			st, err := medians(out, "execs/s")
			if err != nil {
				return nil, err
			}
			for i := range st {
				st[i].Race = race
			}
			rep.Executor = append(rep.Executor, st...)
		}
	}
	for _, race := range []bool{false, true} {
		for _, w := range []int{1, 2} {
			log.printf("throughput: devstress run, %d workers (race %v), %v", w, race, o.runTime)
			r, err := runRate(bins[race], w, o.runTime)
			if err != nil {
				return nil, err
			}
			rep.Campaign = append(rep.Campaign, rate{Workers: w, Race: race, PerSecond: r})
		}
	}
	rep.Elapsed = time.Since(log.start)
	log.printf("done")
	return rep, nil
}

// build builds devstress into dir, with -race when race is true.
func build(dir string, race bool) (string, error) {
	path := filepath.Join(dir, "devstress")
	args := []string{"build", "-o", path}
	if race {
		path += "-race"
		args = []string{"build", "-race", "-o", path}
	}
	if out, err := exec.Command("go", append(args, "./cmd/devstress")...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return path, nil
}

// scoreboard runs devstress bugs for one strategy and checks that it
// scored every known bug with every seed: a scoreboard with a hole is an
// error, not a row of zeros.
func scoreboard(bin string, sr strategyRun, workers int) ([]campaign.Score, error) {
	args := append([]string{"bugs", "--json", "--seeds", strconv.Itoa(sr.Seeds), "--execs", strconv.Itoa(sr.Execs),
		"--workers", strconv.Itoa(workers)}, sr.Args...)
	out, err := output(exec.Command(bin, args...))
	if err != nil {
		return nil, err
	}
	var scores []campaign.Score
	if err := json.Unmarshal(out, &scores); err != nil {
		return nil, fmt.Errorf("devstress %s: %v", strings.Join(args, " "), err)
	}
	if len(scores) != len(campaign.KnownBugs) {
		return nil, fmt.Errorf("devstress %s: scored %d bugs, want %d", strings.Join(args, " "), len(scores), len(campaign.KnownBugs))
	}
	for i, sc := range scores {
		if sc.Bug != campaign.KnownBugs[i].Bug || len(sc.Hunts) != sr.Seeds {
			return nil, fmt.Errorf("devstress %s: row %d is %s with %d hunts, want %s with %d", strings.Join(args, " "),
				i, sc.Bug, len(sc.Hunts), campaign.KnownBugs[i].Bug, sr.Seeds)
		}
	}
	return scores, nil
}

// fuzzTimes runs BenchmarkTimeToFind runs times per bug of each target
// from each corpus ("seed", "empty"; a target without a seed corpus runs
// only from an empty one), with the fuzzer's minimization off (its time is
// not the find's).
func fuzzTimes(targets, corpora string, runs int, limit time.Duration) ([]fuzzFind, error) {
	pattern := fmt.Sprintf("^BenchmarkTimeToFind$/^(%s)$/./^(%s)$", strings.ReplaceAll(targets, ",", "|"), strings.ReplaceAll(corpora, ",", "|"))
	out, err := fuzzBench(pattern, runs, "DEVSTRESS_FUZZ_TTF_CAP="+limit.String(), "DEVSTRESS_FUZZ_TTF_MINIMIZE=0")
	if err != nil {
		return nil, err
	}
	var finds []fuzzFind
	for _, l := range parseBench(out) {
		parts := strings.Split(l.Name, "/")
		if len(parts) != 4 {
			continue
		}
		f := fuzzFind{Target: parts[1], Bug: parts[2], Corpus: parts[3], Runs: l.Iterations,
			Found: int(math.Round(l.Metrics["found"] * float64(l.Iterations))), Seconds: l.Metrics["median-s"]}
		finds = append(finds, f)
	}
	if len(finds) == 0 {
		return nil, fmt.Errorf("go test -bench %q ran no time-to-find benchmark:\n%s", pattern, out)
	}
	return finds, nil
}

// fuzzWorker runs BenchmarkFuzzWorker: runs runs of FuzzProgram under go
// test -fuzz, one worker, d each, and returns the median run's rate.
func fuzzWorker(runs int, d time.Duration) (*workerRate, error) {
	out, err := fuzzBench("^BenchmarkFuzzWorker$", runs, "DEVSTRESS_FUZZ_WORKER_TIME="+d.String())
	if err != nil {
		return nil, err
	}
	for _, l := range parseBench(out) {
		if v, ok := l.Metrics["execs/s"]; ok && l.Name == "BenchmarkFuzzWorker" {
			return &workerRate{Runs: l.Iterations, Time: d, PerSecond: v}, nil
		}
	}
	return nil, fmt.Errorf("go test -bench BenchmarkFuzzWorker reported no execs/s:\n%s", out)
}

// fuzzBench runs the fuzzing benchmarks of ./fuzz matching pattern, runs
// iterations each, switched on (DEVSTRESS_FUZZ_TTF=1) and with env added
// to the environment, and returns their output.
func fuzzBench(pattern string, runs int, env ...string) ([]byte, error) {
	cmd := exec.Command("go", "test", "./fuzz", "-run", "^$", "-timeout", "0", "-benchtime", fmt.Sprintf("%dx", runs), "-bench", pattern)
	cmd.Env = append(append(os.Environ(), "DEVSTRESS_FUZZ_TTF=1"), env...)
	return output(cmd)
}

// executors are the benchmarks of whole executions, each in its package:
// the standard program (3 clients x 8 operations) under random walks, the
// subject of the throughput goal, and the whole-program fuzz target on
// its seed corpus. They run on one processor, as a campaign's worker and
// a fuzz worker do.
var executors = []struct{ pkg, bench string }{
	{"./properties", standardBench},
	{"./fuzz", fuzzExecBench},
}

// goBench runs the benchmarks matching pattern in pkg, on one processor
// for the executors and on the default processors for sched.
func goBench(race bool, pkg, pattern string, count int) ([]byte, error) {
	args := []string{"test", pkg, "-run", "^$", "-bench", pattern, "-count", strconv.Itoa(count)}
	if pkg != "./sched" {
		args = append(args, "-cpu", "1")
	}
	if race {
		args = append(args, "-race")
	}
	return output(exec.Command("go", args...))
}

// runRate runs devstress run on the correct core with the default
// strategy for d and returns its executions per second.
func runRate(bin string, workers int, d time.Duration) (float64, error) {
	dir, err := os.MkdirTemp("", "benchreport-run-")
	if err != nil {
		return 0, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	out, err := output(exec.Command(bin, "run", "--json", "--seed", "1", "--time", d.String(),
		"--workers", strconv.Itoa(workers), "--out", filepath.Join(dir, "out"), "--progress", "0"))
	if err != nil {
		return 0, err
	}
	var s struct {
		Executions int
		ElapsedMS  int64
	}
	if err := json.Unmarshal(out, &s); err != nil {
		return 0, fmt.Errorf("devstress run --json: %v", err)
	}
	if s.Executions == 0 || s.ElapsedMS == 0 {
		return 0, fmt.Errorf("devstress run --workers %d ran %d executions in %d ms", workers, s.Executions, s.ElapsedMS)
	}
	return float64(s.Executions) / (float64(s.ElapsedMS) / 1000), nil
}

// output runs cmd and returns its standard output; its error carries
// the standard error.
func output(cmd *exec.Cmd) ([]byte, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s%s", strings.Join(cmd.Args, " "), err, out, stderr.Bytes())
	}
	return out, nil
}

// machine describes the processor and its count.
func machine() string {
	model := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d logical CPUs, %s/%s", model, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}
