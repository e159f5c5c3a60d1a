package properties

import "pgregory.net/rapid"

// Fatal fails the rapid test t with the verdict's failure. Each invariant
// has its own call site: rapid keeps a shrunk case only if it fails at the
// same place, so shrinking stays on the bug it found instead of drifting to
// another one.
func Fatal(t *rapid.T, v *Verdict) {
	t.Helper()
	switch v.Failure.Invariant {
	case "NO-UAF":
		t.Fatalf("%s", v)
	case "OWNERSHIP":
		t.Fatalf("%s", v)
	case "REF-NONNEG":
		t.Fatalf("%s", v)
	case "REL-ONCE":
		t.Fatalf("%s", v)
	case "FREE-ONLY-IN-RELEASE":
		t.Fatalf("%s", v)
	case "NO-LEAK":
		t.Fatalf("%s", v)
	case "ADD-ONCE":
		t.Fatalf("%s", v)
	case "DEL-ONCE":
		t.Fatalf("%s", v)
	case "ADD-ERROR-NEUTRAL":
		t.Fatalf("%s", v)
	case "ERROR-PROPAGATES":
		t.Fatalf("%s", v)
	case "BIND-ONLY-LIVE":
		t.Fatalf("%s", v)
	case "SINGLE-DRIVER":
		t.Fatalf("%s", v)
	case "PROBE-REMOVE-PAIRING":
		t.Fatalf("%s", v)
	case "OUTCOME-MAPPING":
		t.Fatalf("%s", v)
	case "UNREGISTER-QUIESCES-DRIVER":
		t.Fatalf("%s", v)
	case "DEL-QUIESCES-DEVICE":
		t.Fatalf("%s", v)
	case "DEFER-LIST-EXCLUSIVE":
		t.Fatalf("%s", v)
	case "NO-LOST-TRIGGER":
		t.Fatalf("%s", v)
	case "DEFER-PROGRESS":
		t.Fatalf("%s", v)
	case "PROBECOUNT-BALANCED":
		t.Fatalf("%s", v)
	case "NO-SELF-WAIT":
		t.Fatalf("%s", v)
	case "NO-DEADLOCK":
		t.Fatalf("%s", v)
	case "DEVRES-SCOPE":
		t.Fatalf("%s", v)
	case "RESULT-MISMATCH":
		t.Fatalf("%s", v)
	case "STATE-MISMATCH":
		t.Fatalf("%s", v)
	case "PANIC":
		t.Fatalf("%s", v)
	case "STEP-BUDGET":
		t.Fatalf("%s", v)
	case "LEAKED-GOROUTINE":
		t.Fatalf("%s", v)
	default:
		t.Fatalf("%s", v)
	}
}
