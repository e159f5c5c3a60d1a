package properties_test

import (
	"testing"

	"github.com/devstress/devstress/shrink"
)

// counterexampleDir holds the counterexamples kept as regression tests:
// one per known bug, written by the known-bugs suite with
// DEVSTRESS_WRITE_COUNTEREXAMPLES=1, and any a user adds.
const counterexampleDir = "testdata/counterexamples"

// Every kept counterexample keeps its promise (shrink.RegressionTest): a
// bug variant's file replays to the verdict it records (invariant, step,
// digest) and passes on the correct core; a failure of the correct core
// fails until it is fixed. An unreadable file, or an empty directory,
// fails.
func TestCounterexampleFiles(t *testing.T) {
	shrink.RegressionTest(t, counterexampleDir)
}

// falseAlarmDir holds programs on which the framework once reported a
// violation of the correct core that the spec allows: each expects a pass,
// and fails while the false alarm is back.
const falseAlarmDir = "testdata/false-alarms"

// Every kept false alarm stays fixed (shrink.RegressionTest).
func TestFalseAlarmFiles(t *testing.T) {
	shrink.RegressionTest(t, falseAlarmDir)
}
