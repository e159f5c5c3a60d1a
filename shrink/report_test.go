package shrink_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/shrink"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files of the report tests instead of
// comparing with them: go test ./shrink -run TestReportGolden -update.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/report")

// goldenDir holds a golden report per kept counterexample (the files of
// counterexamples, export_test.go).
const goldenDir = "testdata/report"

// replayLine is the command that replays the kept counterexample name
// (H2.txt), written as Keep writes it.
func replayLine(name string) string {
	return "go test ./properties -run '^TestCounterexampleFiles$/^" + regexp.QuoteMeta(name) + "$'"
}

// report reads the kept counterexample name and returns its replay's
// report.
func report(t *testing.T, name string) string {
	t.Helper()
	f, err := shrink.ReadFile(filepath.Join(counterexamples, name))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, shrink.Report(&b, f, shrink.Replay(f), replayLine(name)))
	return b.String()
}

// goldenPath is the golden file of the kept counterexample name.
func goldenPath(name string) string {
	return filepath.Join(goldenDir, strings.TrimSuffix(name, ".txt")+".golden")
}

// The report of every kept counterexample is its golden file, and fits in
// 100 columns.
func TestReportGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(counterexamples, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no counterexample in %s", counterexamples)
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			got := report(t, name)
			golden := goldenPath(name)
			if *update {
				require.NoError(t, os.MkdirAll(goldenDir, 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			if errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%s is missing: write it with go test ./shrink -run TestReportGolden -update, and review it", golden)
			}
			require.NoError(t, err)
			require.Equal(t, string(want), got, "the report of %s differs from %s (rewrite it with -update if the change is intended)", name, golden)
			for i, l := range strings.Split(got, "\n") {
				require.LessOrEqual(t, len(l), 100, "%s line %d is wider than 100 columns: %q", golden, i+1, l)
			}
		})
	}
}

// The report is in the order the doc comment gives, and says what the
// reader needs: the meaning, the replay line, the violation in a lane.
func TestReportSections(t *testing.T) {
	got := report(t, "H2.txt")
	var at []int
	for _, heading := range []string{"NO-UAF at step 90: T6 reads the parent of device a#1", "\n  NO-UAF (§15, S): after the release",
		"\nprogram:\n  bug H2\n  driver A Default\n", "\nresults:\n  client 1: ok, ok, a#1, ok\n",
		"\ninterleaving (90 steps, 1 preemption, digest 06e0e7a734dcfe6a):\n",
		"\nreference counts at step 90:\n", "  a#1: refcount 0, released at step 61, freed at step 62\n",
		"\nreplay:\n  " + replayLine("H2.txt") + "\n"} {
		i := strings.Index(got, heading)
		require.GreaterOrEqual(t, i, 0, "the report lacks %q:\n%s", heading, got)
		at = append(at, i)
	}
	require.IsIncreasing(t, at, "the report's parts are out of order:\n%s", got)
	require.NotContains(t, got, "&{", "a struct dump in the report")
	require.NotContains(t, got, "%!", "a formatting error in the report")
}

// The lanes are the tasks that did something: the idle clients and a
// worker that only drained an empty list have none, and the report says
// so.
func TestReportLanesOnlyForTasksThatDidSomething(t *testing.T) {
	got := report(t, "H2.txt")
	header := got[strings.Index(got, "\nstep ")+1:]
	header, _, _ = strings.Cut(header, "\n")
	require.Equal(t, "step T1 client1              T4 teardown             T6 register a#1", header)
	require.Contains(t, got, "(3 tasks with nothing notable left out: T2 client2, T3 client3, T5 deferred-worker)\n")
	require.Contains(t, got, "\n  50                         run (preempts)\n", "the preemption is not in the teardown's lane")
	require.Contains(t, got, "\n  90                                                 FAIL NO-UAF\n", "the failure is not in the job's lane")
	require.NotContains(t, got, "decide F-ADD-KOBJ=0", "a decision without a fault is shown")
	require.NotContains(t, got, "lock bus", "a lock held within one step is shown")
}

// A driver of the program that no operation names and that never probes
// or binds is left out of the report's program; the others stay.
func TestReportShowsOnlyTheDriversThatTookPart(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H2.txt"))
	require.NoError(t, err)
	idle := f.Program.Drivers[0]
	idle.Name = "IDLE"
	f.Program.Drivers = append(f.Program.Drivers, idle)
	var b bytes.Buffer
	require.NoError(t, shrink.Report(&b, f, shrink.Replay(f)))
	require.NotContains(t, b.String(), "IDLE")
	require.Contains(t, b.String(), "\n  driver A Default\n")
	require.NotContains(t, b.String(), "replay:", "a replay heading without a replay line")
}

// A run that passes reports so, without a meaning or a violation.
func TestReportOfAPass(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H3.txt"))
	require.NoError(t, err)
	f.Options.Bug = ""
	v := shrink.Replay(f)
	require.Nil(t, v.Failure)
	var b bytes.Buffer
	require.NoError(t, shrink.Report(&b, f, v))
	got := b.String()
	require.True(t, strings.HasPrefix(got, "pass: every check held\n\nprogram:\n"), got)
	require.NotContains(t, got, "violated")
	require.NotContains(t, got, "FAIL")
	require.Contains(t, got, "\nreference counts at the end:\n")
}

// A violation found after the run stopped (at quiescence) has a line of
// its own at its step.
func TestReportMarksAViolationFoundAtQuiescence(t *testing.T) {
	got := report(t, "H3.txt")
	require.Contains(t, got, "\n  45 ** NO-LOST-TRIGGER violated, found by a check after the run stopped\n")
}

// Report says why it cannot render a file the format cannot express.
func TestReportRefusesAnUnwritableFile(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H2.txt"))
	require.NoError(t, err)
	v := shrink.Replay(f)
	f.Program.Faults = append(f.Program.Faults, sched.Fault{Point: "two words", Nth: 1, Value: 1})
	var b bytes.Buffer
	require.ErrorContains(t, shrink.Report(&b, f, v), `fault point "two words" is not one word`)
	require.Empty(t, b.String())
}

// The README's example of a report (the fenced block of its section
// "Reading a failure") is the report of H2, so it cannot drift from the
// code.
func TestReadmeShowsTheReport(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Reading a failure\n")
	require.True(t, ok, "README.md has no section \"## Reading a failure\"")
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "\n```\n")
	require.True(t, ok, "the README's section \"Reading a failure\" has no fenced block")
	block, _, ok = strings.Cut(block, "\n```\n")
	require.True(t, ok, "the README's fenced block in \"Reading a failure\" is not closed")
	want, err := os.ReadFile(goldenPath("H2.txt"))
	require.NoError(t, err)
	require.Equal(t, string(want), block+"\n", "README.md's example report differs from %s: paste the golden file into the README", goldenPath("H2.txt"))
}

// A failure without a step (found after the run ended, here a leaked
// goroutine after a run that passed every other check) keeps the whole
// interleaving and is placed at its end.
func TestReportOfAFailureWithoutAStep(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H3.txt"))
	require.NoError(t, err)
	f.Options.Bug = ""
	v := shrink.Replay(f)
	require.Nil(t, v.Failure)
	v.Failure = &properties.Failure{Invariant: "LEAKED-GOROUTINE", Msg: "1 goroutines outlive the run"}
	var b bytes.Buffer
	require.NoError(t, shrink.Report(&b, f, v))
	got := b.String()
	require.Contains(t, got, "\n end ** LEAKED-GOROUTINE violated, found by a check after the run stopped\n")
	require.NotContains(t, got, "after the violation's step left out")
	require.Contains(t, got, "\nreference counts at the end:\n")
	require.Contains(t, pageOf(t, f, v), `<tr id="violation" class="violation"><td class="step">end</td>`)
}

// A file of the sequential executor reports its executor line, and its
// page renders.
func TestReportOfASequentialFile(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H6.txt"))
	require.NoError(t, err)
	f.Sequential, f.Digest = true, ""
	v := shrink.Replay(f)
	var b bytes.Buffer
	require.NoError(t, shrink.Report(&b, f, v))
	require.Contains(t, b.String(), "\nprogram:\n  bug H6\n  executor sequential\n")
	require.Contains(t, pageOf(t, f, v), "<dd>bug H6\nexecutor sequential</dd>")
}
