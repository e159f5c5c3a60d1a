package sut

import "fmt"

// kill is kill_device, under lock(d): it sets dead and reports whether this
// call did.
func (c *Core) kill(d *Device) bool {
	if !d.dead.CompareAndSwap(false, true) {
		return false
	}
	c.emit(Event{Kind: EvKill, Device: d.handle})
	return true
}

// deviceDel is device_del (§4.2) of a Registered device, entered once.
func (c *Core) deviceDel(d *Device, who owner) {
	if !d.delEnter.CompareAndSwap(false, true) {
		c.fail(InvDelOnce, "%s enters DeviceDel(%s) again", c.rt.Self(), d.handle)
	}
	c.emit(Event{Kind: EvDelEnter, Device: d.handle})
	// 1. Kill under lock(d): waits for an in-flight probe or remove.
	c.lockDev(d)
	c.kill(d)
	c.unlockDev(d)
	c.rt.Yield("Y-DEL")
	// 2. Unlink, then device_release_driver with lock(d) only.
	c.unlinkDevice(d)
	c.lockDev(d)
	c.releaseDriver(d, who)
	c.unlockDev(d)
	c.rt.Yield("Y-DEL")
	// 3. Off the deferred lists.
	c.deferredRemove(d)
	// 4. devres_release_all (699fb50d9903). H8 leaves it to the release,
	// so a self-reference keeps the count above 0.
	mark := c.devresMark(d)
	if c.cfg.Bug != BugH8 {
		c.devresReleaseAll(d, false)
	}
	// 5. Deleted, name released, parent reference dropped.
	c.setPhase(d, PhaseDeleted)
	c.releaseName(d)
	if p := d.parent; p != nil {
		c.put(p, "ParentOf("+d.handle+")", anyOwner)
	}
	c.checkDelQuiesced(d, mark)
	c.emit(Event{Kind: EvDelReturn, Device: d.handle})
}

// checkDelQuiesced is DEL-QUIESCES-DEVICE and the DeviceDel part of
// DEVRES-SCOPE at the return of DeviceDel.
func (c *Core) checkDelQuiesced(d *Device, mark int) {
	c.def.mu.Lock()
	listed := d.deferred
	c.def.mu.Unlock()
	switch {
	case d.bound.Load() || d.driver.Load() != nil:
		c.fail(InvDelQuiesces, "DeviceDel(%s) returns with %s bound", d.handle, d.driver.Load().n())
	case listed != DeferredNone:
		c.fail(InvDelQuiesces, "DeviceDel(%s) returns with it on %s", d.handle, listed)
	}
	if e := c.devresOlderThan(d, mark); e != nil {
		c.fail(InvDevresScope, "DeviceDel(%s) returns with %s still held", d.handle, e.label)
	}
}

// Unregister is device_unregister: DeviceDel, then the put of Reg. The
// owner calls it once, on a Registered device; any other call is an
// API-PRECONDITION violation (DEL-ONCE for a second call).
func (c *Core) Unregister(d *Device) {
	c.call("Unregister", d, nil)
	c.checkDevice(d, "unregisters")
	c.unregister(d, c.self())
	c.ret("Unregister", nil)
}

// unregister is Unregister in context who.
func (c *Core) unregister(d *Device, who owner) {
	switch ph := d.phaseNow(); {
	case d.delEnter.Load():
		c.fail(InvDelOnce, "%s unregisters %s, already deleted", c.rt.Self(), d.handle)
	case ph != PhaseRegistered:
		c.fail(InvAPIPrecondition, "%s unregisters %s, which is %s", c.rt.Self(), d.handle, ph)
	}
	c.deviceDel(d, who)
	c.put(d, labelReg, anyOwner)
}

// killGate is the test of the gated forms (§4.3), under lock(d): the caller
// wins iff d is Registered and this call kills it.
func (c *Core) killGate(d *Device) bool {
	if c.cfg.Bug == BugH6 {
		return true // H6: no gate, every caller wins (fixed by 8aac0e233891)
	}
	return d.phaseNow() == PhaseRegistered && c.kill(d)
}

// TryUnregister is the synchronous kill-gated unregister (§4.3). The caller
// holds a label on d other than Reg and keeps it. It first drains
// RegDomain, so a pending registration job cannot add a killed device; the
// winner deletes d, puts Reg and returns true.
func (c *Core) TryUnregister(d *Device) bool {
	c.call("TryUnregister", d, nil)
	c.checkDevice(d, "unregisters")
	who := c.self()
	c.asyncSyncDomain(c.async.reg, who)
	c.lockDev(d)
	won := c.killGate(d)
	c.unlockDev(d)
	c.rt.Yield("Y-KILL")
	if won {
		c.deviceDel(d, who)
		c.put(d, labelReg, anyOwner)
	}
	c.retBool("TryUnregister", won)
	return won
}

// UnregisterAsync is the asynchronous kill-gated unregister (§4.3): the
// winner takes AsyncUnregister and schedules, in RegDomain, a job that
// deletes d and puts Reg and its own label.
func (c *Core) UnregisterAsync(d *Device) {
	c.call("UnregisterAsync", d, nil)
	c.checkDevice(d, "unregisters")
	c.lockDev(d)
	won := c.killGate(d)
	c.unlockDev(d)
	if won {
		cookie := c.nextCookie()
		label := cookieLabel("AsyncUnregister", cookie)
		c.get(d, label, entryOwner(cookie))
		c.asyncSchedule(cookie, fmt.Sprintf("unregister %s", d.handle), c.async.reg, []*Device{d}, func(who owner) {
			c.deviceDel(d, who)
			c.put(d, labelReg, anyOwner)
			c.put(d, label, who)
		})
	}
	c.retBool("UnregisterAsync", won)
}
