package model

// The Checker's driver registration rules (§6, §15
// UNREGISTER-QUIESCES-DRIVER, PROBE-REMOVE-PAIRING): a driver's
// unregistration returns with no device bound to it, no async attach of
// it queued and every successful probe by it paired with its remove. The
// Checker also keeps the registration order and the async attaches
// queued, which the DEFER-PROGRESS dry run reads (checker_progress.go).

// cdrv is what the Checker knows of one driver.
type cdrv struct {
	state DriverState
	bound []string
}

// drv returns the Checker's record of driver name, creating an Unlisted
// one on first use.
func (c *Checker) drv(name string) *cdrv {
	d := c.drvs[name]
	if d == nil {
		d = &cdrv{}
		c.drvs[name] = d
	}
	return d
}

// checkDriver checks an event of the driver family: EvDriverState, or
// EvAsyncDriver (an async attach of ev.Driver queued on ev.Device, or cleared).
func (c *Checker) checkDriver(ev Event) *InvariantError {
	if ev.Kind == EvDriverState {
		return c.driverState(ev)
	}
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	d.asyncDriver = ev.Driver
	c.asyncSkips()
	return nil
}

// driverState moves driver ev.Driver to state ev.DrvState; reaching
// Unregistered requires it to have quiesced.
func (c *Checker) driverState(ev Event) *InvariantError {
	dr := c.drv(ev.Driver)
	if ev.DrvState == Unregistered {
		if len(dr.bound) > 0 {
			return violation(invUnregisterQuiesces, "%s unregistered with %v bound", ev.Driver, dr.bound)
		}
		for _, h := range sortedKeys(c.devs) {
			if d := c.devs[h]; d.asyncDriver == ev.Driver && !d.freed {
				return violation(invUnregisterQuiesces, "%s unregistered with an async attach of %s queued", ev.Driver, h)
			}
		}
		for _, k := range c.openPairs() {
			if k.drv == ev.Driver {
				return violation(invProbeRemovePairing, "%s unregistered before %s's remove", ev.Driver, k.dev)
			}
		}
	}
	if ev.DrvState == Registering && dr.state == Unlisted {
		c.order = append(c.order, ev.Driver)
	}
	dr.state = ev.DrvState
	switch ev.DrvState {
	case Registering:
		c.asyncSkips()
	case Unregistered:
		c.staleAll()
	}
	return nil
}
