package shrink

import (
	"fmt"
	"strings"

	"github.com/devstress/devstress/properties"
)

// Replay runs the file's program under its options and schedule (the fault
// plan is the program's), or sequentially for a Sequential file, and
// returns the verdict.
func Replay(f File) *properties.Verdict {
	v, _ := replay(f)
	return v
}

func replay(f File) (*properties.Verdict, Schedule) {
	if f.Sequential {
		return properties.ExecuteSequential(f.Program, f.Options), f.Schedule
	}
	r := f.Schedule.Strategy()
	v := properties.Execute(f.Program, r, f.Options)
	return v, r.Unused(f.Schedule)
}

// Check replays f and returns nil when the run meets the file's
// expectation: the same invariant at the same step (or a pass) and, when
// the file has one, the same trace digest. Otherwise the error lists each
// difference, the failure's message, and the switches the run never took
// (a schedule that no longer fits the program).
func Check(f File) error {
	_, err := Verify(f)
	return err
}

// Verify is Check that also returns the replay's verdict, for a caller
// that reports it: one replay for both.
func Verify(f File) (*properties.Verdict, error) {
	v, unused := replay(f)
	return v, compare(f, v, unused)
}

// compare is Check on a verdict already computed.
func compare(f File, v *properties.Verdict, unused Schedule) error {
	var diffs []string
	got := expectOf(v)
	if got != f.Expect {
		diffs = append(diffs, fmt.Sprintf("verdict: want %s, got %s", f.Expect, got))
	}
	if digest := v.Trace.Digest(); f.Digest != "" && digest != f.Digest {
		diffs = append(diffs, fmt.Sprintf("digest: want %s, got %s (the interleaving changed)", f.Digest, digest))
	}
	if len(diffs) == 0 {
		return nil
	}
	if v.Failure != nil {
		diffs = append(diffs, "failure: "+v.Failure.Error())
	}
	for _, sw := range unused {
		diffs = append(diffs, "switch never taken: "+sw.String())
	}
	return &Mismatch{Diffs: diffs, Verdict: v}
}

// Mismatch is Check's error: what differs between a file's expectation and
// its replay, and the replay's verdict for a full report.
type Mismatch struct {
	Diffs   []string
	Verdict *properties.Verdict
}

func (m *Mismatch) Error() string {
	return "counterexample does not replay as expected:\n\t" + strings.Join(m.Diffs, "\n\t")
}
