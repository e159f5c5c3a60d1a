package sut

import "fmt"

// match is match(drv, d) of §6.0. It runs without lock(d) of its own
// (haveLock says whether the caller holds it): it copies the override under
// the override lock, yields at Y-MATCH, then compares the copy.
func (c *Core) match(drv *Driver, d *Device, haveLock bool) MatchResult {
	if c.cfg.Bug == BugH10A && !haveLock {
		// H10A: dc23806a7c takes the device lock around match; a probe of
		// d that registers a driver deadlocks on it.
		c.lockDev(d)
		m := c.matchUnlocked(drv, d)
		c.unlockDev(d)
		return m
	}
	return c.matchUnlocked(drv, d)
}

func (c *Core) matchUnlocked(drv *Driver, d *Device) MatchResult {
	c.enterDriver(drv, "matches "+d.handle)
	c.access(d.mem, "matches")
	if ov := c.readOverride(d); ov != "" {
		if ov == drv.Name {
			return MatchYes
		}
		return MatchNo
	}
	return drv.Match[d.name]
}

// readOverride copies d.override under its lock, then yields at Y-MATCH.
func (c *Core) readOverride(d *Device) string {
	d.overrideMu.Lock()
	s := d.override
	if c.cfg.Bug == BugH10B {
		// H10B: keep the pointer and read through it after unlocking; a
		// concurrent SetOverride frees the string in between.
		d.overrideMu.Unlock()
		c.rt.Yield("Y-MATCH")
		if s == nil {
			return ""
		}
		c.access(s.mem, "reads the override of "+d.handle+":")
		return s.s
	}
	cp := ""
	if s != nil {
		c.access(s.mem, "copies the override of "+d.handle+":")
		cp = s.s
	}
	d.overrideMu.Unlock()
	c.rt.Yield("Y-MATCH")
	return cp
}

// SetOverride replaces d's driver_override and frees the old string under
// the override lock. "" clears it.
func (c *Core) SetOverride(d *Device, s string) {
	c.call("SetOverride", d, nil)
	c.checkDevice(d, "sets the override of")
	var next *overrideString
	if s != "" {
		next = &overrideString{s: s, mem: c.alloc(Event{Object: ObjOverride, Device: d.handle, Label: s})}
	}
	d.overrideMu.Lock()
	old := d.override
	d.override = next
	if old != nil {
		c.free(old.mem)
	}
	d.overrideMu.Unlock()
	c.emit(Event{Kind: EvOverride, Device: d.handle, Label: s})
	c.ret("SetOverride", nil)
}

// scanMode selects the drivers a device-side scan probes.
type scanMode uint8

const (
	scanAll       scanMode = iota // every matching driver (allowAsync false)
	scanSyncOnly                  // pass 1: drivers that do not allow async
	scanAsyncOnly                 // pass 2, the attach job: async drivers only
)

// scan is the result of a device-side scan.
type scan struct {
	bound     bool
	stopErr   error // the match error or refusal that stopped the scan
	ranToEnd  bool
	haveAsync bool
}

// scanDrivers is bus_for_each_drv(__device_attach_driver) under lock(d):
// for each listed driver, holding its node, Y-ITER, match, then probe
// according to mode and the stop rules of §6.1.
func (c *Core) scanDrivers(d *Device, mode scanMode, who owner) scan {
	var s scan
	for drv := c.nextDriver(nil); drv != nil; drv = c.nextDriver(drv) {
		c.rt.Yield("Y-ITER")
		stop := false
		switch c.match(drv, d, true) {
		case MatchNo:
			continue
		case MatchDefer:
			d.canMatch.Store(true)
			c.deferredAdd(d, -1)
			s.stopErr, stop = errorf(ErrProbeDefer, "match", drv.Name+" "+d.handle), true
		case MatchError:
			s.stopErr, stop = errorf(ErrInval, "match", drv.Name+" "+d.handle), true
		case MatchYes:
			async := c.allowsAsync(drv)
			s.haveAsync = s.haveAsync || async
			if (mode == scanSyncOnly && async) || (mode == scanAsyncOnly && !async) {
				continue
			}
			out := c.driverProbeDevice(drv, d, who)
			s.bound = out.bound
			if out.refusal {
				s.stopErr = out.err
			}
			stop = out.bound || out.refusal
		}
		if stop {
			drv.iters.Add(-1) // leave the node
			return s
		}
	}
	s.ranToEnd = true
	return s
}

// deviceAttach is path A (__device_attach, §6.1) for d in context who. It
// returns the error that stopped the scan (Reprobe's result).
func (c *Core) deviceAttach(d *Device, allowAsync bool, who owner) error {
	c.lockDev(d)
	if c.isDead(d) || d.bound.Load() {
		c.unlockDev(d)
		return nil
	}
	mode := scanAll
	if allowAsync {
		mode = scanSyncOnly
	}
	s := c.scanDrivers(d, mode, who)
	cookie := 0
	if !s.bound && s.ranToEnd && allowAsync && s.haveAsync {
		cookie = c.nextCookie()
		c.get(d, cookieLabel("AsyncAttach", cookie), entryOwner(cookie))
		if c.cfg.Bug == BugH5 {
			// H5: schedule while holding lock(d) (765230b5f084, fixed by
			// b232b02bf3c2); the synchronous fallback re-locks d.
			c.scheduleAttachJob(d, cookie)
			c.unlockDev(d)
			return s.stopErr
		}
	}
	c.unlockDev(d)
	// Never schedule while holding lock(d): the fallback would re-lock it.
	if cookie != 0 {
		c.scheduleAttachJob(d, cookie)
	}
	return s.stopErr
}

// scheduleAttachJob schedules attachJob(d) as entry cookie; its footprint is
// lock(d).
func (c *Core) scheduleAttachJob(d *Device, cookie int) {
	c.asyncSchedule(cookie, fmt.Sprintf("attach %s", d.handle), c.async.def, []*Device{d}, func(who owner) {
		c.lockDev(d)
		if !c.isDead(d) && d.driver.Load() == nil {
			c.scanDrivers(d, scanAsyncOnly, who)
		}
		c.unlockDev(d)
		c.put(d, cookieLabel("AsyncAttach", cookie), who)
	})
}

// driverAttach is path B (driver_attach, §6.2): every bus device, with an
// Iterator reference, Y-ITER, match, then a synchronous probe or a queued
// driver attach job. Probe results are ignored.
func (c *Core) driverAttach(drv *Driver, who owner) {
	d, seq := c.nextDevice(nil, 0)
	for ; d != nil; d, seq = c.nextDevice(d, seq) {
		c.rt.Yield("Y-ITER")
		switch c.match(drv, d, false) {
		case MatchNo, MatchError:
			continue
		case MatchDefer:
			d.canMatch.Store(true)
			c.deferredAdd(d, -1)
			continue
		}
		if c.allowsAsync(drv) {
			c.queueDriverAttach(drv, d)
			continue
		}
		c.lockWithParent(d)
		c.driverProbeDevice(drv, d, who)
		c.unlockWithParent(d)
	}
}

// queueDriverAttach queues an async probe of d by drv unless d has a driver
// or a queued one. The job holds d, and d's parent too (AsyncAttachParent),
// taken under lock(d) while d is live, so that ParentOf(d) still keeps the
// parent: the job may lock the parent (parent locking, §1) after DeviceDel
// of d has dropped ParentOf(d) and the parent's last reference is gone. A
// job queued for a dead d holds no parent and locks d alone: its probe is
// refused anyway.
func (c *Core) queueDriverAttach(drv *Driver, d *Device) {
	c.lockDev(d)
	cookie := 0
	var parent *Device
	if d.driver.Load() == nil && d.asyncDriver.Load() == nil {
		cookie = c.nextCookie()
		c.get(d, cookieLabel("AsyncAttach", cookie), entryOwner(cookie))
		if d.parent != nil && !d.dead.Load() {
			parent = d.parent
			c.get(parent, cookieLabel("AsyncAttachParent", cookie), entryOwner(cookie))
		}
		d.asyncDriver.Store(drv)
		c.emit(Event{Kind: EvAsyncDriver, Device: d.handle, Driver: drv.Name})
	}
	c.unlockDev(d)
	if cookie == 0 {
		return
	}
	lockParent := parent != nil && c.parentLocking(d)
	footprint := []*Device{d}
	if lockParent {
		footprint = []*Device{parent, d}
	}
	c.asyncSchedule(cookie, fmt.Sprintf("driver-attach %s", d.handle), c.async.def, footprint, func(who owner) {
		if lockParent {
			c.lockDev(parent)
		}
		c.lockDev(d)
		queued := d.asyncDriver.Swap(nil)
		c.emit(Event{Kind: EvAsyncDriver, Device: d.handle})
		if queued != nil {
			c.driverProbeDevice(queued, d, who)
		}
		c.unlockDev(d)
		if lockParent {
			c.unlockDev(parent)
		}
		c.put(d, cookieLabel("AsyncAttach", cookie), who)
		if parent != nil {
			c.put(parent, cookieLabel("AsyncAttachParent", cookie), who)
		}
	})
}
