package shrink

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// fakeT records what regress reports, by subtest.
type fakeT struct {
	name  string
	fails *[]string
	runs  *[]string
}

func (f fakeT) Helper() {}
func (f fakeT) Fatalf(format string, args ...any) {
	*f.fails = append(*f.fails, f.name+": "+fmt.Sprintf(format, args...))
}
func (f fakeT) Run(name string, fn func(tester)) bool {
	*f.runs = append(*f.runs, name)
	n := len(*f.fails)
	fn(fakeT{name: name, fails: f.fails, runs: f.runs})
	return len(*f.fails) == n
}

func runRegress(dir string) (runs, fails []string) {
	regress(fakeT{name: "top", fails: &fails, runs: &runs}, dir)
	return runs, fails
}

// h6 is spec §16's minimal H6 counterexample as a File.
func h6(t *testing.T) File {
	op := func(k properties.OpKind, name string) properties.Op {
		return properties.Op{Kind: k, Dev: 0, Parent: -1, Ref: -1, Name: name}
	}
	p := properties.Program{Clients: [][]properties.Op{{op(properties.OpNewDevice, "d"), op(properties.OpRegister, ""),
		op(properties.OpGet, ""), op(properties.OpTryUnregister, ""), op(properties.OpTryUnregister, "")}}}
	opt := properties.Options{Bug: sut.BugH6}
	f, err := FromVerdict(properties.Execute(p, sched.Canonical(), opt), opt)
	require.NoError(t, err)
	return f
}

func TestRegressionTestReplaysEveryFile(t *testing.T) {
	dir := t.TempDir()
	f := h6(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "h6"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "h6", "del-once.txt"), []byte(f.String()), 0o644))
	runs, fails := runRegress(dir)
	require.Equal(t, []string{"h6/del-once.txt"}, runs)
	require.Empty(t, fails)

	RegressionTest(t, dir) // and through a real *testing.T
}

func TestRegressionTestFailsOnBadFilesAndOnNothing(t *testing.T) {
	_, fails := runRegress(t.TempDir())
	require.Len(t, fails, 1)
	require.Contains(t, fails[0], "no file to replay (a run of zero checks is an error)")

	_, fails = runRegress(filepath.Join(t.TempDir(), "missing"))
	require.Len(t, fails, 1)
	require.Contains(t, fails[0], "no such file or directory")

	dir := t.TempDir()
	f := h6(t)
	fixed := f
	fixed.Options.Bug = sut.BugNone
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a-good.txt"), []byte(f.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b-fixed.txt"), []byte(fixed.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c-truncated.txt"), []byte(f.String()[:40]), 0o644))
	runs, fails := runRegress(dir)
	require.Equal(t, []string{"a-good.txt", "b-fixed.txt", "c-truncated.txt"}, runs)
	require.Len(t, fails, 2)
	require.Contains(t, fails[0], "b-fixed.txt: ")
	require.Contains(t, fails[0], "the correct core no longer fails as the file records (pass)")
	require.Contains(t, fails[1], "c-truncated.txt: counterexample ")
	require.Contains(t, fails[1], "truncated")
}

// The promises of a file beyond its replay: a bug variant's counterexample
// must pass on the correct core; a failure of the correct core is an open
// bug until its file says "expect pass".
func TestRegressionTestKeepsCorrectCorePromises(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, f File) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(f.String()), 0o644))
	}
	f := h6(t)

	fixed := f
	fixed.Options.Bug = sut.BugNone
	v := Replay(fixed)
	require.Nil(t, v.Failure)
	fixed.Expect, fixed.Digest = Expect{}, v.Trace.Digest()
	write("a-fixed.txt", fixed)

	// A step budget of 5 fails on every core: on the variant as recorded,
	// and on the correct core too.
	both := f
	both.Options.MaxSteps = 5
	v = Replay(both)
	require.NotNil(t, v.Failure)
	both.Expect, both.Digest = expectOf(v), v.Trace.Digest()
	write("b-both.txt", both)

	open := both
	open.Options.Bug = sut.BugNone
	v = Replay(open)
	require.NotNil(t, v.Failure)
	open.Expect, open.Digest = expectOf(v), v.Trace.Digest()
	write("c-open.txt", open)

	runs, fails := runRegress(dir)
	require.Equal(t, []string{"a-fixed.txt", "b-both.txt", "c-open.txt"}, runs)
	require.Len(t, fails, 2)
	require.Contains(t, fails[0], "b-both.txt: ")
	require.Contains(t, fails[0], "the correct core fails the counterexample of bug H6: STEP-BUDGET")
	require.Contains(t, fails[1], "c-open.txt: ")
	require.Contains(t, fails[1], "an open bug: the correct core still fails this counterexample (STEP-BUDGET")
}
