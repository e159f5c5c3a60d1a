package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/devstress/devstress/fuzz"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// requireH3File asserts path is a minimized counterexample of H3 that
// replays to its expectation.
func requireH3File(t *testing.T, path string) {
	t.Helper()
	f, err := shrink.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, sut.BugH3, f.Options.Bug)
	require.Equal(t, "NO-LOST-TRIGGER", f.Expect.Invariant)
	require.NoError(t, shrink.Check(f), "the written file replays to its expectation")
}

// A failing input of go test -fuzz becomes a counterexample file: into a
// directory as Fuzz<Target>-<digest>.txt, the target named by the
// input's directory and the variant by --bug or by DEVSTRESS_FUZZ_BUG, as
// for the fuzz run.
func TestCrasherWritesACounterexampleFile(t *testing.T) {
	dir := t.TempDir()
	r := devstressIn(t, dir, "crasher", "--bug", "H3", "-o", ".", deferralH3)
	require.Equal(t, 0, r.code, "%s", r.stderr)
	m := regexp.MustCompile(`counterexample written to (FuzzDeferral-[0-9a-f]{16}\.txt); replay: devstress replay (\S+)\n`).FindStringSubmatch(r.stderr)
	require.NotNil(t, m, "%s", r.stderr)
	require.Equal(t, m[1], m[2])
	require.Contains(t, r.stderr, "fails FuzzDeferral on variant H3: NO-LOST-TRIGGER")
	requireH3File(t, filepath.Join(dir, m[1]))
	require.Equal(t, 0, devstressIn(t, dir, "replay", m[1]).code)

	t.Setenv(fuzz.BugEnv, "H3")
	r = devstressIn(t, dir, "crasher", "-o", "named.txt", deferralH3)
	require.Equal(t, 0, r.code, "%s", r.stderr)
	requireH3File(t, filepath.Join(dir, "named.txt"))
}

// A libFuzzer testcase (ClusterFuzzLite's crashes) is raw bytes, and
// --target names its target; without -o the file goes to the standard
// output.
func TestCrasherTakesRawBytes(t *testing.T) {
	dir := t.TempDir()
	data, err := fuzz.ReadInput(deferralH3)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "crash-0123"), data, 0o644))
	r := devstressIn(t, dir, "crasher", "--bug", "H3", "--target", "FuzzDeferral", "crash-0123")
	require.Equal(t, 0, r.code, "%s", r.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "out.txt"), []byte(r.stdout), 0o644))
	requireH3File(t, filepath.Join(dir, "out.txt"))
}
