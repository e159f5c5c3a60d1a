package properties

import "strings"

//go:generate go run ../internal/invdoc

// Invariant is a name a Failure can carry, stated by the doc comment of
// the constant that names it (sut.InvNoLeak, model.InvAddOnce,
// properties.InvPanic, ...), so that go doc answers what it means.
type Invariant struct {
	// Name is the Failure's Invariant: a §15 invariant (NO-UAF, ...), the
	// label DEVRES-NO-CYCLE, or an oracle of the model or the executors
	// (EVENT, PANIC, STATE-MISMATCH, ...).
	Name string
	// Const is the constant whose doc comment this is, qualified by its
	// package: "sut.InvNoLeak".
	Const string
	// Where is the spec section (docs/spec/device-core.md) that defines
	// it, then, for a §15 invariant, when it is checked as §15 says: "§15,
	// Q2", "§15, S, at return", "§14.8".
	Where string
	// Meaning is one or two sentences, written from the spec, saying what
	// holds when the invariant does.
	Meaning string
}

// Section is the spec section that defines the invariant: "§15", "§14.8".
func (inv Invariant) Section() string {
	section, _, _ := strings.Cut(inv.Where, ",")
	return section
}

// Line is the invariant stated in one line, as a failure's report prints
// it under the failure: "NO-LEAK (§15, Q2): every device was released
// exactly once ...".
func (inv Invariant) Line() string {
	return inv.Name + " (" + inv.Where + "): " + inv.Meaning
}

// Invariants returns every name a Failure can carry, with its statement:
// sut's constants, then model's, then properties' own, each package's in
// source order. The slice is a copy.
func Invariants() []Invariant {
	return append([]Invariant(nil), invariants...)
}

// Describe returns the statement of the invariant or oracle named name (a
// Failure's Invariant), and ok=false for a name devstress does not report.
// The table is generated from the constants' doc comments (go generate
// ./properties), which are its only source.
func Describe(name string) (Invariant, bool) {
	for _, inv := range invariants {
		if inv.Name == name {
			return inv, true
		}
	}
	return Invariant{}, false
}
