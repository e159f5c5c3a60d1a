package fuzz

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The environment of the fuzzing benchmarks (BenchmarkTimeToFind,
// BenchmarkFuzzWorker).
const (
	// ttfEnv switches the fuzzing benchmarks on (they run for minutes).
	ttfEnv = "DEVSTRESS_FUZZ_TTF"
	// ttfCapEnv is the cap of one fuzzing run (-test.fuzztime), a Go
	// duration; 60s when unset.
	ttfCapEnv = "DEVSTRESS_FUZZ_TTF_CAP"
	// ttfMinimizeEnv is the runs' -test.fuzzminimizetime; go test's
	// default (60s) when unset.
	ttfMinimizeEnv = "DEVSTRESS_FUZZ_TTF_MINIMIZE"
)

// BenchmarkTimeToFind measures each target's time to its first failure on
// each bug variant it is for, from its seed corpus ("seed") and from an
// empty corpus ("empty"): sub-benchmarks Target/Bug/corpus, each
// iteration one fresh go test -fuzz run, capped at DEVSTRESS_FUZZ_TTF_CAP
// (default 60s), with DEVSTRESS_FUZZ_TTF_MINIMIZE as its
// -fuzzminimizetime when set (0 turns off the fuzzer's minimization of
// new-coverage inputs and crashers; go test's default is 60s per input).
// It runs only with DEVSTRESS_FUZZ_TTF=1. The goal bugs,
// three runs each (-benchtime 3x: the benchmark uses b.Loop, so the runs
// are exactly three), from the module's root:
//
//	DEVSTRESS_FUZZ_TTF=1 go test ./fuzz -run '^$' -timeout 0 -benchtime 3x \
//	    -bench 'TimeToFind/./^(H1|H2|H3|H10B)$/'
//
// It builds the targets' fuzzing test binary once (go test -c -fuzz=.,
// which instruments it for coverage as go test -fuzz does), then runs it
// for each run in a fresh directory with a fresh fuzzing cache, so that a
// crasher never lands in the repository's testdata and an empty run has
// no corpus at all (the bug targets add no seeds in code: a run checks
// that the fuzzer says it starts with an empty corpus). A seed run copies
// the target's seed corpus into that directory.
//
// A run finds the bug when the binary fails with the target's failure (a
// verdict's headline); its time is the wall time from the start to the
// fuzzer's report of the failing input ("fuzz: minimizing ..." or the
// seed entry that failed), not counting the crasher's minimization. A run
// that fails otherwise (a build error, a panic, a missing corpus) fails
// the benchmark. The metrics: found (the fraction of runs that found it),
// median-s (the median time over the runs that found it, the upper one of
// an even count, as devstress bugs reports; absent when none did) and
// cap-s.
func BenchmarkTimeToFind(b *testing.B) {
	if os.Getenv(ttfEnv) != "1" {
		b.Skipf("set %s=1 to measure the targets' time to find each bug (minutes)", ttfEnv)
	}
	limit := envDuration(b, ttfCapEnv, time.Minute)
	bin := sync.OnceValues(func() (string, error) { return buildFuzzBinary(b.TempDir()) })
	var flags []string
	if m := os.Getenv(ttfMinimizeEnv); m != "" {
		flags = append(flags, "-test.fuzzminimizetime="+m)
	}
	for _, tg := range append(slices.Clone(Targets), Broad) {
		corpora := []string{"seed", "empty"}
		if tg == Broad {
			corpora = corpora[1:] // it has no seed corpus
		}
		for _, bug := range tg.Bugs {
			for _, corpus := range corpora {
				b.Run(tg.Name+"/"+string(bug)+"/"+corpus, func(b *testing.B) {
					path, err := bin()
					if err != nil {
						b.Fatal(err)
					}
					var found []time.Duration
					runs := 0
					for b.Loop() {
						r, err := runFuzz(path, tg, string(bug), corpus == "seed", limit, flags...)
						if err != nil {
							b.Fatal(err)
						}
						runs++
						b.Logf("run %d: %s", runs, r)
						if r.found {
							found = append(found, r.elapsed)
						}
					}
					b.ReportMetric(float64(len(found))/float64(runs), "found")
					if len(found) > 0 {
						slices.Sort(found)
						b.ReportMetric(found[len(found)/2].Seconds(), "median-s")
					}
					b.ReportMetric(limit.Seconds(), "cap-s")
				})
			}
		}
	}
}

// envDuration returns the positive Go duration the environment variable
// name holds, or def when it is unset; anything else fails b.
func envDuration(b *testing.B, name string, def time.Duration) time.Duration {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		b.Fatalf("%s=%q is not a positive duration", name, s)
	}
	return d
}

// buildFuzzBinary builds the fuzz targets' test binary (package
// fuzz/targets) with fuzzing instrumentation into dir.
func buildFuzzBinary(dir string) (string, error) {
	path := filepath.Join(dir, "fuzz.test")
	out, err := exec.Command("go", "test", "-c", "-fuzz=.", "-o", path, "./targets").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building the fuzzing test binary: %v\n%s", err, out)
	}
	return path, nil
}

// A fuzzRun is the outcome of one fuzzing run.
type fuzzRun struct {
	found   bool
	elapsed time.Duration // to the failing input when found, else to the exit
	execs   string        // the fuzzer's last count of executions before it
	fuzzing time.Duration // the fuzzer's elapsed time at that count
}

func (r fuzzRun) String() string {
	what := "not found"
	if r.found {
		what = "found"
	}
	return fmt.Sprintf("%s in %.1fs (fuzzer's last count: %s execs)", what, r.elapsed.Seconds(), r.execs)
}

// runFuzz runs the target's fuzz function on the bug variant for at most
// limit, in a fresh directory, from the target's seed corpus or from none,
// with the test binary's flags added to its own.
func runFuzz(bin string, tg *Target, bug string, seed bool, limit time.Duration, flags ...string) (fuzzRun, error) {
	dir, err := os.MkdirTemp("", "devstress-ttf-")
	if err != nil {
		return fuzzRun{}, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	name := "Fuzz" + tg.Name
	if seed {
		if err := os.CopyFS(filepath.Join(dir, "testdata", "fuzz", name), os.DirFS(corpusDir(tg))); err != nil {
			return fuzzRun{}, err
		}
	}
	// The fuzzer stops itself at limit; the rest is for the crasher's
	// minimization (a minute at most) and the workers' exit.
	ctx, cancel := context.WithTimeout(context.Background(), limit+3*time.Minute)
	defer cancel()
	args := []string{"-test.run=^$", "-test.fuzz=^" + name + "$",
		"-test.fuzztime=" + limit.String(), "-test.fuzzcachedir=" + filepath.Join(dir, "cache")}
	args = append(args, flags...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), BugEnv+"="+bug)
	out := &watch{start: time.Now()}
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	end := time.Since(out.start)
	if ctx.Err() != nil {
		return fuzzRun{}, fmt.Errorf("%s did not stop within %v of its cap:\n%s", name, limit+3*time.Minute, out.text())
	}
	return classify(out.text(), name, seed, err != nil, end, out.failedAt)
}

// The fuzzer's output that classify reads.
var (
	// failingInput is the coordinator's report of a failing input: one
	// it found, or a seed entry that failed.
	failingInput = regexp.MustCompile(`(?m)^(fuzz: minimizing \d+-byte failing input file|failure while testing seed corpus entry: )`)
	// verdictLine is a verdict's headline (Target.Check's failure).
	verdictLine = regexp.MustCompile(`(?m)^\s+\S+\.go:\d+: \S.* at step \d+: .*\[\d+ operations, \d+ clients, trace digest \w+\]$`)
	execsLine   = regexp.MustCompile(`(?m)^fuzz: elapsed: (\S+), execs: (\d+) `)
	emptyStart  = "warning: starting with empty corpus"
	// deadlineRace is Go 1.26's failure of a run whose -fuzztime ran out
	// while a worker was in a call: "context deadline exceeded", with no
	// failing input (golang/go#75804, fixed in Go 1.27). It is the end of
	// the run, as a pass is.
	deadlineRace = regexp.MustCompile(`(?m)^--- FAIL: \S+ \([\d.]+s\)\n\s+context deadline exceeded$`)
	passed       = regexp.MustCompile(`(?m)^PASS$`)
)

// classify reads the output of a fuzzing run of the target name, which
// failed or not and ended after end; failedAt is when the output first
// reported a failing input (0: never). A run finds the bug when it failed
// with a verdict's headline; a run that ends in Go's deadline race
// (deadlineRace) without one is a run that did not; any other failure, a
// pass without the fuzzer's report, or an empty run that did not start
// empty is an error.
func classify(text, name string, seed, failed bool, end, failedAt time.Duration) (fuzzRun, error) {
	r := fuzzRun{elapsed: end, execs: "0"}
	for _, m := range execsLine.FindAllStringSubmatch(text, -1) {
		r.execs = m[2]
		r.fuzzing, _ = time.ParseDuration(m[1])
	}
	switch {
	case !seed && !strings.Contains(text, emptyStart):
		return r, fmt.Errorf("%s's empty run did not start with an empty corpus:\n%s", name, text)
	case !failed && passed.MatchString(text):
		return r, nil
	case !failed:
		return r, fmt.Errorf("%s passed without saying so:\n%s", name, text)
	case deadlineRace.MatchString(text) && !verdictLine.MatchString(text):
		return r, nil
	case !strings.Contains(text, "--- FAIL: "+name+" ") || !verdictLine.MatchString(text):
		return r, fmt.Errorf("%s failed without a verdict:\n%s", name, text)
	}
	r.found = true
	if failedAt > 0 {
		r.elapsed = failedAt
	}
	return r, nil
}

// watch collects a process's output and notes when it first reports a
// failing input. The process's stdout and stderr share it: exec.Cmd
// writes to one such writer from one goroutine at a time.
type watch struct {
	start    time.Time
	buf      bytes.Buffer
	failedAt time.Duration
}

func (w *watch) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if w.failedAt == 0 && failingInput.Match(w.buf.Bytes()) {
		w.failedAt = time.Since(w.start)
	}
	return len(p), nil
}

func (w *watch) text() string { return w.buf.String() }

// A fuzzing run finds the bug only when it fails with a verdict's
// headline, at the fuzzer's report of the failing input; a pass is a run
// that did not find it; a failure without a verdict, a pass the output
// does not show, or an empty run the fuzzer did not start empty is an
// error, not a find.
func TestTimeToFindClassifiesRuns(t *testing.T) {
	const (
		empty    = "warning: starting with empty corpus\nfuzz: elapsed: 0s, execs: 0 (0/sec), new interesting: 0 (total: 0)\nfuzz: elapsed: 3s, execs: 4200 (1400/sec), new interesting: 20 (total: 20)\n"
		minimize = "fuzz: minimizing 130-byte failing input file\n"
		verdict  = "--- FAIL: FuzzX (4.20s)\n    --- FAIL: FuzzX (0.00s)\n        target_x_test.go:9: NO-LOST-TRIGGER at step 45: a#1 waits on Pending [3 operations, 2 clients, trace digest 112cf8a209e07650]\n\n    Failing input written to testdata/fuzz/FuzzX/abc\nFAIL\n"
		panicked = "--- FAIL: FuzzX (4.20s)\n    --- FAIL: FuzzX (0.00s)\n        testing.go:1: panic: index out of range\nFAIL\n"
		seeded   = "fuzz: elapsed: 0s, gathering baseline coverage: 0/6 completed\nfailure while testing seed corpus entry: FuzzX/H3\n"
		race     = "--- FAIL: FuzzX (6.09s)\n    context deadline exceeded\nFAIL\n"
	)
	end, at := 9*time.Second, 4*time.Second
	for _, c := range []struct {
		name, text   string
		seed, failed bool
		want         fuzzRun
		err          bool
	}{
		{"found", empty + minimize + verdict, false, true, fuzzRun{found: true, elapsed: at, execs: "4200", fuzzing: 3 * time.Second}, false},
		{"found in a seed", seeded + verdict, true, true, fuzzRun{found: true, elapsed: at, execs: "0"}, false},
		{"not found", empty + "PASS\n", false, false, fuzzRun{elapsed: end, execs: "4200", fuzzing: 3 * time.Second}, false},
		{"deadline race", empty + race, false, true, fuzzRun{elapsed: end, execs: "4200", fuzzing: 3 * time.Second}, false},
		{"panic", empty + minimize + panicked, false, true, fuzzRun{}, true},
		{"another target", empty + minimize + strings.ReplaceAll(verdict, "FuzzX", "FuzzY"), false, true, fuzzRun{}, true},
		{"build error", "flag provided but not defined: -test.fuzz\n", true, true, fuzzRun{}, true},
		{"silent pass", empty, false, false, fuzzRun{}, true},
		{"empty run with a corpus", seeded + verdict, false, true, fuzzRun{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := classify(c.text, "FuzzX", c.seed, c.failed, end, at)
			if c.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, r)
		})
	}
	w := &watch{start: time.Now()}
	_, _ = w.Write([]byte(empty + "fuzz: minimizing 130-"))
	require.Zero(t, w.failedAt, "a failing input is reported by a whole line")
	_, _ = w.Write([]byte("byte failing input file\n"))
	require.Positive(t, w.failedAt)
}
