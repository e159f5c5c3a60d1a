// Command mutate measures how strong the property suites are: it plants
// faults (mutants) in the device core (./sut by default), runs the
// properties against each, and reports which mutants the properties kill.
//
// Two kinds of mutants:
//
//   - AST mutants, enumerated from the non-test .go files of the target
//     directory with go/ast operators that model concurrency and lifetime
//     bugs (delete-call: a lost unlock, put, trigger or wait; swap-stmts: an
//     ordering bug; delete-return: a missed early exit; atomic-store;
//     remove-else) and classic ones (negate-if, and-or, bool-literal,
//     eq-neq, relational). Not mutated: the files of DefaultExclude
//     (instrumentation, checks, simulated drivers), String/Error and
//     check* functions, calls that only report or format (emit, fail,
//     access, Yield, errorf, fmt.*) and the deliberate historical bugs
//     (case BugH…, if c.cfg.Bug == …). ID: file:line:col:operator.
//   - Spec mutants, hand-written from the spec (spec_mutants.txt, embedded):
//     a snippet of a file and its replacement, with the rule it breaks. A
//     snippet that no longer matches is reported "stale", never skipped
//     silently. ID: spec:<name>.
//
// Each mutant is applied with go test -overlay (the original path mapped to
// a mutated copy in a temp dir): the working tree is never written, so runs
// are safe while others edit it and mutants run in parallel (-j).
//
// The default test command is the generic property suite only:
//
//	go test -count=1 -vet=off -overlay=… -timeout=<-timeout> \
//	  -run 'TestCorrectCoreUnderControlledSchedules|TestImplementationMatchesModelSequentially|TestCorrectCoreUnderStressModes|TestCorrectCoreUnderFreeRuntime' \
//	  ./properties -rapid.checks=<-checks>
//
// The question is whether the properties (generic oracles) kill the mutant,
// not sut's directed unit tests; -sut-tests also runs ./sut's own tests and
// reports their verdict in a separate column.
//
// Run it from the module root. The full campaign (every mutant; hours on two
// cores):
//
//	go run ./internal/mutate -j 2 -checks 2000 -o mutation.tsv
//
// The sampled campaign (50 AST mutants and every spec mutant, about 30
// minutes on two busy cores), in the background with a wall-clock cap; a
// SIGTERM from timeout still prints the summary of the finished mutants:
//
//	go build -o /tmp/mutate ./internal/mutate
//	nohup timeout -s TERM 36m /tmp/mutate -sample 50 -seed 1 -checks 2000 -j 2 \
//	  -timeout 4m -o mutation-run.tsv > mutation-run.txt 2>&1 &
//
// A quick sample (a few minutes):
//
//	go run ./internal/mutate -sample 10 -seed 1 -spec=false -checks 300 -j 2
//
// Check that every spec mutant still compiles, without running tests
// (about a minute; without -only, every AST mutant too, which takes tens
// of minutes; the package's tests already fail on a stale spec snippet):
//
//	go run ./internal/mutate -build-only -only '^spec:' -j 2
//
// -rapid-seed (default 1) fixes rapid's seed so that two runs on the same
// tree explore the same programs and their results can be diffed; the free
// runtime suite stays nondeterministic, and 0 restores rapid's random seed.
//
// -checks bounds the search: a fault the generic properties find only
// rarely survives a small budget (properties/knownbugs_test.go gives H3, the
// lost trigger, a budget of 500000 checks), so a survivor at -checks 2000
// is a fault the properties do not find cheaply, not necessarily one they
// cannot see. Raise -checks, or pass DEVSTRESS_* settings with -env, for a
// deeper run.
//
// List the mutants without running anything:
//
//	go run ./internal/mutate -list [-only REGEX] [-operators delete-call,swap-stmts]
//
// Reading the result: one line per mutant as it finishes,
//
//	[12/75] probe.go:30:3:delete-call  killed  41.2s  NO-LOST-TRIGGER at step 57: …
//
// then "killed K / total T (score P%), invalid I, stale S" and the
// survivors with their descriptions. total counts killed and survived
// mutants; invalid ones (the mutant does not compile) and stale spec
// mutants are not counted. A timeout counts as killed and shows as
// "killed (timeout)". A survivor is either an equivalent mutant or a fault
// the properties cannot see: read its description and decide. -o writes
// every result as TSV, or JSON when the name ends in .json, so that runs can
// be diffed. The exit status is non-zero only on tool errors, or when
// -min-score is given and not met; survivors alone do not fail the run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultRun is the -run regexp of the default test command: the property
// suites of properties/properties_test.go that check the correct core.
const DefaultRun = "TestCorrectCoreUnderControlledSchedules|TestImplementationMatchesModelSequentially|TestCorrectCoreUnderStressModes|TestCorrectCoreUnderFreeRuntime"

type options struct {
	dir, exclude, pkgs, run, env, extra, only, operators, out, tmp string
	checks, sample, jobs, rapidSeed                                int
	seed                                                           uint64
	timeout                                                        time.Duration
	list, ast, spec, sutTests, keep, buildOnly                     bool
	minScore                                                       float64
}

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dir, "dir", "./sut", "target package `directory` whose non-test .go files are mutated")
	fs.StringVar(&o.exclude, "exclude", DefaultExclude, "comma-separated base names of files in -dir not to mutate")
	fs.StringVar(&o.pkgs, "pkg", "./properties", "test package(s), space-separated")
	fs.StringVar(&o.run, "run", DefaultRun, "go test -run `regexp`")
	fs.IntVar(&o.checks, "checks", 2000, "-rapid.checks passed to the test binary (0: none)")
	fs.IntVar(&o.rapidSeed, "rapid-seed", 1, "-rapid.seed passed to the test binary, so runs can be diffed (0: rapid's random seed)")
	fs.StringVar(&o.env, "env", "", "extra environment for the tests, comma-separated KEY=VALUE (e.g. DEVSTRESS_CHECKS=5000)")
	fs.StringVar(&o.extra, "args", "", "extra go test / test binary arguments, space-separated")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "per-mutant test timeout (a timeout counts as killed)")
	fs.IntVar(&o.jobs, "j", runtime.GOMAXPROCS(0), "mutants run in parallel")
	fs.BoolVar(&o.list, "list", false, "print the selected mutants and exit")
	fs.StringVar(&o.only, "only", "", "select mutants whose ID matches `regexp`")
	fs.IntVar(&o.sample, "sample", 0, "run a deterministic sample of N AST mutants (0: all); spec mutants are all kept")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of -sample")
	fs.StringVar(&o.operators, "operators", "", "comma-separated AST operators (default all: "+strings.Join(allOperators, ",")+")")
	fs.BoolVar(&o.ast, "ast", true, "include the AST mutants")
	fs.BoolVar(&o.spec, "spec", true, "include the spec mutants of spec_mutants.txt")
	fs.BoolVar(&o.sutTests, "sut-tests", false, "also run -dir's own tests per mutant, reported in a separate column")
	fs.StringVar(&o.out, "o", "", "write results to `file` (TSV, or JSON if it ends in .json)")
	fs.Float64Var(&o.minScore, "min-score", -1, "exit 1 if the score (percent) is below this")
	fs.StringVar(&o.tmp, "tmp", "", "directory for mutated copies (default: a new temp dir)")
	fs.BoolVar(&o.keep, "keep", false, "keep the mutated copies")
	fs.BoolVar(&o.buildOnly, "build-only", false, "only compile each mutant (go build -overlay): finds invalid and stale mutants fast")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := run(o, stdout); err != nil {
		if errors.Is(err, errLowScore) {
			fmt.Fprintln(stderr, "mutate:", err)
			return 1
		}
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	return 0
}

var errLowScore = errors.New("score below -min-score")

// Select enumerates and filters the mutants as the options say.
func Select(o options) ([]Mutant, error) {
	var ops []string
	if o.operators != "" {
		known := map[string]bool{}
		for _, k := range allOperators {
			known[k] = true
		}
		for _, op := range strings.Split(o.operators, ",") {
			op = strings.TrimSpace(op)
			if !known[op] {
				return nil, fmt.Errorf("unknown operator %q (have %s)", op, strings.Join(allOperators, ","))
			}
			ops = append(ops, op)
		}
	}
	var only *regexp.Regexp
	if o.only != "" {
		var err error
		if only, err = regexp.Compile(o.only); err != nil {
			return nil, err
		}
	}
	keep := func(ms []Mutant) []Mutant {
		var out []Mutant
		for _, m := range ms {
			if only == nil || only.MatchString(m.ID) {
				out = append(out, m)
			}
		}
		return out
	}
	var sel []Mutant
	if o.ast {
		ms, err := EnumerateDir(o.dir, strings.Split(o.exclude, ","), ops)
		if err != nil {
			return nil, err
		}
		ms = keep(ms)
		if o.sample > 0 && o.sample < len(ms) {
			ms = Sample(ms, o.sample, o.seed)
		}
		sel = append(sel, ms...)
	}
	if o.spec {
		sms, err := ParseSpecMutants(specMutantsText)
		if err != nil {
			return nil, err
		}
		var ms []Mutant
		for _, s := range sms {
			ms = append(ms, s.Resolve(o.dir))
		}
		sel = append(sel, keep(ms)...)
	}
	return sel, nil
}

// Sample picks n of ms deterministically from seed, keeping their order.
func Sample(ms []Mutant, n int, seed uint64) []Mutant {
	r := rand.New(rand.NewPCG(seed, 0x6d75746174650a))
	idx := r.Perm(len(ms))[:n]
	sort.Ints(idx)
	out := make([]Mutant, n)
	for i, k := range idx {
		out[i] = ms[k]
	}
	return out
}

// modRoot is the directory holding go.mod at or above the working
// directory.
func modRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", errors.New("no go.mod at or above the working directory")
		}
		d = up
	}
}

func run(o options, w io.Writer) error {
	ms, err := Select(o)
	if err != nil {
		return err
	}
	if o.list {
		list(ms, w)
		return nil
	}
	root, err := modRoot()
	if err != nil {
		return err
	}
	tmp := o.tmp
	if tmp == "" {
		if tmp, err = os.MkdirTemp("", "devstress-mutate-"); err != nil {
			return err
		}
		if !o.keep {
			defer func() {
				if err := os.RemoveAll(tmp); err != nil {
					fmt.Fprintf(w, "mutate: the mutated copies stay: %v\n", err)
				}
			}()
		}
	}
	r := newRunner(o, root, tmp)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(w, "mutate: %d mutants, -j %d, test: go test -run '%s' %s -rapid.checks=%d %s, timeout %v\n",
		len(ms), o.jobs, o.run, o.pkgs, o.checks, strings.Join(r.Extra, " "), o.timeout)
	results := RunAll(ctx, r, ms, max(o.jobs, 1), w)
	// Interrupted (SIGINT, SIGTERM as from timeout(1)): the summary and
	// the results file cover the mutants that finished.
	for i := range results {
		if results[i].Status == "" {
			m := ms[i]
			results[i] = Result{ID: m.ID, Kind: m.Kind, Op: m.Op, Status: StNotRun, Desc: m.Desc, Rule: m.Rule}
		}
	}
	k, t, score := Summarize(results, w)
	if o.out != "" {
		if err := WriteResults(o.out, results); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errors.New("interrupted: the numbers above cover the mutants that finished")
	}
	for _, res := range results {
		if res.Status == StError {
			return fmt.Errorf("%s: %s", res.ID, res.Detail)
		}
	}
	if o.minScore >= 0 && score < o.minScore {
		return fmt.Errorf("%w: %.1f%% (%d/%d) < %.1f%%", errLowScore, score, k, t, o.minScore)
	}
	return nil
}

// list prints one line per mutant (id, description, rule, staleness) and
// the count: the -list output.
func list(ms []Mutant, w io.Writer) {
	for _, m := range ms {
		line := fmt.Sprintf("%s\t%s", m.ID, m.Desc)
		if m.Rule != "" && m.Rule != m.Desc {
			line += "\t[" + m.Rule + "]"
		}
		if m.Stale != "" {
			line += "\tSTALE: " + m.Stale
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "%d mutants\n", len(ms))
}

// newRunner is the Runner the options describe, over the module at root,
// with the mutated copies under tmp.
func newRunner(o options, root, tmp string) *Runner {
	r := &Runner{ModRoot: root, Pkgs: strings.Fields(o.pkgs), Run: o.run, Checks: o.checks,
		Extra: strings.Fields(o.extra), Timeout: o.timeout, TmpRoot: tmp, KeepTmp: o.keep,
		BuildOnly: o.buildOnly}
	if o.rapidSeed != 0 {
		r.Extra = append([]string{fmt.Sprintf("-rapid.seed=%d", o.rapidSeed)}, r.Extra...)
	}
	for _, kv := range strings.Split(o.env, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			r.Env = append(r.Env, kv)
		}
	}
	if o.sutTests {
		r.SutPkg = o.dir
	}
	return r
}

// RunAll runs the mutants on jobs workers, printing a progress line as each
// finishes; results keep the input order.
func RunAll(ctx context.Context, r *Runner, ms []Mutant, jobs int, w io.Writer) []Result {
	results := make([]Result, len(ms))
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := r.Test(ctx, ms[i])
				mu.Lock()
				results[i] = res
				done++
				fmt.Fprintln(w, progressLine(done, len(ms), res))
				mu.Unlock()
			}
		}()
	}
	for i := range ms {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func progressLine(i, n int, res Result) string {
	s := fmt.Sprintf("[%d/%d] %s  %s  %.1fs", i, n, res.ID, res.Status, res.Seconds)
	if res.Invariant != "" {
		s += "  " + res.Invariant
	}
	if res.SutTests != "" {
		s += "  (sut tests: " + res.SutTests + ")"
	}
	if res.Detail != "" && res.Status != StKilled {
		s += "  " + shorten(res.Detail, 200)
	}
	return s
}

// Summarize prints the summary and the survivors and returns killed, total
// and the score in percent.
func Summarize(results []Result, w io.Writer) (int, int, float64) {
	n := map[string]int{}
	for _, r := range results {
		n[r.Status]++
	}
	killed := n[StKilled] + n[StTimeout]
	total := killed + n[StSurvived]
	score := 0.0
	if total > 0 {
		score = 100 * float64(killed) / float64(total)
	}
	fmt.Fprintf(w, "\nkilled %d / total %d (score %.1f%%), invalid %d, stale %d", killed, total, score, n[StInvalid], n[StStale])
	if n[StBuilds] > 0 {
		fmt.Fprintf(w, ", %d build (-build-only)", n[StBuilds])
	}
	if n[StTimeout] > 0 {
		fmt.Fprintf(w, ", %d of the kills by timeout", n[StTimeout])
	}
	if n[StError] > 0 {
		fmt.Fprintf(w, ", %d tool errors", n[StError])
	}
	if n[StNotRun] > 0 {
		fmt.Fprintf(w, ", %d not run (interrupted)", n[StNotRun])
	}
	fmt.Fprintln(w)
	for _, kind := range []string{"ast", "spec"} {
		var k, t int
		for _, r := range results {
			if r.Kind != kind {
				continue
			}
			switch r.Status {
			case StKilled, StTimeout:
				k++
				t++
			case StSurvived:
				t++
			}
		}
		if t > 0 {
			fmt.Fprintf(w, "  %s mutants: killed %d / %d\n", kind, k, t)
		}
	}
	var surv, stale []Result
	for _, r := range results {
		switch r.Status {
		case StSurvived:
			surv = append(surv, r)
		case StStale:
			stale = append(stale, r)
		}
	}
	if len(surv) > 0 {
		fmt.Fprintf(w, "\nsurvivors (%d):\n", len(surv))
		for _, r := range surv {
			line := fmt.Sprintf("  %s  %s", r.ID, r.Desc)
			if r.Rule != "" && r.Rule != r.Desc {
				line += "  [" + r.Rule + "]"
			}
			if r.SutTests != "" {
				line += "  (sut tests: " + r.SutTests + ")"
			}
			fmt.Fprintln(w, line)
		}
	}
	if len(stale) > 0 {
		fmt.Fprintf(w, "\nstale spec mutants (%d):\n", len(stale))
		for _, r := range stale {
			fmt.Fprintf(w, "  %s  %s\n", r.ID, r.Detail)
		}
	}
	return killed, total, score
}

// WriteResults writes results as JSON (name ending in .json) or TSV.
func WriteResults(name string, results []Result) error {
	var b strings.Builder
	if strings.HasSuffix(name, ".json") {
		data, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		b.Write(data)
		b.WriteByte('\n')
	} else {
		clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
		b.WriteString("id\tkind\top\tstatus\tseconds\tinvariant\tsut_tests\tdesc\trule\tdetail\n")
		for _, r := range results {
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Op, r.Status, r.Seconds,
				clean(r.Invariant), r.SutTests, clean(r.Desc), clean(r.Rule), clean(r.Detail))
		}
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}
