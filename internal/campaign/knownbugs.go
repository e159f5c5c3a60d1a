package campaign

import "github.com/devstress/devstress/sut"

// KnownBug is a historical bug of spec §16, as a variant of the core, with
// the size of its minimal counterexample there: (operations, faults,
// preemptions) as §14.6 counts them (shrink.Size.Spec).
type KnownBug struct {
	Bug     sut.Bug
	Minimal [3]int
}

// KnownBugs are the core's bug variants, with the spec's minimal sizes of
// properties/knownbugs_test.go (the known-bugs suite), which could take
// them from here.
var KnownBugs = []KnownBug{
	{sut.BugH1, [3]int{3, 1, 0}},
	{sut.BugH2, [3]int{6, 1, 1}},
	{sut.BugH2b, [3]int{6, 1, 0}},
	{sut.BugH3, [3]int{5, 0, 1}},
	{sut.BugH4, [3]int{4, 0, 1}},
	{sut.BugH5, [3]int{3, 1, 0}},
	{sut.BugH6, [3]int{5, 0, 0}},
	{sut.BugH7a, [3]int{1, 1, 0}},
	{sut.BugH7b, [3]int{1, 1, 0}},
	{sut.BugH8, [3]int{4, 0, 0}},
	{sut.BugH9, [3]int{4, 0, 0}},
	{sut.BugH9d, [3]int{5, 0, 0}},
	{sut.BugH10A, [3]int{3, 0, 0}},
	{sut.BugH10B, [3]int{5, 0, 1}},
}
