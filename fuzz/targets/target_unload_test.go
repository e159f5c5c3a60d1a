package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzUnload fuzzes module unload and driver unregistration during
// probes.
func FuzzUnload(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Unload.Check(t, bug, data) })
}
