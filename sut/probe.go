package sut

import "errors"

// outcome is the typed result of a probe attempt (§0): bound, a driver
// probe failure (err, !refusal), or a core refusal; row names its row of
// the outcome table (§7.3).
type outcome struct {
	bound   bool
	err     error
	refusal bool
	row     string
}

func refuse(row string, err error) outcome { return outcome{err: err, refusal: true, row: row} }

// OutcomeRows names the rows of the outcome table (§7.3) that EvAttempt
// reports, in the table's order: the script's results, the injected
// faults after the driver is set, and the refusals by their §13 IDs.
var OutcomeRows = []string{
	"probe ok", "probe defer", "probe ENODEV/ENXIO", "probe other error",
	"F-PROBE-GROUPS", "F-PROBE-LINKS", "S-DEVRES-PRESENT", "S-DEFER-ALL", "S-NOT-READY", "S-DEAD", "S-BUSY",
}

// failureRow is the outcome row of a driver probe failure with err.
func failureRow(err error) string {
	switch {
	case errors.Is(err, ErrProbeDefer):
		return "probe defer"
	case errors.Is(err, ErrNoDev), errors.Is(err, ErrNXIO):
		return "probe ENODEV/ENXIO"
	}
	return "probe other error"
}

// attempt is __driver_probe_device (probeDevice) reporting its outcome row
// with EvAttempt once the attempt is over.
func (c *Core) attempt(drv *Driver, d *Device, who owner) outcome {
	out := c.probeDevice(drv, d, who)
	c.emit(Event{Kind: EvAttempt, Device: d.handle, Driver: drv.Name, Label: out.row, Flag: out.bound})
	return out
}

// isDead is the dead test of the probe gates: attach jobs, path A and
// __driver_probe_device.
func (c *Core) isDead(d *Device) bool {
	if c.cfg.Bug == BugH4 {
		return false // H4: the gates ignore dead (fixed by 3451a495ef24, 654888327e9f)
	}
	return d.dead.Load()
}

// driverProbeDevice is driver_probe_device (§7.1), under lock(d).
func (c *Core) driverProbeDevice(drv *Driver, d *Device, who owner) outcome {
	tc := c.def.triggerCount.Load()
	c.probeCount.Add(1)
	out := c.attempt(drv, d, who)
	if errors.Is(out.err, ErrProbeDefer) {
		c.rt.Yield("Y-DEFER-ADD")
		c.deferredAdd(d, int(tc))
		// The re-check of 58b116bce136: a bind that happened since this
		// attempt started found d not yet on Pending; trigger again. H3
		// omits it.
		if c.cfg.Bug != BugH3 {
			c.rt.Yield("Y-DEFER-RECHECK")
			if c.def.triggerCount.Load() != tc && !c.def.deferAll.Load() {
				c.trigger()
			}
		}
	}
	c.probeCount.Add(-1)
	return out
}

// probeDevice is __driver_probe_device (§7.1 step 2), under lock(d).
func (c *Core) probeDevice(drv *Driver, d *Device, who owner) outcome {
	ph := d.phaseNow()
	switch {
	case c.isDead(d) || (ph != PhaseAdding && ph != PhaseRegistered):
		return refuse("S-DEAD", errorf(ErrNoDev, "probe", d.handle))
	case d.driver.Load() != nil:
		return refuse("S-BUSY", errorf(ErrBusy, "probe", d.handle))
	case ph == PhaseAdding:
		return refuse("S-NOT-READY", errorf(ErrProbeDefer, "probe", d.handle+" not ready"))
	}
	d.canMatch.Store(true)
	return c.reallyProbe(drv, d, who)
}

// reallyProbe is really_probe (§7.2), under lock(d).
func (c *Core) reallyProbe(drv *Driver, d *Device, who owner) outcome {
	if c.def.deferAll.Load() {
		return refuse("S-DEFER-ALL", errorf(ErrProbeDefer, "probe", "probing blocked"))
	}
	if c.devresCount(d) > 0 {
		return refuse("S-DEVRES-PRESENT", errorf(ErrBusy, "probe", d.handle+" has devres"))
	}
	c.checkProbeStart(drv, d)
	reprobe := c.cfg.ReprobeAfterProbe
	for {
		d.driver.Store(drv)
		if c.fault("F-PROBE-LINKS") {
			c.clearDriver(drv, d)
			return refuse("F-PROBE-LINKS", errorf(ErrNoMem, "probe", "driver links of "+d.handle))
		}
		if err := c.callProbe(drv, d, who); err != nil {
			c.devresReleaseAll(d, true)
			c.clearDriver(drv, d)
			return outcome{err: err, row: failureRow(err)}
		}
		if c.fault("F-PROBE-GROUPS") {
			c.callRemove(drv, d, who)
			c.devresReleaseAll(d, true)
			c.clearDriver(drv, d)
			return refuse("F-PROBE-GROUPS", errorf(ErrNoMem, "probe", "driver groups of "+d.handle))
		}
		if !reprobe {
			break
		}
		// ReprobeAfterProbe (CONFIG_DEBUG_TEST_DRIVER_REMOVE): as the
		// kernel's really_probe, remove, release devres, clear the driver,
		// and probe again from the driver links step; the second attempt's
		// outcome is the probe's.
		reprobe = false
		c.callRemove(drv, d, who)
		c.devresReleaseAll(d, true)
		c.clearDriver(drv, d)
	}
	c.driverBound(drv, d)
	return outcome{bound: true, row: "probe ok"}
}

// clearDriver is driver := nil after a failed or refused probe.
func (c *Core) clearDriver(drv *Driver, d *Device) {
	d.driver.Store(nil)
	d.devresClosing.Store(false)
	c.emit(Event{Kind: EvUnbound, Device: d.handle, Driver: drv.Name})
}

// checkProbeStart is BIND-ONLY-LIVE at the start of a probe: d Registered
// and live, drv not gone.
func (c *Core) checkProbeStart(drv *Driver, d *Device) {
	switch {
	case d.dead.Load():
		c.fail(InvBindOnlyLive, "%s probes %s with %s, but %s is dead", c.rt.Self(), d.handle, drv.Name, d.handle)
	case d.phaseNow() != PhaseRegistered:
		c.fail(InvBindOnlyLive, "%s probes %s, which is %s", c.rt.Self(), d.handle, d.phaseNow())
	case drv.gone.Load():
		c.fail(InvBindOnlyLive, "%s probes %s with %s, which is gone", c.rt.Self(), d.handle, drv.Name)
	}
}

// callProbe calls drv.Probe(d) between Y-PROBE-PRE and Y-PROBE-POST.
func (c *Core) callProbe(drv *Driver, d *Device, who owner) error {
	c.rt.Yield("Y-PROBE-PRE")
	c.enterDriver(drv, "probes "+d.handle)
	c.emit(Event{Kind: EvProbeStart, Device: d.handle, Driver: drv.Name})
	err := c.runProbe(drv, d, who)
	c.emit(Event{Kind: EvProbeReturn, Device: d.handle, Driver: drv.Name, Err: ErrName(err)})
	if err == nil {
		d.probeOK++
		d.probes++
	}
	c.rt.Yield("Y-PROBE-POST")
	return err
}

// callRemove calls drv.Remove(d) between Y-REMOVE-PRE and Y-REMOVE-POST.
// It must pair with an earlier successful probe (PROBE-REMOVE-PAIRING).
func (c *Core) callRemove(drv *Driver, d *Device, who owner) {
	c.rt.Yield("Y-REMOVE-PRE")
	if d.probeOK == 0 {
		c.fail(InvProbeRemovePairing, "%s removes %s from %s without a successful probe", c.rt.Self(), drv.Name, d.handle)
	}
	c.enterDriver(drv, "removes "+d.handle)
	c.emit(Event{Kind: EvRemoveStart, Device: d.handle, Driver: drv.Name})
	c.runRemove(drv, d, who)
	d.probeOK--
	d.removes++
	c.emit(Event{Kind: EvRemoveReturn, Device: d.handle, Driver: drv.Name})
	c.rt.Yield("Y-REMOVE-POST")
}

// driverBound is driver_bound (§7.2 step 6): bound, on boundDevices, off the
// deferred lists, then a trigger.
func (c *Core) driverBound(drv *Driver, d *Device) {
	c.bus.mu.Lock()
	if d.dead.Load() || drv.gone.Load() {
		c.bus.mu.Unlock()
		c.fail(InvBindOnlyLive, "%s binds %s to %s: dead %v, driver gone %v", c.rt.Self(), d.handle, drv.Name, d.dead.Load(), drv.gone.Load())
	}
	d.bound.Store(true)
	drv.boundDevs = append(drv.boundDevs, d)
	c.bus.mu.Unlock()
	c.emit(Event{Kind: EvBound, Device: d.handle, Driver: drv.Name})
	c.deferredRemove(d)
	c.trigger()
}

// releaseDriver is __device_release_driver (§10.1), under lock(d) (and
// lock(parent) where the caller takes it): Remove, devres, then unbound in
// one step.
func (c *Core) releaseDriver(d *Device, who owner) {
	drv := d.driver.Load()
	if drv == nil {
		return
	}
	if c.cfg.Bug == BugH9d && c.allowsAsync(drv) {
		// H9d: the pre-v5.1 placement of the async drain, under lock(d).
		c.asyncSyncFull(who)
	}
	c.callRemove(drv, d, who)
	c.devresReleaseAll(d, true)
	c.bus.mu.Lock()
	d.bound.Store(false)
	drv.boundDevs = removeDevice(drv.boundDevs, d)
	d.driver.Store(nil)
	d.devresClosing.Store(false)
	c.bus.mu.Unlock()
	c.emit(Event{Kind: EvUnbound, Device: d.handle, Driver: drv.Name})
}
