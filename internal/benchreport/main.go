// Command benchreport generates BENCHMARKS.md and its chart
// (docs/benchmarks.svg) from runs it makes on this machine, so that no
// number in them is typed by hand. Run it from the module's root:
//
//	go run ./internal/benchreport
//
// It builds devstress with and without -race, then runs, in order:
//
//   - the scoreboard (devstress bugs --json) of every known bug variant
//     for the default search and the stress baseline (-seeds seeds,
//     -execs executions a hunt), and for each other strategy: the random
//     walk, the broad programs, the rapid choice source, PCT at depths 1
//     to 3 and bounded exhaustive search (-other-seeds seeds, -other-execs
//     executions a hunt);
//   - the fuzz targets' time to find (BenchmarkTimeToFind in ./fuzz):
//     -fuzz-runs runs per bug of each -fuzz target from each of
//     -fuzz-corpora (its seed corpus, an empty one), capped at -fuzz-cap;
//   - a fuzz worker's executions per second under go test -fuzz
//     (BenchmarkFuzzWorker in ./fuzz): -fuzz-worker-runs runs of
//     FuzzProgram of -fuzz-worker-time each;
//   - the throughput benchmarks: a controlled step against a raw hand-off
//     (./sched), whole executions on one processor with and without
//     -race (the standard program in ./properties, the whole-program fuzz
//     target in ./fuzz), and devstress run with 1 and 2 workers with and
//     without -race;
//
// and writes the report with the machine, the Go version, the date and
// this command's exact flags. Progress goes to the standard error. The
// defaults take about half an hour on two cores; -quick (2 seeds, small
// budgets, short runs) checks the pipeline in a few minutes and its
// numbers mean little.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// run parses the flags, makes the runs and writes the report.
func run(args []string) error {
	o := defaults()
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", ".", "directory of BENCHMARKS.md (the module's root)")
	fs.IntVar(&o.seeds, "seeds", o.seeds, "seeds of the default search and the baseline")
	fs.IntVar(&o.execs, "execs", o.execs, "execution budget of a hunt of the default search and the baseline")
	fs.IntVar(&o.otherSeeds, "other-seeds", o.otherSeeds, "seeds of every other strategy")
	fs.IntVar(&o.otherExecs, "other-execs", o.otherExecs, "execution budget of a hunt of every other strategy")
	fs.IntVar(&o.workers, "workers", o.workers, "workers of each hunt")
	fs.StringVar(&o.fuzz, "fuzz", o.fuzz, "comma-separated fuzz targets to time (none: skip)")
	fs.StringVar(&o.fuzzCorpora, "fuzz-corpora", o.fuzzCorpora, "comma-separated corpora the fuzz targets start from: seed, empty")
	fs.IntVar(&o.fuzzRuns, "fuzz-runs", o.fuzzRuns, "fuzzing runs per target, bug and corpus")
	fs.DurationVar(&o.fuzzCap, "fuzz-cap", o.fuzzCap, "cap of one fuzzing run")
	fs.IntVar(&o.fuzzWorkerRuns, "fuzz-worker-runs", o.fuzzWorkerRuns, "runs of the fuzz worker's rate (0: skip)")
	fs.DurationVar(&o.fuzzWorkerTime, "fuzz-worker-time", o.fuzzWorkerTime, "fuzzing time of one run of the fuzz worker's rate")
	fs.DurationVar(&o.runTime, "run-time", o.runTime, "length of each devstress run throughput measurement")
	fs.IntVar(&o.count, "count", o.count, "go test -count of the throughput benchmarks")
	quick := fs.Bool("quick", false, "a smoke of the pipeline: 2 seeds, small budgets, short runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *quick {
		o.quick()
	}
	if err := o.validate(); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(o.out, "go.mod")); err != nil {
		return fmt.Errorf("-out %s is not the module's root (no go.mod): run from the root or point -out at it", o.out)
	}
	rep, err := measure(o, &logger{start: time.Now()})
	if err != nil {
		return err
	}
	rep.Command = "go run ./internal/benchreport " + strings.Join(args, " ")
	return rep.write(o.out)
}

// options are the command's flags.
type options struct {
	out                    string
	seeds, execs           int
	otherSeeds, otherExecs int
	workers                int
	fuzz, fuzzCorpora      string
	fuzzRuns               int
	fuzzCap                time.Duration
	fuzzWorkerRuns         int
	fuzzWorkerTime         time.Duration
	runTime                time.Duration
	count                  int
}

func defaults() options {
	return options{seeds: 20, execs: 20000, otherSeeds: 5, otherExecs: 5000, workers: 2,
		fuzz: "Program,Registration,Deferral,Unload,Devres,Broad", fuzzCorpora: "seed,empty", fuzzRuns: 1,
		fuzzCap: 30 * time.Second, fuzzWorkerRuns: 3, fuzzWorkerTime: 30 * time.Second, runTime: 10 * time.Second, count: 5}
}

// quick shrinks every budget for a smoke of the pipeline.
func (o *options) quick() {
	o.seeds, o.execs, o.otherSeeds, o.otherExecs = 2, 2000, 2, 300
	o.fuzz = "Broad"
	o.fuzzCap, o.runTime, o.count = 5*time.Second, 2*time.Second, 1
	o.fuzzWorkerRuns, o.fuzzWorkerTime = 1, 5*time.Second
}

func (o options) validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		n    int
	}{{"seeds", o.seeds}, {"execs", o.execs}, {"other-seeds", o.otherSeeds}, {"other-execs", o.otherExecs},
		{"workers", o.workers}, {"count", o.count}, {"fuzz-runs", o.fuzzRuns}} {
		if f.n < 1 {
			errs = append(errs, fmt.Errorf("-%s %d: want a positive integer", f.name, f.n))
		}
	}
	for c := range strings.SplitSeq(o.fuzzCorpora, ",") {
		if c != "seed" && c != "empty" {
			errs = append(errs, fmt.Errorf("-fuzz-corpora %q: want seed, empty or both, comma-separated", o.fuzzCorpora))
			break
		}
	}
	if o.fuzzWorkerRuns < 0 {
		errs = append(errs, fmt.Errorf("-fuzz-worker-runs %d: want 0 (skip) or more", o.fuzzWorkerRuns))
	}
	if o.fuzzCap <= 0 || o.runTime <= 0 || o.fuzzWorkerTime <= 0 {
		errs = append(errs, errors.New("-fuzz-cap, -fuzz-worker-time and -run-time: want positive durations"))
	}
	return errors.Join(errs...)
}

// logger writes progress lines to the standard error, each with the time
// since the start.
type logger struct{ start time.Time }

func (l *logger) printf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6s] %s\n", time.Since(l.start).Round(time.Second), fmt.Sprintf(format, args...))
}
