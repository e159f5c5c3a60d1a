package shrink

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstress/devstress/sut"
)

// RegressionTest replays every file under dir (recursively) as a subtest
// named by its path below dir, and fails the subtest when the file cannot
// be read or does not keep its promise:
//
//   - a file of a bug variant (a "bug" line) must replay to its
//     expectation (Check) on that variant, and pass on the correct core:
//     the bug is still detected, and the core is free of it;
//   - a file of the correct core that expects a pass must replay to a
//     pass, with its digest when it has one;
//   - a file of the correct core that expects a failure is an open bug of
//     the core (a campaign found it and wrote the file): it fails until
//     the core is fixed and the file's expect line says "expect pass"
//     (with its digest line removed or updated), so a regression test
//     never passes while the bug it records is there.
//
// A missing or empty directory fails t: a run of zero checks is an error,
// not a pass. Keep only counterexample files under dir; any other file
// fails.
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
			if err := keepsPromise(f); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		})
	}
}

// keepsPromise is RegressionTest's check of one file.
func keepsPromise(f File) error {
	if f.Options.Bug == sut.BugNone && !f.Expect.Pass() {
		v := Replay(f)
		if got := expectOf(v); got == f.Expect {
			var report strings.Builder
			_ = Report(&report, f, v) // f was parsed, so Write accepts it
			return fmt.Errorf("an open bug: the correct core still fails this counterexample (%s, as the file records); "+
				"fix the core, then replace the file's expect and digest lines with \"expect pass\"\n\n%s", v.Failure, report.String())
		}
		return fmt.Errorf("the correct core no longer fails as the file records (%s): "+
			"if the bug is fixed, replace the file's expect and digest lines with \"expect pass\"", expectOf(v))
	}
	if err := Check(f); err != nil {
		return err
	}
	if f.Options.Bug == sut.BugNone {
		return nil
	}
	fixed := f
	fixed.Options.Bug = sut.BugNone
	if v := Replay(fixed); v.Failure != nil {
		return fmt.Errorf("the correct core fails the counterexample of bug %s: %s", f.Options.Bug, v.Failure)
	}
	return nil
}
