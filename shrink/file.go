package shrink

import (
	"fmt"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// Format and Version name the file format: a file's first line is
// "devstress counterexample v1". A reader refuses files of a newer
// version; a change that older readers would misread bumps Version.
const (
	Format  = "devstress counterexample"
	Version = 1
)

// File is one counterexample: what to run (Options, Program), how to
// schedule it (Schedule; faults are in the program's fault plan) and what
// the run must give (Expect, Digest).
//
// Parse gives nil for empty lists and empty (non-nil) maps for each
// driver's tables, as gen.Programs draws them; operations carry only
// the fields their kind uses, the others -1 or empty.
type File struct {
	Options properties.Options
	// Sequential runs the program under properties.ExecuteSequential (its
	// one client alone, drained and compared with the model after every
	// operation) instead of properties.Execute; its Schedule is empty.
	Sequential bool
	Program    properties.Program
	Schedule   Schedule
	Expect     Expect
	// Digest is the trace digest of the run (sched.Trace.Digest).
	Digest string
}

// Expect is the verdict a file must replay to: the violated invariant and
// the step it broke at, or a pass (Invariant empty).
type Expect struct {
	Invariant string
	Step      int
}

// Pass reports whether the file expects every check to pass.
func (e Expect) Pass() bool { return e.Invariant == "" }

func (e Expect) String() string {
	if e.Pass() {
		return "pass"
	}
	return fmt.Sprintf("%s at step %d", e.Invariant, e.Step)
}

// expectOf is the expectation a verdict meets.
func expectOf(v *properties.Verdict) Expect {
	if v.Failure == nil {
		return Expect{}
	}
	return Expect{Invariant: v.Failure.Invariant, Step: v.Failure.Step}
}

// knownBugs are the bug variants of sut this devstress can run; a file
// naming another one cannot be replayed. Add a variant here when sut gets
// one.
var knownBugs = []sut.Bug{
	sut.BugH1, sut.BugH2, sut.BugH2b, sut.BugH3, sut.BugH4, sut.BugH5, sut.BugH6,
	sut.BugH7a, sut.BugH7b, sut.BugH8, sut.BugH9, sut.BugH9d, sut.BugH10A, sut.BugH10B,
}
