package shrink

import (
	"io/fs"
	"path/filepath"
	"testing"
)

// RegressionTest replays every file under dir (recursively) as a subtest
// named by its path below dir, and fails the subtest when the file cannot
// be read or does not replay to its expectation (Check). A missing or
// empty directory fails t: a run of zero checks is an error, not a pass.
// Keep only counterexample files under dir; any other file fails.
//
//	func TestCounterexamples(t *testing.T) { shrink.RegressionTest(t, "testdata/counterexamples") }
func RegressionTest(t *testing.T, dir string) {
	t.Helper()
	regress(testingT{t}, dir)
}

// tester is the part of *testing.T that regress uses, so that its own
// failures can be tested.
type tester interface {
	Helper()
	Fatalf(format string, args ...any)
	Run(name string, f func(tester)) bool
}

type testingT struct{ *testing.T }

func (t testingT) Run(name string, f func(tester)) bool {
	return t.T.Run(name, func(t *testing.T) { f(testingT{t}) })
}

func regress(t tester, dir string) {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("counterexamples in %s: %v", dir, err)
		return
	}
	if len(paths) == 0 {
		t.Fatalf("counterexamples in %s: no file to replay (a run of zero checks is an error)", dir)
		return
	}
	for _, path := range paths {
		name, err := filepath.Rel(dir, path)
		if err != nil {
			name = path
		}
		t.Run(filepath.ToSlash(name), func(t tester) {
			t.Helper()
			f, err := ReadFile(path)
			if err != nil {
				t.Fatalf("%v", err)
				return
			}
			if err := Check(f); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		})
	}
}
