package properties_test

import (
	"path/filepath"
	"testing"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// counterexampleDir holds the counterexamples kept as regression tests:
// one per known bug, written by the known-bugs suite with
// DEVSTRESS_WRITE_COUNTEREXAMPLES=1, and any a user adds.
const counterexampleDir = "testdata/counterexamples"

// Every kept counterexample replays to the verdict it records (invariant,
// step, digest). An unreadable file, or an empty directory, fails.
func TestCounterexampleFiles(t *testing.T) {
	shrink.RegressionTest(t, counterexampleDir)
}

// A counterexample of a bug variant passes on the correct core: the same
// program under the same schedule, with the bug switched off.
func TestCounterexampleFilesPassOnTheCorrectCore(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(counterexampleDir, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no counterexample in %s", counterexampleDir)
	for _, path := range paths {
		f, err := shrink.ReadFile(path)
		require.NoError(t, err)
		if f.Options.Bug == sut.BugNone {
			continue
		}
		f.Options.Bug = sut.BugNone
		v := shrink.Replay(f)
		require.Nil(t, v.Failure, "%s on the correct core:\n%s", path, v)
	}
}
