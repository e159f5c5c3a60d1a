package sched

import (
	"slices"
	"sync/atomic"
	"time"
)

// deadlockPoll is how often a free run looks for a deadlock.
const deadlockPoll = 5 * time.Millisecond

// freeWait is what a blocked task of a free run waits for: the primitive,
// and the primitive's version when the task found it unavailable.
type freeWait struct {
	kind, on string
	p        freePrimitive
	version  uint64
}

// freePrimitive is a free runtime's mutex, completion or counter as the
// deadlock watch sees it. version counts the primitive's changes (an
// unlock, a completion, an add); a task blocks after reading it.
type freePrimitive interface {
	version() uint64
	heldBy() TaskID // a mutex's holder, else NoTask
	level() int     // a counter's value, else 0
}

// versioned is the change count of a free primitive.
type versioned struct{ v atomic.Uint64 }

func (p *versioned) version() uint64 { return p.v.Load() }
func (p *versioned) changed()        { p.v.Add(1) }

// block marks t as waiting for p (whose version the caller read before it
// found p unavailable) until unblock.
func (t *freeTask) block(kind, on string, p freePrimitive, version uint64) {
	if t != nil {
		t.waiting.Store(&freeWait{kind: kind, on: on, p: p, version: version})
	}
}

func (t *freeTask) unblock() {
	if t != nil {
		t.waiting.Store(nil)
	}
}

// watchDeadlock reports a deadlock (f.fail with a *DeadlockError) as soon
// as every task that has started and not ended waits in a primitive of the
// runtime that has not changed since the task found it unavailable: then
// none of them can change anything, and none will run again. A task that
// runs, blocks outside the runtime, or waits on a primitive that changed
// since keeps the run alive (the timeout still catches what this cannot
// see). It reads only atomics the tasks write, so it adds no
// synchronization between tasks. It returns when stop is closed.
func (f *Free) watchDeadlock(stop <-chan struct{}) {
	tick := time.NewTicker(deadlockPoll)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if err := f.deadlock(); err != nil {
				f.fail(err)
				return
			}
		}
	}
}

// deadlock returns the deadlock of the run now, or nil. One pass over the
// tasks is not a snapshot: a task checked early may be woken by one checked
// later, which then ends before the pass reaches it. So it passes twice and
// reports only when both passes saw the same tasks, each ended in both or
// waiting in both on the same wait (every block stores a new one) whose
// primitive is unchanged in the second: versions and ended only grow, so
// between the passes there was an instant at which every live task waited
// on a primitive unchanged since it found it unavailable.
func (f *Free) deadlock() error {
	_, first, ok := f.allWaiting()
	if !ok {
		return nil
	}
	tasks, second, ok := f.allWaiting()
	if !ok || !slices.Equal(first, second) {
		return nil
	}
	var waits []Wait
	for i, w := range second {
		if w != nil {
			t := tasks[i]
			waits = append(waits, Wait{Task: t.id, Name: t.name, Kind: w.kind, On: w.on, Holder: w.p.heldBy(), Value: w.p.level()})
		}
	}
	if len(waits) == 0 {
		return nil
	}
	return &DeadlockError{Waits: waits}
}

// allWaiting returns the tasks spawned so far and, task by task, what each
// waits on (nil: ended), and whether every task that has not ended waits
// on a primitive unchanged since it found it unavailable.
func (f *Free) allWaiting() ([]*freeTask, []*freeWait, bool) {
	f.mu.Lock()
	tasks := slices.Clone(f.tasks)
	f.mu.Unlock()
	waits := make([]*freeWait, len(tasks))
	for i, t := range tasks {
		if testHookWaitingScanned != nil {
			testHookWaitingScanned(t.id)
		}
		if t.ended.Load() {
			continue
		}
		w := t.waiting.Load()
		if w == nil || w.p.version() != w.version {
			return nil, nil, false
		}
		waits[i] = w
	}
	return tasks, waits, true
}

// testHookWaitingScanned, when a test sets it, is called before each task
// is checked, so that a test can change the run in the middle of a pass.
var testHookWaitingScanned func(TaskID)
