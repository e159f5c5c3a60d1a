package shrink_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

const counterexamples = "../properties/testdata/counterexamples"

// readCounterexamples reads the known bugs' counterexample files, by bug
// name (the file's base name).
func readCounterexamples(t *testing.T) map[string]shrink.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(counterexamples, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no counterexample files under %s", counterexamples)
	files := map[string]shrink.File{}
	for _, path := range paths {
		f, err := shrink.ReadFile(path)
		require.NoError(t, err)
		files[strings.TrimSuffix(filepath.Base(path), ".txt")] = f
	}
	return files
}

func export(t *testing.T, f shrink.File, opts ...shrink.ExportOption) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, shrink.Export(&b, f, opts...))
	return b.Bytes()
}

// Every counterexample file exports to gofmt-formatted Go that parses:
// the default package, imports only of testing and devstress, and one test
// function whose doc comment shows the file and its expected verdict.
func TestExportParses(t *testing.T) {
	for name, f := range readCounterexamples(t) {
		t.Run(name, func(t *testing.T) {
			src := export(t, f)
			formatted, err := format.Source(src)
			require.NoError(t, err)
			require.Equal(t, string(formatted), string(src), "the export is not gofmt-formatted")

			file, err := parser.ParseFile(token.NewFileSet(), "x_test.go", src, parser.ParseComments)
			require.NoError(t, err, "%s", src)
			require.Equal(t, shrink.DefaultExportPackage, file.Name.Name)
			for _, imp := range file.Imports {
				require.Contains(t, []string{`"testing"`, `"github.com/devstress/devstress/properties"`,
					`"github.com/devstress/devstress/sched"`, `"github.com/devstress/devstress/shrink"`,
					`"github.com/devstress/devstress/sut"`}, imp.Path.Value)
			}
			require.Len(t, file.Decls, 2, "the imports and the test")
			fn, ok := file.Decls[1].(*ast.FuncDecl)
			require.True(t, ok, "the second declaration is the test function")
			require.Equal(t, shrink.DefaultExportTest, fn.Name.Name)

			doc := fn.Doc.Text()
			for _, l := range strings.Split(strings.TrimSuffix(f.String(), "\n"), "\n") {
				require.Contains(t, doc, "\t"+l+"\n")
			}
			require.Contains(t, doc, "failed with "+f.Expect.String()+".")
			require.Contains(t, doc, "sut.Bug"+string(f.Options.Bug))
		})
	}
}

// Exporting the same file twice gives the same bytes (drivers' tables are
// maps, whose order varies from one iteration to the next).
func TestExportIsDeterministic(t *testing.T) {
	files := readCounterexamples(t)
	files["every identifier"] = everyIdentifier()
	for name, f := range files {
		first := export(t, f)
		for range 10 {
			require.Equal(t, string(first), string(export(t, f)), name)
		}
	}
}

// The options name the package and the test; an invalid name is refused.
func TestExportOptions(t *testing.T) {
	f := readCounterexamples(t)["H2"]
	src := string(export(t, f, shrink.ExportPackage("devices_test"), shrink.ExportTestName("TestH2_registrationJob")))
	require.Contains(t, src, "package devices_test\n")
	require.Contains(t, src, "\nfunc TestH2_registrationJob(t *testing.T) {\n")
	require.Contains(t, src, "// TestH2_registrationJob replays")

	for _, opt := range []shrink.ExportOption{
		shrink.ExportPackage(""), shrink.ExportPackage("_"), shrink.ExportPackage("my-pkg"),
		shrink.ExportPackage("func"), shrink.ExportTestName("Counterexample"),
		shrink.ExportTestName("Testing"), shrink.ExportTestName("Test H2"), shrink.ExportTestName(""),
	} {
		var b bytes.Buffer
		require.Error(t, shrink.Export(&b, f, opt))
		require.Zero(t, b.Len(), "Export wrote on an error")
	}
	for _, name := range []string{"Test", "TestX", "Test_x", "Test2", "TestÉté"} {
		var b bytes.Buffer
		require.NoError(t, shrink.Export(&b, f, shrink.ExportTestName(name)), name)
	}
}

// Each stress mode sets its own Options field in the export.
func TestExportStressModes(t *testing.T) {
	f := readCounterexamples(t)["H2"]
	for _, m := range properties.StressModes {
		g := f
		g.Options = properties.Options{Bug: f.Options.Bug}
		*m.Field(&g.Options) = true
		src := string(export(t, g))
		require.Contains(t, src, "\tStress: sut.Stress{\n\t\t\t"+m.Ident+": true,\n\t\t},\n", m.Name)
		require.Equal(t, 1, strings.Count(src, ": true,"), m.Name)
	}
}

// Export refuses, writing nothing, a file Write refuses and a bug variant
// this devstress does not know.
func TestExportRefuses(t *testing.T) {
	f := readCounterexamples(t)["H3"]
	unknown := f
	unknown.Options.Bug = "H99"
	badName := f
	badName.Program.Drivers = slices.Clone(f.Program.Drivers)
	badName.Program.Drivers[0].Name = "A B"
	for _, bad := range []shrink.File{unknown, badName} {
		var b bytes.Buffer
		require.Error(t, shrink.Export(&b, bad))
		require.Zero(t, b.Len(), "Export wrote on an error")
	}
}

// everyIdentifier is a file whose export names every constant Export can
// print: each probe type, match result, probe outcome, probe action and
// operation kind, every stress mode, modules, faults, remove scripts and
// switches at the start and to a task's second instance. It is compiled,
// not run.
func everyIdentifier() shrink.File {
	p := properties.Program{MaxPending: 2}
	for pt := properties.ProbeDefault; pt <= properties.ForceSync; pt++ {
		p.Drivers = append(p.Drivers, properties.Driver{Name: fmt.Sprintf("D%d", pt), ProbeType: pt,
			Match: map[string]properties.MatchResult{}, Probe: map[string]properties.ProbeScript{}, Remove: map[string]properties.RemoveScript{}})
	}
	d := p.Drivers[0]
	d.Module = "M"
	for m := properties.MatchNo; m <= properties.MatchError; m++ {
		d.Match[fmt.Sprintf("m%d", m)] = m
	}
	var actions []properties.Action
	for k := properties.ActDevres; k <= properties.ActWaitGate; k++ {
		a := properties.Action{Kind: k}
		if k != properties.ActDevres && k != properties.ActDevresSelf {
			a.Name = "b"
		}
		actions = append(actions, a)
	}
	for o := properties.ProbeOK; o <= properties.ProbeNoMem; o++ {
		pr := properties.ProbeScript{Result: o, Actions: actions}
		if o == properties.ProbeDefer {
			pr.Until = "b"
		}
		d.Probe[fmt.Sprintf("p%d", o)] = pr
	}
	d.Remove["a"] = properties.RemoveScript{Gate: "g1", UseDevres: true}
	d.Remove["b"] = properties.RemoveScript{}
	p.Drivers[0] = d
	p.Modules = []properties.Module{{Name: "M", Drivers: []string{"D0"}, AsyncProbe: true}}
	p.Faults = []sched.Fault{{Point: properties.FaultPoints[0], Nth: 2, Value: 1}}
	var ops []properties.Op
	for k := properties.OpNewDevice; k <= properties.OpOpenGate; k++ {
		ops = append(ops, properties.Op{Kind: k, Dev: 1, Parent: 0, Ref: 0, Name: "g1", Driver: "D1", Module: "M"})
	}
	p.Clients = [][]properties.Op{ops, nil}
	opt := properties.Options{Bug: sut.BugH5, MaxSteps: 500}
	for _, m := range properties.StressModes {
		*m.Field(&opt) = true
	}
	return shrink.File{
		Options: opt,
		Program: p,
		Schedule: shrink.Schedule{
			{At: shrink.Key{Point: "start", Seen: 1}, To: shrink.TaskRef{Name: "client2", Nth: 1}},
			{At: shrink.Key{Task: shrink.TaskRef{Name: "client1", Nth: 1}, Point: "lock dev:a", Seen: 2},
				To: shrink.TaskRef{Name: "deferred-worker", Nth: 2}},
		},
		Expect: shrink.Expect{Invariant: "NO-UAF", Step: 7},
		Digest: "0123456789abcdef",
	}
}

// The real proof: the exports compile in a package of this module, and
// go test runs them. Each known bug's export, and one of a sequential
// run, fails with its file's invariant, step and trace digest, taking
// every switch of its schedule; the same export on the correct core
// passes. One go test invocation
// compiles them all, with a file naming every identifier Export prints.
func TestExportedTestsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling and running the exported tests takes one go test subprocess (tens of seconds)")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "go test puts GOROOT/bin on PATH")

	// A package inside the module, so that it imports devstress without a
	// replace directive; under testdata, so that ./... never sees it.
	require.NoError(t, os.MkdirAll("testdata/export", 0o755))
	dir, err := os.MkdirTemp("testdata/export", "run-")
	require.NoError(t, err)
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("the exported tests stay in the source tree: %v", err)
		}
		// Only when no other run uses it: then it is not empty, and stays.
		if err := os.Remove("testdata/export"); err != nil {
			t.Logf("testdata/export stays: %v", err)
		}
	})
	write := func(name string, src []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+"_test.go"), src, 0o644))
	}
	files := readCounterexamples(t)
	// H6's program also fails under the sequential executor (no schedule).
	v := properties.ExecuteSequential(files["H6"].Program, files["H6"].Options)
	require.NotNil(t, v.Failure)
	files["H6sequential"], err = shrink.FromVerdict(v, v.Options)
	require.NoError(t, err)
	require.True(t, files["H6sequential"].Sequential)
	for name, f := range files {
		require.NotEqual(t, sut.BugNone, f.Options.Bug, name)
		write(name+"_bug", export(t, f, shrink.ExportTestName("Test"+name+"WithBug")))
		fixed := f
		fixed.Options.Bug = sut.BugNone
		write(name+"_fixed", export(t, fixed, shrink.ExportTestName("Test"+name+"OnCorrectCore")))
	}
	write("every_identifier", export(t, everyIdentifier(), shrink.ExportTestName("TestEveryIdentifier")))

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "test", "-count=1", "-json", "-run", "(WithBug|OnCorrectCore)$", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, ctx.Err(), "go test timed out")
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("go test: %v", err)
	}
	results, output := testEvents(t, out)
	if len(results) == 0 {
		t.Fatalf("go test ran no test:\n%s", output[""])
	}
	for name, f := range files {
		bug, fixed := "Test"+name+"WithBug", "Test"+name+"OnCorrectCore"
		require.Equal(t, "fail", results[bug], "%s:\n%s", bug, output[bug])
		require.Contains(t, output[bug], f.Expect.String())
		require.Contains(t, output[bug], "digest "+f.Digest)
		require.NotContains(t, output[bug], "switch never taken")
		require.Equal(t, "pass", results[fixed], "%s:\n%s", fixed, output[fixed])
	}
	require.Len(t, results, 2*len(files), "tests run: %v", slices.Sorted(maps.Keys(results)))
}

// testEvents reads go test -json output: each test's final action (pass,
// fail, skip) and its output, by test name; output[""] is all of it.
func testEvents(t *testing.T, out []byte) (results, output map[string]string) {
	t.Helper()
	results, output = map[string]string{}, map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct{ Action, Test, Output string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev), "go test -json line %q", sc.Text())
		output[""] += ev.Output
		if ev.Test == "" {
			continue
		}
		output[ev.Test] += ev.Output
		if ev.Action == "pass" || ev.Action == "fail" || ev.Action == "skip" {
			results[ev.Test] = ev.Action
		}
	}
	require.NoError(t, sc.Err())
	return results, output
}
