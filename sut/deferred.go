package sut

import (
	"strconv"
	"sync/atomic"

	"github.com/devstress/devstress/conc"
)

// DeferredList says which deferred-probe list (§8) a device is on: an
// EvDeferredRemove reports the list the device left in Event.List.
type DeferredList uint8

// The lists. String spells them as the spec: "None", "Pending", "Active".
const (
	DeferredNone    DeferredList = iota // on neither list
	DeferredPending                     // on Pending, waiting for a trigger
	DeferredActive                      // on Active, spliced by a trigger for the worker
)

func (l DeferredList) String() string {
	if int(l) < len(deferredListNames) {
		return deferredListNames[l]
	}
	return "DeferredList(" + strconv.Itoa(int(l)) + ")"
}

var deferredListNames = [...]string{DeferredNone: "None", DeferredPending: "Pending", DeferredActive: "Active"}

// deferredProbe is the deferred-probe machinery of §8, under deferredMu.
type deferredProbe struct {
	mu           conc.Mutex
	pending      []*Device // mu
	active       []*Device // mu
	queued       bool      // mu: the work item is queued
	running      bool      // mu: a worker task runs
	triggerCount atomic.Int64
	deferAll     atomic.Bool
	work         conc.Counter // 1 while a worker task is queued or running
}

// deferredAdd is driver_deferred_probe_add (under lock(d)): d goes to
// Pending iff canMatch, phase Adding or Registered, not dead, not bound and
// on neither list. tc is the triggerCount the deferring attempt started at,
// -1 for a match-level deferral (NO-LOST-TRIGGER exempts those).
func (c *Core) deferredAdd(d *Device, tc int) {
	c.def.mu.Lock()
	ph := d.phaseNow()
	added := d.canMatch.Load() && (ph == PhaseAdding || ph == PhaseRegistered) &&
		!d.dead.Load() && !d.bound.Load() && d.deferred == DeferredNone
	if added {
		d.deferred = DeferredPending
		c.def.pending = append(c.def.pending, d)
	}
	d.lastDeferTC = tc
	c.def.mu.Unlock()
	c.emit(Event{Kind: EvDeferredAdd, Device: d.handle, Count: tc, Flag: added})
}

// deferredRemove takes d off Pending or Active.
func (c *Core) deferredRemove(d *Device) {
	c.def.mu.Lock()
	from := d.deferred
	switch from {
	case DeferredPending:
		c.def.pending = removeDevice(c.def.pending, d)
	case DeferredActive:
		c.def.active = removeDevice(c.def.active, d)
	}
	d.deferred = DeferredNone
	c.def.mu.Unlock()
	if from != DeferredNone {
		c.emit(Event{Kind: EvDeferredRemove, Device: d.handle, List: from})
	}
}

// trigger is driver_deferred_probe_trigger: triggerCount++, splice Pending
// onto Active, queue the worker.
func (c *Core) trigger() {
	c.def.mu.Lock()
	n := c.def.triggerCount.Add(1)
	spliced := make([]string, len(c.def.pending))
	for i, d := range c.def.pending {
		d.deferred = DeferredActive
		spliced[i] = d.handle
	}
	c.def.active = append(c.def.active, c.def.pending...)
	c.def.pending = nil
	if !c.def.queued {
		c.def.queued = true
		if !c.def.running {
			c.def.running = true
			c.def.work.Add(1)
			c.rt.Go("deferred-worker", c.deferredWorker)
		}
	}
	c.def.mu.Unlock()
	c.emit(Event{Kind: EvTrigger, Count: int(n), Devices: spliced})
}

// deferredWorker is deferred_probe_work_func (path C), run as its own task
// while work is queued.
func (c *Core) deferredWorker() {
	who := c.self()
	c.def.mu.Lock()
	for c.def.queued {
		c.def.queued = false
		for len(c.def.active) > 0 {
			d := c.def.active[0]
			c.def.active = c.def.active[1:]
			d.deferred = DeferredNone
			c.emit(Event{Kind: EvDeferredPop, Device: d.handle})
			c.get(d, labelWorker, who)
			c.def.mu.Unlock()
			c.rt.Yield("Y-ITER")
			// Path A's error (what stopped the scan) is Reprobe's result
			// only (§6.4); the retry (§6.3) leaves d as the scan left it.
			_ = c.deviceAttach(d, true, who)
			c.def.mu.Lock()
			c.put(d, labelWorker, who)
		}
	}
	c.def.running = false
	c.def.mu.Unlock()
	c.def.work.Add(-1)
}

// WaitForDeviceProbe flushes the deferred work, waits until no task is
// inside driver_probe_device, then drains the registered async domains. It
// does not wait for RegDomain.
func (c *Core) WaitForDeviceProbe() {
	c.call("WaitForDeviceProbe", nil, nil)
	c.waitForDeviceProbe(c.self())
	c.ret("WaitForDeviceProbe", nil)
}

func (c *Core) waitForDeviceProbe(who owner) {
	c.def.work.Wait()
	c.probeCount.Wait()
	c.asyncSyncFull(who)
}

// BlockProbing sets deferAllProbes, then waits as WaitForDeviceProbe.
func (c *Core) BlockProbing() {
	c.call("BlockProbing", nil, nil)
	c.def.deferAll.Store(true)
	c.emit(Event{Kind: EvDeferAll, Flag: true})
	c.waitForDeviceProbe(c.self())
	c.ret("BlockProbing", nil)
}

// UnblockProbing clears deferAllProbes and triggers a retry of every
// deferred device.
func (c *Core) UnblockProbing() {
	c.call("UnblockProbing", nil, nil)
	c.def.deferAll.Store(false)
	c.emit(Event{Kind: EvDeferAll})
	c.trigger()
	c.ret("UnblockProbing", nil)
}
