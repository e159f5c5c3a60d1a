package fuzz

import "testing"

// FuzzDeferral fuzzes deferred probing and its triggers: device and
// driver registrations, binds, overrides, reprobes and probe blocking.
func FuzzDeferral(f *testing.F) {
	bug := Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { Deferral.Check(t, bug, data) })
}
