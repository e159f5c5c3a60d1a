package shrink

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// The text lanes' geometry: a line is at most reportWidth columns, of
// which the step takes stepWidth; a lane is between minLane and maxLane
// columns wide, and a record is written from its lane's left edge on,
// over the lanes to its right (each line holds one record). With more
// than seven lanes, the lanes keep minLane columns and lines grow past
// reportWidth.
const (
	reportWidth = 100
	stepWidth   = 5
	minLane     = 12
	maxLane     = 24
	// roomForText is what the narrowing of lanes keeps for the text of a
	// record in the last lane.
	roomForText = 36
)

// recordText renders a record of a lane: the record as the trace writes
// it, without the task an event repeats (the lane names it), and a fail
// record as "FAIL" and the invariant (the report's first line has the
// message).
func recordText(r sched.Record, f *properties.Failure) string {
	switch r.Kind {
	case sched.KindEvent:
		s := r.Event.String()
		return strings.TrimPrefix(s, r.Task.String()+" ")
	case sched.KindFail:
		if f != nil {
			return "FAIL " + f.Invariant
		}
	}
	return r.String()
}

// laneWidth is the width of a lane when there are n: as wide as fits
// reportWidth with room for a record's text in the last one.
func laneWidth(n int) int {
	if n < 2 {
		return maxLane
	}
	return min(maxLane, max(minLane, (reportWidth-stepWidth-roomForText)/(n-1)))
}

// room is the width left for a text written from column indent on: the
// rest of the line, and never less than a lane.
func room(indent int) int { return max(reportWidth-indent, minLane) }

// writeLanes writes a's major records as lanes: a header naming each
// lane's task, then a line per record, its step written on the first line
// of each step. A violation without a fail record (found at quiescence,
// or by the model) gets a line of its own at its step. Notes on what was
// left out follow.
func writeLanes(w *bufio.Writer, a analysis, f *properties.Failure) {
	width := laneWidth(len(a.lanes))
	col := map[sched.TaskID]int{}
	var head strings.Builder
	head.WriteString(pad("step", stepWidth))
	for i, t := range a.lanes {
		col[t.ID] = i
		name := fmt.Sprintf("%s %s", t.ID, t.Name)
		if i < len(a.lanes)-1 {
			name = pad(clip(name, width-1), width)
		} else {
			name = clip(name, room(stepWidth+i*width))
		}
		head.WriteString(name)
	}
	w.WriteString(strings.TrimRight(head.String(), " ") + "\n")

	last := -1
	for i, r := range a.records {
		if !a.major[i] {
			continue
		}
		step := ""
		if r.Step != last {
			step = fmt.Sprintf("%4d", r.Step)
			last = r.Step
		}
		indent := stepWidth + col[r.Task]*width
		fmt.Fprintf(w, "%s%s\n", pad(step, indent), clip(recordText(r, f), room(indent)))
	}
	if f != nil && a.fail < 0 {
		fmt.Fprintf(w, "%4s %s\n", violationStep(f), clip("** "+violatedBetweenSteps(f), reportWidth-stepWidth))
	}

	if len(a.left) > 0 {
		names := make([]string, len(a.left))
		for i, t := range a.left {
			names[i] = fmt.Sprintf("%s %s", t.ID, t.Name)
		}
		fmt.Fprintf(w, "(%s with nothing notable left out: %s)\n",
			plural(len(a.left), "task"), strings.Join(names, ", "))
	}
	if a.cut > 0 {
		fmt.Fprintf(w, "(%s after the violation's step left out)\n", plural(a.cut, "record"))
	}
}

// violatedBetweenSteps says where a violation without a fail record was
// found: "NO-LEAK violated, found by a check after the run stopped".
func violatedBetweenSteps(f *properties.Failure) string {
	by := "by a check after the run stopped"
	if strings.HasPrefix(f.Msg, "model: ") {
		by = "by the model, in this step's events"
	}
	return fmt.Sprintf("%s violated, found %s", f.Invariant, by)
}

// pad right-pads s with spaces to n columns.
func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// clip shortens s to n columns, ending it in "~" when it was longer.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "~"
}
