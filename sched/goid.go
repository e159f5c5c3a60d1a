package sched

import (
	"runtime"
	"sync/atomic"
)

// goid returns the id of the calling goroutine, parsed from the header of
// its stack trace ("goroutine 18 [running]:"). It costs about a
// microsecond; only the free runtime uses it.
func goid() int64 {
	var buf [32]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = len("goroutine ")
	var id int64
	for _, c := range b[prefix:] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

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
	id := goid()
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
	id := goid()
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
