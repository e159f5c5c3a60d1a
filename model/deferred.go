package model

import "slices"

// deferredAdd is deferred_add(d) (§7.1): onto Pending iff canMatch, phase
// Adding or Registered, not dead, not bound, and on neither list. A call
// that leaves d off is EvDeferredRefused: the re-check that follows a
// deferral from driver_probe_device runs either way.
func (s *State) deferredAdd(d *device) {
	ev := Event{Kind: EvDeferredAdd, Device: d.handle, Flag: d.deferFromProbe, Count: d.deferTC}
	if !d.canMatch || (d.phase != Adding && d.phase != Registered) || d.dead || d.bound ||
		slices.Contains(s.pending, d.handle) || slices.Contains(s.active, d.handle) {
		ev.Kind = EvDeferredRefused
		s.emit(ev)
		return
	}
	s.pending = append(s.pending, d.handle)
	s.emit(ev)
}

// removeFromLists takes d off Pending and Active.
func (s *State) removeFromLists(d *device) {
	if slices.Contains(s.pending, d.handle) || slices.Contains(s.active, d.handle) {
		s.pending = removeString(s.pending, d.handle)
		s.active = removeString(s.active, d.handle)
		s.emit(Event{Kind: EvDeferredRemove, Device: d.handle})
	}
}

// trigger is Trigger() (§8): count, splice Pending onto Active's tail, queue
// the worker.
func (s *State) trigger() {
	s.triggerCount++
	s.active = append(s.active, s.pending...)
	s.pending = nil
	s.workQueued = true
	s.emit(Event{Kind: EvTrigger, Count: s.triggerCount})
}

// runWorker runs the deferred work item once (path C, §6.3).
func (s *State) runWorker() {
	prev := s.cur
	s.cur = workerCtx
	defer func() { s.cur = prev }()
	s.workQueued = false
	s.workRunning = true
	for len(s.active) > 0 {
		d := s.dev(s.active[0])
		s.active = s.active[1:]
		s.emit(Event{Kind: EvDeferredPop, Device: d.handle})
		s.step("deferred retry of " + d.handle)
		s.get(d, LabelDeferredWorker)
		// Path A's error (what stopped the scan) is Reprobe's result
		// only (§6.4); the worker's retry (§6.3) leaves d as the scan
		// left it.
		_ = s.pathA(workerCtx, d, true)
		s.put(d, LabelDeferredWorker)
	}
	s.workRunning = false
}

// waitForDeviceProbe is WaitForDeviceProbe() (§8): flush the deferred work,
// wait for probeCount == 0, then AsyncSynchronizeFull.
func (s *State) waitForDeviceProbe() {
	s.blockUntil("flush of the deferred work", func() bool { return !s.workQueued && !s.workRunning })
	if s.probeCount != 0 {
		fail("WaitForDeviceProbe from inside driver_probe_device (NO-SELF-WAIT)")
	}
	s.asyncSynchronizeFull()
}
