package shrink

import (
	"bufio"
	"fmt"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// busyTrace is a trace of n tasks with long names, each calling an
// operation with a long name in its own step.
func busyTrace(n int) *sched.Trace {
	tr := &sched.Trace{}
	for i := 1; i <= n; i++ {
		id := sched.TaskID(i)
		tr.Tasks = append(tr.Tasks, sched.TaskInfo{ID: id, Name: fmt.Sprintf("a-task-with-a-long-name-%d", i)})
		tr.Records = append(tr.Records, sched.Record{Step: i, Task: id, Kind: sched.KindEvent,
			Event: sut.Event{Kind: sut.EvCall, Task: id, Label: "AnOperationWithAVeryLongNameIndeed", Device: "device#1"}})
	}
	return tr
}

// Up to seven lanes fit in 100 columns; more lanes keep their minimum
// width, and every task still has its lane and its records.
func TestLanesWidth(t *testing.T) {
	for n := 1; n <= 10; n++ {
		var b strings.Builder
		w := bufio.NewWriter(&b)
		writeLanes(w, analyze(File{}, &properties.Verdict{Trace: busyTrace(n)}), nil)
		require.NoError(t, w.Flush())
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		require.Len(t, lines, n+1, "a header and a line per record:\n%s", b.String())
		for i, l := range lines {
			if n <= 7 {
				require.LessOrEqual(t, len(l), reportWidth, "%d lanes, line %d: %q", n, i, l)
			}
			if i > 0 {
				require.Equal(t, stepWidth+(i-1)*laneWidth(n), strings.Index(l, "call "), "%d lanes: record %d is not in its lane: %q", n, i, l)
			}
		}
		require.Equal(t, n, strings.Count(lines[0], "T"), "%d lanes: the header names not every task: %q", n, lines[0])
	}
}
