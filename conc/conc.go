package conc

import "strconv"

// TaskID names a task within one run. IDs are handed out in spawn order
// from 1; under the controlled runtime they are deterministic.
type TaskID int

// NoTask is the TaskID of code that does not run inside a task (the test
// goroutine before Run, for example).
const NoTask TaskID = 0

// String renders the id as "T<n>", or "-" for NoTask.
func (id TaskID) String() string {
	if id == NoTask {
		return "-"
	}
	return "T" + strconv.Itoa(int(id))
}

// Event is something the code under test reports at one of its commit
// points (a device was added, a probe returned, a reference was dropped).
// The runtime records it in the trace, in order. String must be
// deterministic: no pointers, no map iteration order, no times.
type Event interface {
	String() string
}

// Runtime is what code under test uses instead of the go statement, the sync
// package and ad-hoc randomness. Every method may be called from any task of
// the run; none may be called after the run was closed.
//
// Two implementations exist, in package sched: sched.Controlled runs one
// task at a time and lets a sched.Strategy choose the interleaving;
// sched.Free runs real goroutines for the race detector and goleak.
type Runtime interface {
	// Go spawns a task named name that runs fn. The task does not run
	// before the spawner reaches a scheduling point.
	Go(name string, fn func()) TaskID

	// Yield marks a point where another task may run.
	Yield(point string)

	// Decide returns a value in [0, n) for the decision named point (inject
	// this fault? fall back to running inline?). 0 is always the least
	// surprising choice. n <= 1 returns 0 and records nothing.
	Decide(point string, n int) int

	// Emit records ev in the trace, attributed to the calling task.
	Emit(ev Event)

	// Fail stops the whole run with err, reported as the run's result at
	// the current step. Called from a task, it does not return. Outside
	// any task (a check after Run returned, for example) it records err as
	// the run's failure, which the next Run returns, and returns.
	Fail(err error)

	// Self returns the calling task, or NoTask outside any task.
	Self() TaskID

	// Step returns the index of the current step in the trace (from 1), so
	// that code under test can say at which step something happened. The
	// free runtime has no global step order and returns 0.
	Step() int

	// NewMutex returns a non-recursive mutex. Locking is a scheduling
	// point; locking a mutex the caller already holds fails the run.
	NewMutex(name string) Mutex

	// NewCompletion returns a one-shot completion (a kernel completion):
	// Wait blocks until Complete has been called once.
	NewCompletion(name string) Completion

	// NewGate is NewCompletion for a gate the program opens from outside:
	// a task waiting on a closed gate is parked, not deadlocked, and so are
	// the tasks that may wait for it; a run that stops with some task on a
	// closed gate ends cleanly (see sched.Controlled.Parked).
	NewGate(name string) Completion

	// NewCounter returns a counter starting at zero whose Wait blocks until
	// it is zero (a wait group that may be reused and incremented while
	// others wait).
	NewCounter(name string) Counter
}

// Mutex is a non-recursive lock. Lock is a scheduling point.
type Mutex interface {
	Lock()
	Unlock()
}

// Completion is a one-shot event. Complete may be called once; Wait returns
// at once after it and blocks before it.
type Completion interface {
	Complete()
	Wait()
	Done() bool
}

// Counter is a non-negative count with a wait-until-zero. Add with a
// delta that would make it negative fails the run.
type Counter interface {
	Add(delta int)
	Wait()
	Value() int
}
