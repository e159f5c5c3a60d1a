package fuzz

import (
	"path/filepath"
	"testing"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// Every known bug variant is found by the seed corpus of each target that
// is for it: the corpus entry built from the bug's counterexample file
// fails on the variant, with the file's invariant. (On the correct core
// every seed passes: plain go test runs each target's corpus.)
func TestTargetsFindTheirBugsFromSeeds(t *testing.T) {
	covered := map[sut.Bug]int{}
	for _, tg := range Targets {
		corpus, err := ReadCorpus(corpusDir(tg))
		require.NoError(t, err)
		for _, bug := range tg.Bugs {
			t.Run(tg.Name+"/"+string(bug), func(t *testing.T) {
				f, err := shrink.ReadFile(filepath.Join(counterexampleDir, string(bug)+".txt"))
				require.NoError(t, err)
				data, ok := corpus[string(bug)]
				require.True(t, ok, "Fuzz%s has no seed %s", tg.Name, bug)
				v := tg.Run(bug, data)
				require.NotNil(t, v.Failure, "Fuzz%s's seed %s passes on variant %s", tg.Name, bug, bug)
				require.Equal(t, f.Expect.Invariant, v.Failure.Invariant, "%s", v)
				covered[bug]++
			})
		}
	}
	for _, bug := range Program.Bugs {
		require.Equal(t, 2, covered[bug], "bug %s is found by the whole-program target and one narrower target", bug)
	}
}
