package fuzz

import "testing"

// FuzzUnload fuzzes module unload and driver unregistration during
// probes.
func FuzzUnload(f *testing.F) {
	bug := Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { Unload.Check(t, bug, data) })
}
