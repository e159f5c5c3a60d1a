package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzBroad fuzzes the fault plan, stress modes and schedule of one broad
// program (properties.BroadStress).
func FuzzBroad(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Broad.Check(t, bug, data) })
}
