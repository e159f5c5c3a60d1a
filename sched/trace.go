package sched

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Kind says what a trace record is.
type Kind uint8

// The record kinds. Name and Value of a Record depend on the kind, as noted.
const (
	KindSpawn    Kind = iota + 1 // Name: the new task's name; Value: its id
	KindRun                      // the task starts a step; Value 1: by preemption
	KindYield                    // Name: the yield point
	KindLock                     // Name: the mutex; the task acquired it
	KindUnlock                   // Name: the mutex
	KindWait                     // Name: the completion, gate or counter; the wait returned
	KindComplete                 // Name: the completion or gate
	KindAdd                      // Name: the counter; Value: the new value
	KindDecide                   // Name: the decision point; Value: the answer
	KindEvent                    // Event: what the code under test reported
	KindExit                     // the task returned
	KindFail                     // Name: the error that stopped the run
)

var kindNames = [...]string{
	KindSpawn: "spawn", KindRun: "run", KindYield: "yield", KindLock: "lock",
	KindUnlock: "unlock", KindWait: "wait", KindComplete: "complete", KindAdd: "add",
	KindDecide: "decide", KindEvent: "event", KindExit: "exit", KindFail: "fail",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Record is one entry of a trace.
type Record struct {
	Step  int
	Task  TaskID
	Kind  Kind
	Name  string
	Value int
	Event Event // set for KindEvent
}

// String renders the record without its step and task, as it appears in a
// lane: "yield Y-ADD", "lock dev:a", "decide F-ADD-KOBJ=1", an event's text.
func (r Record) String() string { return string(r.appendText(nil)) }

// appendText appends String's text to b.
func (r Record) appendText(b []byte) []byte {
	switch r.Kind {
	case KindEvent:
		if ta, ok := r.Event.(encoding.TextAppender); ok {
			if out, err := ta.AppendText(b); err == nil {
				return out
			}
		}
		return append(b, r.Event.String()...)
	case KindRun:
		if r.Value == 1 {
			return append(b, "run (preempts)"...)
		}
		return append(b, "run"...)
	case KindSpawn:
		b = append(b, "spawn T"...)
		b = strconv.AppendInt(b, int64(r.Value), 10)
		return append(append(b, ' '), r.Name...)
	case KindAdd, KindDecide:
		b = append(append(append(b, r.Kind.String()...), ' '), r.Name...)
		return strconv.AppendInt(append(b, '='), int64(r.Value), 10)
	case KindExit:
		return append(b, "exit"...)
	}
	return append(append(append(b, r.Kind.String()...), ' '), r.Name...)
}

// TaskInfo names a task of a trace.
type TaskInfo struct {
	ID     TaskID
	Name   string
	Parent TaskID // the spawner, NoTask when spawned from outside
}

// Trace is the record of one run: every step, in order.
type Trace struct {
	Tasks   []TaskInfo
	Records []Record
}

// Steps returns the number of steps the run took.
func (t *Trace) Steps() int {
	if len(t.Records) == 0 {
		return 0
	}
	return t.Records[len(t.Records)-1].Step
}

// Preemptions counts the steps that started by switching away from a task
// that could have continued.
func (t *Trace) Preemptions() int {
	n := 0
	for _, r := range t.Records {
		if r.Kind == KindRun && r.Value == 1 {
			n++
		}
	}
	return n
}

// Events returns the events of the trace in order.
func (t *Trace) Events() []Event {
	var evs []Event
	for _, r := range t.Records {
		if r.Kind == KindEvent {
			evs = append(evs, r.Event)
		}
	}
	return evs
}

// Digest is a short hash of the whole trace. Two runs with the same
// program and the same decisions have the same digest.
func (t *Trace) Digest() string {
	// The hashed text is one line per task, "task <id> <name> <parent>",
	// then one per record, "<step> <task> <String()>", ids as integers.
	b := make([]byte, 0, 64*(len(t.Tasks)+len(t.Records)))
	for _, ti := range t.Tasks {
		b = strconv.AppendInt(append(b, "task "...), int64(ti.ID), 10)
		b = append(append(append(b, ' '), ti.Name...), ' ')
		b = append(strconv.AppendInt(b, int64(ti.Parent), 10), '\n')
	}
	for _, r := range t.Records {
		b = append(strconv.AppendInt(b, int64(r.Step), 10), ' ')
		b = append(strconv.AppendInt(b, int64(r.Task), 10), ' ')
		b = append(r.appendText(b), '\n')
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// laneWidth is the width of one task's column in String.
const laneWidth = 24

// String renders the trace with one lane (column) per task: each record is
// a row, written in its task's lane, preceded by its step.
func (t *Trace) String() string {
	var b strings.Builder
	col := make(map[TaskID]int, len(t.Tasks))
	b.WriteString("step ")
	for i, ti := range t.Tasks {
		col[ti.ID] = i
		writeCell(&b, fmt.Sprintf("%s %s", ti.ID, ti.Name), i == len(t.Tasks)-1)
	}
	b.WriteByte('\n')
	for _, r := range t.Records {
		fmt.Fprintf(&b, "%4d ", r.Step)
		c, ok := col[r.Task]
		if !ok { // outside any task: first lane, marked
			c = 0
		}
		for i := 0; i < c; i++ {
			writeCell(&b, "", false)
		}
		text := r.String()
		if !ok {
			text = "(outside) " + text
		}
		writeCell(&b, text, true)
		b.WriteByte('\n')
	}
	return b.String()
}

func writeCell(b *strings.Builder, s string, last bool) {
	if last {
		b.WriteString(s)
		return
	}
	if len(s) > laneWidth-1 {
		s = s[:laneWidth-2] + "~"
	}
	b.WriteString(s)
	b.WriteString(strings.Repeat(" ", laneWidth-len(s)))
}
