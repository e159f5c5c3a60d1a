package shrink

import (
	"fmt"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// DefaultReproduceTries is how many schedules Reproduce tries by default.
const DefaultReproduceTries = 5000

// Reproduce turns a failure that does not replay, one of the free runtime,
// into a counterexample File: it runs v's program under v's options on the
// controlled runtime with random walks (seeds 1 to tries; default
// DefaultReproduceTries when tries < 1) and returns the first run that
// fails with v's invariant, recorded by FromVerdict. It fails when v did
// not fail, or when no schedule tried reproduces the failure (a data race
// that only the race detector sees, say: the controlled runtime switches
// tasks only at its own points). The search is deterministic: the same
// program, options and tries give the same File.
func Reproduce(v *properties.Verdict, tries int) (File, error) {
	if v.Failure == nil {
		return File{}, fmt.Errorf("shrink: reproduce: the run did not fail")
	}
	if tries < 1 {
		tries = DefaultReproduceTries
	}
	for seed := 1; seed <= tries; seed++ {
		w := properties.Execute(v.Program, sched.RandomWalk(uint64(seed)), v.Options)
		if w.Failure != nil && w.Failure.Invariant == v.Failure.Invariant {
			return FromVerdict(w, v.Options)
		}
	}
	return File{}, fmt.Errorf("shrink: reproduce: no controlled schedule of %d tried fails with %s", tries, v.Failure.Invariant)
}
