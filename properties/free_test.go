package properties_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"pgregory.net/rapid"
)

// The same programs on real goroutines: under go test -race this is where
// a data race in the core shows, and where leaked goroutines do; and a
// second search for the quiescent invariants, checked at Q1 (the first
// quiescent point with every gate open) and Q2.
func TestCorrectCoreUnderFreeRuntime(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := properties.Programs(properties.DefaultSizes).Draw(rt, "program")
		seed := rapid.Uint64().Draw(rt, "seed")
		v := properties.ExecuteFree(p, seed, properties.Options{})
		if v.Failure != nil {
			rt.Fatalf("%s", v)
		}
	})
}
