package fuzz

import "testing"

// FuzzRegistration fuzzes asynchronous registration and its failure
// paths: creations, sync and async adds, waits, gets and puts, under the
// fault plan.
func FuzzRegistration(f *testing.F) {
	bug := Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { Registration.Check(t, bug, data) })
}
