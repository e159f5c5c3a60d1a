package sut

// Settle waits, from a task, until the core is quiescent (Quiescent): no
// task of the core's own is alive or pending. Call it once the program's
// tasks have returned, and from a task that holds no lock of the core.
//
// It only waits, on the runtime's counters: it calls nothing in the core,
// so it triggers nothing, probes nothing and emits no event, and the state
// it leaves is the one the program left, which CheckQuiescent then judges.
// A round that ends with Quiescent false found a task alive, whose counter
// the next round waits for: Settle does not spin, and returns once the
// core's tasks stop spawning others.
//
// Active is not part of quiescence: in the correct core a device on Active
// has the worker queued; a core that leaves one there without it is
// reported by CheckTeardown (Q2), not hung here.
func (c *Core) Settle() {
	for {
		c.async.full.Wait()
		c.async.reg.pending.Wait()
		c.def.work.Wait()
		c.releasing.Wait()
		c.probeCount.Wait()
		if c.Quiescent() {
			return
		}
	}
}

// Quiescent reports, from a task that holds no lock of the core, whether no
// task of the core is alive or pending: no async entry pending in any domain
// (RegDomain included), no deferred work queued or running, no delayed
// release outstanding and probeCount 0. It reads under the deferred-probe
// and async locks, which also order the reads the Q1 checks make after it.
//
// The core's tasks are async entries (spawned under the async lock), the
// deferred worker (spawned under the deferred lock) and delayed releases
// (spawned by a task of the core or of the program). With both locks held,
// no entry or worker can start; if none is alive either, and no release is
// outstanding, nothing is left to spawn one, so the answer holds until a
// program task calls into the core again. An entry or worker that has
// finished its work may still be about to decrement its counter; it
// touches nothing else.
func (c *Core) Quiescent() bool {
	c.def.mu.Lock()
	defer c.def.mu.Unlock()
	c.async.mu.Lock() // the async lock is a leaf: taken last
	defer c.async.mu.Unlock()
	return len(c.async.pending) == 0 && !c.def.queued && !c.def.running &&
		c.releasing.Value() == 0 && c.probeCount.Value() == 0
}
