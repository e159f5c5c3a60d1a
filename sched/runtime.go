package sched

import "github.com/devstress/devstress/conc"

// The interface code under test uses lives in package conc, which links
// nothing but the standard library; these aliases keep sched's names.
type (
	// TaskID is conc.TaskID: a task within one run.
	TaskID = conc.TaskID
	// Event is conc.Event: what the code under test reports.
	Event = conc.Event
	// Runtime is conc.Runtime: what code under test uses.
	Runtime = conc.Runtime
	// Mutex is conc.Mutex.
	Mutex = conc.Mutex
	// Completion is conc.Completion.
	Completion = conc.Completion
	// Counter is conc.Counter.
	Counter = conc.Counter
)

// NoTask is conc.NoTask: code outside any task.
const NoTask = conc.NoTask
