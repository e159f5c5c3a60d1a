package sched

import (
	"fmt"
	"strings"
)

// Wait describes a task that cannot run: what it waits for and, for a
// mutex, which task holds it.
type Wait struct {
	Task   TaskID
	Name   string // the task's name
	Kind   string // "lock", "completion", "gate" or "counter"
	On     string // the primitive's name
	Holder TaskID // the holder of a mutex, else NoTask
	Value  int    // a counter's value
}

func (w Wait) String() string {
	switch w.Kind {
	case "lock":
		return fmt.Sprintf("%s (%s) waits for lock %s held by %s", w.Task, w.Name, w.On, w.Holder)
	case "counter":
		return fmt.Sprintf("%s (%s) waits for counter %s to reach 0 (now %d)", w.Task, w.Name, w.On, w.Value)
	default:
		return fmt.Sprintf("%s (%s) waits for %s %s", w.Task, w.Name, w.Kind, w.On)
	}
}

// DeadlockError reports that no task could run while some were blocked on
// something other than a closed gate.
type DeadlockError struct {
	Step  int
	Waits []Wait // every blocked task, by id
}

func (e *DeadlockError) Error() string {
	parts := make([]string, len(e.Waits))
	for i, w := range e.Waits {
		parts[i] = w.String()
	}
	return fmt.Sprintf("sched: deadlock at step %d: %s", e.Step, strings.Join(parts, "; "))
}

// RelockError reports a task locking a mutex it already holds.
type RelockError struct {
	Step     int
	Task     TaskID
	Mutex    string
	LockedAt int // the step at which the task took the mutex
}

func (e *RelockError) Error() string {
	return fmt.Sprintf("sched: deadlock at step %d: %s locks %s, which it already holds since step %d",
		e.Step, e.Task, e.Mutex, e.LockedAt)
}

// BudgetError reports a run that did not finish within its step budget
// (a livelock, or a budget too small for the program).
type BudgetError struct {
	Steps int
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("sched: step budget of %d exceeded (livelock?); raise it with MaxSteps", e.Steps)
}

// PanicError reports a panic in a task. Error omits the stack, which holds
// goroutine ids and addresses, so that the message is the same on every
// run.
type PanicError struct {
	Step  int
	Task  TaskID
	Name  string
	Value any
	Stack string
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("sched: task %s (%s) panicked at step %d: %v", e.Task, e.Name, e.Step, e.Value)
}

// MisuseError reports a call the runtime cannot honour: a primitive used
// in a way its contract forbids, or a strategy answering out of range.
type MisuseError struct {
	Step int
	Msg  string
}

func (e *MisuseError) Error() string {
	return fmt.Sprintf("sched: step %d: %s", e.Step, e.Msg)
}

// DivergenceError reports that a replayed decision list does not fit the
// run it steers: the program or the code under test changed since it was
// recorded.
type DivergenceError struct {
	Step  int
	Index int // index into the decision list
	Want  Decision
	Got   Decision // the question asked; Got.Value is unset
	Msg   string
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("sched: replay diverges at step %d, decision %d: %s", e.Step, e.Index, e.Msg)
}
