package properties

// Failer is the part of *rapid.T (and of *testing.T) that Fatal uses.
type Failer interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Fatal fails the rapid test t with the verdict's failure, in one line
// (Verdict.Headline): rapid prints it twice (with its replay line, and in
// the output of its last run), so the whole report belongs elsewhere, once
// (shrink.Keep writes the counterexample as a file and reports it). Each
// invariant has its own call site: rapid keeps a shrunk case only if it
// fails at the same place, so shrinking stays on the bug it found instead
// of drifting to another one.
func Fatal(t Failer, v *Verdict) {
	t.Helper()
	switch v.Failure.Invariant {
	case "NO-UAF":
		t.Fatalf("%s", v.Headline())
	case "OWNERSHIP":
		t.Fatalf("%s", v.Headline())
	case "REF-NONNEG":
		t.Fatalf("%s", v.Headline())
	case "REL-ONCE":
		t.Fatalf("%s", v.Headline())
	case "FREE-ONLY-IN-RELEASE":
		t.Fatalf("%s", v.Headline())
	case "NO-LEAK":
		t.Fatalf("%s", v.Headline())
	case "ADD-ONCE":
		t.Fatalf("%s", v.Headline())
	case "DEL-ONCE":
		t.Fatalf("%s", v.Headline())
	case "ADD-ERROR-NEUTRAL":
		t.Fatalf("%s", v.Headline())
	case "ERROR-PROPAGATES":
		t.Fatalf("%s", v.Headline())
	case "BIND-ONLY-LIVE":
		t.Fatalf("%s", v.Headline())
	case "SINGLE-DRIVER":
		t.Fatalf("%s", v.Headline())
	case "PROBE-REMOVE-PAIRING":
		t.Fatalf("%s", v.Headline())
	case "OUTCOME-MAPPING":
		t.Fatalf("%s", v.Headline())
	case "UNREGISTER-QUIESCES-DRIVER":
		t.Fatalf("%s", v.Headline())
	case "DEL-QUIESCES-DEVICE":
		t.Fatalf("%s", v.Headline())
	case "DEFER-LIST-EXCLUSIVE":
		t.Fatalf("%s", v.Headline())
	case "NO-LOST-TRIGGER":
		t.Fatalf("%s", v.Headline())
	case "DEFER-PROGRESS":
		t.Fatalf("%s", v.Headline())
	case "PROBECOUNT-BALANCED":
		t.Fatalf("%s", v.Headline())
	case "NO-SELF-WAIT":
		t.Fatalf("%s", v.Headline())
	case "NO-DEADLOCK":
		t.Fatalf("%s", v.Headline())
	case "DEVRES-SCOPE":
		t.Fatalf("%s", v.Headline())
	case "RESULT-MISMATCH":
		t.Fatalf("%s", v.Headline())
	case "STATE-MISMATCH":
		t.Fatalf("%s", v.Headline())
	case "PANIC":
		t.Fatalf("%s", v.Headline())
	case "STEP-BUDGET":
		t.Fatalf("%s", v.Headline())
	case "LEAKED-GOROUTINE":
		t.Fatalf("%s", v.Headline())
	default:
		t.Fatalf("%s", v.Headline())
	}
}
