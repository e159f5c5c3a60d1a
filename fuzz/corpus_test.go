package fuzz

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the seed corpora under targets/testdata/fuzz/ (TestSeedCorpora)")

// counterexampleDir holds the known bugs' counterexample files.
const counterexampleDir = "../properties/testdata/counterexamples"

// corpusDir returns the directory of the target's seed corpus, in the
// package of the fuzz functions (fuzz/targets).
func corpusDir(tg *Target) string {
	return filepath.Join("targets", "testdata", "fuzz", "Fuzz"+tg.Name)
}

// typicalSeeds is the number of generated programs in each seed corpus.
const typicalSeeds = 3

// seedCorpus builds a target's seed corpus, by file name: each
// counterexample file of a bug variant the target is for (H3.txt becomes
// H3: its program, stress modes and the scheduling decisions of its
// replay), and the first typicalSeeds programs gen.Programs draws
// (seeds 0, 1, ...) that are in the target's range once the operations it
// does not draw are left out (typical-<seed>, with no schedule: every
// decision 0). The result depends on nothing but the files and the
// generator.
func seedCorpus(t *testing.T, tg *Target) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(counterexampleDir, "*.txt"))
	require.NoError(t, err)
	corpus := map[string][]byte{}
	for _, path := range paths {
		f, err := shrink.ReadFile(path)
		require.NoError(t, err)
		if f.Options.Bug == sut.BugNone || !slices.Contains(tg.Bugs, f.Options.Bug) {
			continue
		}
		data, _, err := tg.Seed(f.Program, f.Options, f.Schedule.Strategy())
		require.NoError(t, err, "%s as a seed of Fuzz%s", path, tg.Name)
		corpus[strings.TrimSuffix(filepath.Base(path), ".txt")] = data
	}
	programs := gen.Programs(properties.DefaultSizes)
	for seed, n := 0, 0; n < typicalSeeds; seed++ {
		require.Less(t, seed, 1000, "no %d generated programs in the range of Fuzz%s", typicalSeeds, tg.Name)
		p := programs.Example(seed)
		for c := range p.Clients {
			p.Clients[c] = slices.DeleteFunc(slices.Clone(p.Clients[c]), func(o properties.Op) bool { return !tg.allows(o.Kind) })
		}
		if data, err := tg.Encode(Input{Program: p}); err == nil && p.Ops() > 0 {
			corpus["typical-"+strconv.Itoa(seed)] = data
			n++
		}
	}
	return corpus
}

// The committed seed corpora are what seedCorpus builds: regenerate them
// with go test ./fuzz -run TestSeedCorpora -update after a counterexample
// file, the generator or the encoding changed.
func TestSeedCorpora(t *testing.T) {
	for _, tg := range Targets {
		t.Run(tg.Name, func(t *testing.T) {
			dir := corpusDir(tg)
			want := seedCorpus(t, tg)
			require.NotEmpty(t, want)
			if *update {
				require.NoError(t, os.RemoveAll(dir))
				require.NoError(t, os.MkdirAll(dir, 0o755))
				for name, data := range want {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name), CorpusEntry(data), 0o644))
				}
			}
			got, err := ReadCorpus(dir)
			require.NoError(t, err, "run go test ./fuzz -run TestSeedCorpora -update")
			require.Equal(t, slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got)),
				"the seed corpus of Fuzz%s is stale: run go test ./fuzz -run TestSeedCorpora -update", tg.Name)
			for name := range want {
				require.Equal(t, want[name], got[name],
					"%s/%s is stale: run go test ./fuzz -run TestSeedCorpora -update", dir, name)
			}
		})
	}
}

// Corpus files read back to the bytes they were written from.
func TestCorpusEntryRoundTrip(t *testing.T) {
	for _, data := range [][]byte{nil, {0}, []byte("\x00\xff\"\\\n"), []byte("plain")} {
		got, err := ParseCorpusEntry(CorpusEntry(data))
		require.NoError(t, err)
		require.Equal(t, string(data), string(got))
	}
	_, err := ParseCorpusEntry([]byte("go test fuzz v1\nstring(\"x\")\n"))
	require.Error(t, err)
	_, err = ParseCorpusEntry([]byte("[]byte(\"x\")\n"))
	require.Error(t, err)
}
