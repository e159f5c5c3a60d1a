package sut

import "sync/atomic"

// registry is an append-only list readable without a lock: the
// instrumentation's record of every device, object, driver and module the
// core has seen. Appending is a compare-and-swap of a fresh copy, so it adds
// no scheduling point and is race-free under the free runtime.
type registry[T any] struct {
	p atomic.Pointer[[]T]
}

// all returns the current list; callers must not modify it.
func (r *registry[T]) all() []T {
	if p := r.p.Load(); p != nil {
		return *p
	}
	return nil
}

// add appends the value build returns for the current list and returns it;
// build may run more than once under contention and must not have effects.
func (r *registry[T]) add(build func(cur []T) T) T {
	for {
		old := r.p.Load()
		var cur []T
		if old != nil {
			cur = *old
		}
		v := build(cur)
		next := make([]T, 0, len(cur)+1)
		next = append(append(next, cur...), v)
		if r.p.CompareAndSwap(old, &next) {
			return v
		}
	}
}
