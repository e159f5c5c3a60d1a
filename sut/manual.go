package sut

import "errors"

// Bind is the sysfs bind (device_driver_attach, §6.4), the only path where a
// probe error reaches a caller: nil when bound, else the error of
// __driver_probe_device with ErrProbeDefer mapped to ErrAgain: the probe's
// own error, or a refusal, such as ErrBusy when d already has a driver (or
// devres entries). ErrNoDev when drv is not Registered (its bind gate is
// closed), d is not Registered or is dead, or drv does not match d; ErrInval
// when d or drv is nil.
func (c *Core) Bind(d *Device, drv *Driver) error {
	c.call("Bind", d, drv)
	err := c.bind(d, drv)
	c.ret("Bind", err)
	return err
}

func (c *Core) bind(d *Device, drv *Driver) error {
	if d == nil || drv == nil {
		return errorf(ErrInval, "bind", "nil argument")
	}
	c.access(d.mem, "binds")
	if drv.stateNow() != DriverRegistered {
		return errorf(ErrNoDev, "bind", drv.Name+" is not registered")
	}
	// Enter the bind gate: count first, then check it is open, so that
	// DriverUnregister's close-then-wait cannot miss this call.
	drv.inFlight.Add(1)
	err := c.bindGated(d, drv)
	drv.inFlight.Add(-1)
	return err
}

// bindGated is Bind inside drv's bind gate.
func (c *Core) bindGated(d *Device, drv *Driver) error {
	if !drv.gateOpen.Load() {
		return errorf(ErrNoDev, "bind", drv.Name+" is unregistering")
	}
	if d.phaseNow() != PhaseRegistered || d.dead.Load() {
		return errorf(ErrNoDev, "bind", d.handle+" is not registered")
	}
	if c.match(drv, d, false) != MatchYes {
		return errorf(ErrNoDev, "bind", drv.Name+" does not match "+d.handle)
	}
	who := c.self()
	c.lockWithParent(d)
	out := c.attempt(drv, d, who)
	c.unlockWithParent(d)
	if errors.Is(out.err, ErrProbeDefer) {
		return errorf(ErrAgain, "bind", d.handle+": "+out.err.Error())
	}
	return out.err
}

// Unbind is the sysfs unbind (device_driver_detach): Remove, devres,
// unbound. It never triggers deferred probing.
func (c *Core) Unbind(d *Device) {
	c.call("Unbind", d, nil)
	c.checkDevice(d, "unbinds")
	c.unbind(d, c.self())
	c.ret("Unbind", nil)
}

func (c *Core) unbind(d *Device, who owner) {
	c.lockWithParent(d)
	c.releaseDriver(d, who)
	c.unlockWithParent(d)
}

// Reprobe is device_reprobe: Unbind, then path A trying every matching
// driver synchronously. It returns nil if d is dead, if a driver bound or if
// the scan ran to its end, else the match error or core refusal that
// stopped it; a driver's own probe failure never reaches the caller.
func (c *Core) Reprobe(d *Device) error {
	c.call("Reprobe", d, nil)
	c.checkDevice(d, "reprobes")
	who := c.self()
	c.unbind(d, who)
	err := c.deviceAttach(d, false, who)
	c.ret("Reprobe", err)
	return err
}
