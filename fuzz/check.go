package fuzz

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// BugEnv names the bug variant of the core the targets run on
// (DEVSTRESS_FUZZ_BUG=H3); unset or empty, the correct core.
const BugEnv = "DEVSTRESS_FUZZ_BUG"

// TB is the part of *testing.T and *testing.F the targets use; the
// libFuzzer build of a target (go-118-fuzz-build) passes its own T and F,
// which have these methods too.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Variant returns the bug variant BugEnv names, and fails t (a fuzz
// target's *testing.F) when it names none of the known bugs: a typo must
// not fuzz the correct core while the user thinks it fuzzes a variant.
func Variant(t TB) sut.Bug {
	t.Helper()
	name := os.Getenv(BugEnv)
	bug := sut.Bug(name)
	if name != "" && !slices.Contains(Program.Bugs, bug) {
		t.Fatalf("%s=%q names no bug variant of the core (known: %v)", BugEnv, name, Program.Bugs)
		return sut.BugNone
	}
	return bug
}

// Run decodes data for the target and executes it on the core with the
// given bug variant (sut.BugNone: the correct core), with the executor and
// checks of the property suites (properties.Execute).
func (t *Target) Run(bug sut.Bug, data []byte) *properties.Verdict {
	in := t.Decode(data)
	opt := in.Options
	opt.Bug = bug
	return properties.Execute(in.Program, in.Strategy(), opt)
}

// Check is the body of the target's fuzz function: it runs data (Run)
// and, when a check fails, fails tb with the verdict's headline, the
// command that makes the failing input a counterexample file
// (KeepCommand), and the verdict's report (the program, what each client
// saw, the interleaving).
func (t *Target) Check(tb TB, bug sut.Bug, data []byte) {
	tb.Helper()
	v := t.Run(bug, data)
	if v.Failure == nil {
		return
	}
	tb.Fatalf("%s\n%s\n%s", v.Headline(), t.KeepCommand(tb, bug), v)
}

// KeepCommand says how to make the failing input of tb a minimized
// counterexample file with devstress's crasher command: for an entry of
// the seed corpus or of testdata (tb, a subtest, is named after it), the
// exact command; during fuzzing, the command with a placeholder for the
// file go test writes the input to and names below.
func (t *Target) KeepCommand(tb TB, bug sut.Bug) string {
	flags := ""
	if bug != sut.BugNone {
		flags = " --bug " + string(bug)
	}
	file := "fuzz/targets/testdata/fuzz/Fuzz" + t.Name + "/<the failing input's file, named below>"
	if n, ok := tb.(interface{ Name() string }); ok {
		if _, entry, ok := strings.Cut(n.Name(), "/"); ok {
			path := filepath.Join("testdata", "fuzz", "Fuzz"+t.Name, entry)
			if abs, err := filepath.Abs(path); err == nil && fileExists(abs) {
				file = abs
			}
		}
	}
	return "to keep it as a counterexample file, from the module's root: go run ./cmd/devstress crasher" + flags +
		" -o properties/testdata/counterexamples " + file
}

// fileExists reports whether path names a regular file.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
