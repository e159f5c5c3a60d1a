package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzDevres fuzzes devres and references across unregistration: devres
// entries, gets and puts, lookups and every way to unregister.
func FuzzDevres(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Devres.Check(t, bug, data) })
}
