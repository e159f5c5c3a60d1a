package fuzz

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// fakeTB records the failure of Variant.
type fakeTB struct{ failed string }

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
}

// DEVSTRESS_FUZZ_BUG selects a known variant, none when unset, and fails
// the target when it names no variant.
func TestVariantFromEnv(t *testing.T) {
	for _, c := range []struct {
		env  string
		want sut.Bug
		fail bool
	}{{"", sut.BugNone, false}, {"H3", sut.BugH3, false}, {"H10B", sut.BugH10B, false}, {"h3", "", true}, {"H11", "", true}} {
		t.Setenv(BugEnv, c.env)
		var tb fakeTB
		got := Variant(&tb)
		require.Equal(t, c.want, got, "%s=%q", BugEnv, c.env)
		if c.fail {
			require.Contains(t, tb.failed, c.env, "%s=%q must fail the target", BugEnv, c.env)
		} else {
			require.Empty(t, tb.failed)
		}
	}
}

// keepLine is the command a failing target prints to keep its input.
var keepLine = regexp.MustCompile(`from the module's root: (go run ./cmd/devstress crasher .*)`)

// A failing input says how to keep it, and the command works when pasted:
// go test on the targets' package, on the deferral target's seed H3 and
// its variant, prints the crasher command with the entry's path, which
// (run from the module's root, its -o pointed at a scratch directory)
// writes a minimized counterexample file that replays to the same
// invariant.
func TestFailureSaysHowToKeepItsInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the targets' test binary and the command, and minimizes")
	}
	target := "Fuzz" + Deferral.Name
	cmd := exec.Command("go", "test", "./targets", "-run", "^"+target+"$/^H3$", "-count=1")
	cmd.Env = append(os.Environ(), BugEnv+"=H3")
	text, err := cmd.CombinedOutput()
	require.Error(t, err, "the target passes the H3 seed on variant H3:\n%s", text)
	require.Contains(t, string(text), "NO-LOST-TRIGGER", "%s", text)
	m := keepLine.FindStringSubmatch(string(text))
	require.NotNil(t, m, "no command to keep the input:\n%s", text)
	entry, err := filepath.Abs(filepath.Join("targets", "testdata", "fuzz", target, "H3"))
	require.NoError(t, err)
	require.Equal(t, "go run ./cmd/devstress crasher --bug H3 -o properties/testdata/counterexamples "+entry, m[1])

	out := t.TempDir()
	args := strings.Fields(m[1])
	args[slices.Index(args, "-o")+1] = out
	keep := exec.Command(args[0], args[1:]...)
	keep.Dir = ".."
	text, err = keep.CombinedOutput()
	require.NoError(t, err, "%s", text)
	files, err := filepath.Glob(filepath.Join(out, target+"-*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 1, "%s", text)
	f, err := shrink.ReadFile(files[0])
	require.NoError(t, err)
	require.Equal(t, sut.BugH3, f.Options.Bug)
	require.Equal(t, "NO-LOST-TRIGGER", f.Expect.Invariant)
	require.NoError(t, shrink.Check(f), "the written file replays to its expectation")
}

// namedTB is a fakeTB with a test name.
type namedTB struct {
	fakeTB
	name string
}

func (n *namedTB) Name() string { return n.name }

// Without a file of the failing input's name (fuzzing names none), the
// command has a placeholder for the file go test writes; the variant's
// flag only when there is a variant.
func TestKeepCommandWithoutTheInputsFile(t *testing.T) {
	for _, tb := range []TB{&fakeTB{}, &namedTB{name: "FuzzProgram"}, &namedTB{name: "FuzzProgram/no-such-entry"}} {
		require.Equal(t, "to keep it as a counterexample file, from the module's root: go run ./cmd/devstress crasher "+
			"-o properties/testdata/counterexamples fuzz/targets/testdata/fuzz/FuzzProgram/<the failing input's file, named below>",
			Program.KeepCommand(tb, sut.BugNone))
	}
	require.Contains(t, Broad.KeepCommand(&fakeTB{}, sut.BugH2), "crasher --bug H2 -o properties/testdata/counterexamples fuzz/targets/testdata/fuzz/FuzzBroad/<")
}
