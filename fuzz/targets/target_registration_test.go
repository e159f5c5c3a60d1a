package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzRegistration fuzzes asynchronous registration and its failure
// paths: creations, sync and async adds, waits, gets and puts, under the
// fault plan.
func FuzzRegistration(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Registration.Check(t, bug, data) })
}
