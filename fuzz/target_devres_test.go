package fuzz

import "testing"

// FuzzDevres fuzzes devres and references across unregistration: devres
// entries, gets and puts, lookups and every way to unregister.
func FuzzDevres(f *testing.F) {
	bug := Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { Devres.Check(t, bug, data) })
}
