package shrink_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// fakeTB is a shrink.TB whose failure and cleanups the test controls.
type fakeTB struct {
	name     string
	failed   bool
	cleanups []func()
	errs     []string
	logs     []string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Name() string                      { return f.name }
func (f *fakeTB) Failed() bool                      { return f.failed }
func (f *fakeTB) Cleanup(fn func())                 { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, args ...any) { f.errs = append(f.errs, format) }
func (f *fakeTB) Log(args ...any) {
	for _, a := range args {
		f.logs = append(f.logs, a.(string))
	}
}
func (f *fakeTB) end() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// hunt runs a rapid property on bug with k as its Keeper, and fails tb as
// the test would.
func hunt(t *testing.T, tb *fakeTB, k *shrink.Keeper, bug sut.Bug) {
	rapidtest.SetFlag(t, "rapid.shrinktime", "1s") // Minimize does the rest
	failed, _ := rapidtest.Failing(t, 1000, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		v := properties.Execute(p, gen.Schedule(rt), properties.Options{Bug: bug})
		if v.Failure != nil {
			k.Fatal(rt, v)
		}
	})
	require.True(t, failed, "rapid did not find %s", bug)
	tb.failed = true
	tb.end()
}

// A failing property leaves a minimized counterexample file, and its
// report with a replay line that names the file, once.
func TestKeeperWritesTheCounterexampleOfAFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "counterexamples")
	tb := &fakeTB{name: "TestHunt/H6"}
	hunt(t, tb, shrink.Keep(tb, dir, "TestCounterexampleFiles"), sut.BugH6)
	require.Empty(t, tb.errs)

	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.Len(t, paths, 1)
	base := filepath.Base(paths[0])
	require.Regexp(t, `^TestHunt-H6-[0-9a-f]{16}\.txt$`, base)
	f, err := shrink.ReadFile(paths[0])
	require.NoError(t, err)
	require.NoError(t, shrink.Check(f))
	require.Equal(t, "DEL-ONCE", f.Expect.Invariant)
	require.Equal(t, strings.TrimSuffix(strings.TrimPrefix(base, "TestHunt-H6-"), ".txt"), f.Digest)

	require.Len(t, tb.logs, 1, "one report")
	report := tb.logs[0]
	require.Contains(t, report, "counterexample written to "+filepath.Join(dir, base)+" (minimized: ")
	require.Contains(t, report, "DEL-ONCE at step")
	require.Contains(t, report, "go test ./shrink -run '^TestCounterexampleFiles$/^TestHunt-H6-"+f.Digest+`\.txt$'`)
	require.Contains(t, report, "\n  DEL-ONCE (§15, S): DeviceDel is entered", "the invariant's statement under the failure")
	require.Contains(t, report, "\nreplay:\n")
	require.Contains(t, report, "go run github.com/devstress/devstress/cmd/devstress replay "+filepath.Join(dir, base))
}

// A test that passes writes nothing; a directory that cannot be written
// is an error that says so.
func TestKeeperWritesOnlyFailuresAndSaysWhenItCannot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "counterexamples")
	tb := &fakeTB{name: "TestPass"}
	shrink.Keep(tb, dir, "TestCounterexampleFiles")
	tb.end()
	_, err := os.Stat(dir)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.Empty(t, tb.errs)
	require.Empty(t, tb.logs)

	blocked := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(blocked, nil, 0o644))
	tb = &fakeTB{name: "TestHunt"}
	hunt(t, tb, shrink.Keep(tb, blocked, "TestCounterexampleFiles"), sut.BugH6)
	require.Len(t, tb.errs, 1)
	require.Contains(t, tb.errs[0], "the counterexample was not kept")
}

// DEVSTRESS_KEEP_DIR sends the files elsewhere, with the command line's
// replay only.
func TestKeeperDirectoryCanBeRedirected(t *testing.T) {
	elsewhere := t.TempDir()
	t.Setenv(shrink.KeepDirEnv, elsewhere)
	dir := filepath.Join(t.TempDir(), "counterexamples")
	tb := &fakeTB{name: "TestHunt"}
	hunt(t, tb, shrink.Keep(tb, dir, "TestCounterexampleFiles"), sut.BugH6)
	require.Empty(t, tb.errs)
	_, err := os.Stat(dir)
	require.ErrorIs(t, err, os.ErrNotExist)
	paths, err := filepath.Glob(filepath.Join(elsewhere, "TestHunt-*.txt"))
	require.NoError(t, err)
	require.Len(t, paths, 1)
	require.Len(t, tb.logs, 1)
	require.Contains(t, tb.logs[0], "go run github.com/devstress/devstress/cmd/devstress replay "+paths[0])
	require.NotContains(t, tb.logs[0], "go test ")
}
