package fuzz

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// workerTimeEnv is the fuzzing time of one run of BenchmarkFuzzWorker, a
// Go duration; 30s when unset.
const workerTimeEnv = "DEVSTRESS_FUZZ_WORKER_TIME"

// BenchmarkFuzzWorker measures the executions per second of one fuzz
// worker on the whole-program target under go test -fuzz, engine
// included (coverage bookkeeping, mutation, the worker's hand-offs with
// the coordinator), where BenchmarkFuzzProgramExec measures the
// executions alone. Each iteration is one fresh run of
// FuzzProgram on the correct core from its seed corpus, in a fresh
// directory with a fresh fuzzing cache, with one worker
// (-test.parallel=1) for DEVSTRESS_FUZZ_WORKER_TIME (default 30s), and
// the fuzzer's minimization of new-coverage inputs off
// (-test.fuzzminimizetime=0): a minimization runs the same executions but
// reports its count only when it ends, up to a minute later, so a run that
// ends during one would undercount. A run's rate is the fuzzer's last
// count of executions over its elapsed time at that count; the metric
// execs/s is the median over the runs (the upper one of an even count).
// A failure (a false alarm of the correct core) fails the benchmark. It
// runs only with DEVSTRESS_FUZZ_TTF=1; from the module's root:
//
//	DEVSTRESS_FUZZ_TTF=1 go test ./fuzz -run '^$' -timeout 0 -benchtime 3x -bench FuzzWorker
func BenchmarkFuzzWorker(b *testing.B) {
	if os.Getenv(ttfEnv) != "1" {
		b.Skipf("set %s=1 to run the fuzzing benchmarks (minutes)", ttfEnv)
	}
	limit := envDuration(b, workerTimeEnv, 30*time.Second)
	bin, err := buildFuzzBinary(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var rates []float64
	for b.Loop() {
		r, err := runFuzz(bin, Program, "", true, limit, "-test.parallel=1", "-test.fuzzminimizetime=0")
		if err != nil {
			b.Fatal(err)
		}
		if r.found {
			b.Fatalf("false alarm: FuzzProgram failed on the correct core (%s)", r)
		}
		execs, err := strconv.Atoi(r.execs)
		if err != nil || r.fuzzing <= 0 {
			b.Fatalf("the fuzzer reported no executions: %s", r)
		}
		rate := float64(execs) / r.fuzzing.Seconds()
		b.Logf("run %d: %d execs in %v: %.0f execs/s", len(rates)+1, execs, r.fuzzing, rate)
		rates = append(rates, rate)
	}
	slices.Sort(rates)
	b.ReportMetric(rates[len(rates)/2], "execs/s")
}
