package fuzz

import (
	"fmt"
	"os"
	"slices"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// The environment of a fuzz target's run.
const (
	// BugEnv names the bug variant of the core the targets run on
	// (DEVSTRESS_FUZZ_BUG=H3); unset or empty, the correct core.
	BugEnv = "DEVSTRESS_FUZZ_BUG"
	// OutEnv names a directory: a failing input is written there as a
	// minimized counterexample file before the target fails.
	OutEnv = "DEVSTRESS_FUZZ_OUT"
)

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
// and, when a check fails, fails tb with the verdict's headline and its
// report (the program, what each client saw, the interleaving). With
// OutEnv set, it first writes the failure as a counterexample file
// (WriteCounterexample) and names it in the message.
func (t *Target) Check(tb TB, bug sut.Bug, data []byte) {
	tb.Helper()
	v := t.Run(bug, data)
	if v.Failure == nil {
		return
	}
	saved := ""
	if dir := os.Getenv(OutEnv); dir != "" {
		path, err := t.WriteCounterexample(dir, v)
		if err != nil {
			saved = fmt.Sprintf("the counterexample was not written: %v\n", err)
		} else {
			saved = fmt.Sprintf("counterexample written to %s\n", path)
		}
	}
	tb.Fatalf("%s\n%s\n%s", v.Headline(), saved, v)
}
