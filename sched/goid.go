package sched

import (
	"sync/atomic"

	"github.com/petermattis/goid"
)

// goroutineID returns the id of the calling goroutine. goid.Get reads it
// from the runtime's goroutine structure (a few nanoseconds); parsing the
// header of runtime.Stack, as this did before, walked the whole stack and
// took 94% of a free run of the core. TestGoroutineIDMatchesTheStack
// holds the two to the same answer, so that a Go release whose goroutine
// layout the library does not know yet fails a test instead of mixing up
// tasks.
func goroutineID() int64 { return goid.Get() }

// goidTable maps goroutine ids to the free runtime's tasks without a lock:
// a goroutine stores its own slot once, when its task starts, and later
// reads only its own slot, so lookups create no synchronization between
// tasks that the race detector would take for ordering (a mutex or a shared
// map would hide the very races the free runtime exists to expose). Slots
// are indexed by goid modulo the table size with linear probing; a probe
// that passes another task's slot orders only that task's start, which
// precedes all its code under test.
type goidTable struct {
	ids   [goidSlots]atomic.Int64
	tasks [goidSlots]atomic.Pointer[freeTask]
}

const goidSlots = 1 << 10

// put registers t for the calling goroutine. It reports false when the
// table is full.
func (g *goidTable) put(t *freeTask) bool {
	id := goroutineID()
	for i := range goidSlots {
		s := (int(id) + i) & (goidSlots - 1)
		if g.ids[s].CompareAndSwap(0, id) {
			g.tasks[s].Store(t)
			return true
		}
	}
	return false
}

// get returns the calling goroutine's task, or nil.
func (g *goidTable) get() *freeTask {
	id := goroutineID()
	for i := range goidSlots {
		s := (int(id) + i) & (goidSlots - 1)
		switch g.ids[s].Load() {
		case id:
			return g.tasks[s].Load()
		case 0:
			return nil
		}
	}
	return nil
}
