package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzDeferral fuzzes deferred probing and its triggers: device and
// driver registrations, binds, overrides, reprobes and probe blocking.
func FuzzDeferral(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Deferral.Check(t, bug, data) })
}
