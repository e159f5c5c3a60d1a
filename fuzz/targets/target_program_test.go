package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzProgram fuzzes whole programs (drivers, scripts, a module, one to
// three clients, faults, stress modes) and their schedules.
func FuzzProgram(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Program.Check(t, bug, data) })
}
