package sched

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The deadlock watch must not mistake two moments for one. Here T1 waits
// for a counter that T2 will bring to 0; the pass checks T1 (waiting, the
// counter unchanged), then T2 brings the counter to 0 and ends, then the
// pass reaches T2 (ended). One pass alone reports a deadlock that never
// was: T1 is woken. The CI's free-runtime campaign hit this once in about
// a thousand programs (a teardown waiting for async:full while the last
// async job ended).
func TestDeadlockWatchIsNotFooledByATaskThatEndsDuringThePass(t *testing.T) {
	f := NewFree(1)
	n := f.NewCounter("async:full").(*fCounter)
	n.Add(1)
	waiter := &freeTask{id: 1, name: "teardown"}
	worker := &freeTask{id: 2, name: "job"}
	waiter.block("counter", n.name, n, n.version())
	f.tasks = []*freeTask{waiter, worker}

	woken := false
	testHookWaitingScanned = func(id TaskID) {
		if id == worker.id && !woken {
			woken = true
			n.Add(-1)
			worker.ended.Store(true)
		}
	}
	defer func() { testHookWaitingScanned = nil }()
	require.NoError(t, f.deadlock())
	require.True(t, woken, "the pass never reached the worker")

	// Once nothing moves any more, the same state is a deadlock again: the
	// waiter blocks anew on the counter, raised by a task that has ended.
	n.Add(1)
	waiter.block("counter", n.name, n, n.version())
	var de *DeadlockError
	require.ErrorAs(t, f.deadlock(), &de)
	require.Equal(t, []Wait{{Task: 1, Name: "teardown", Kind: "counter", On: "async:full", Value: 1}}, de.Waits)
}
