package sut

import (
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/devstress/devstress/conc"
)

// ProbeType says how a driver's probes may run (§1).
type ProbeType int

// The probe types.
const (
	ProbeDefault ProbeType = iota // async iff its module or Config.AsyncProbeDrivers says so
	PreferAsync
	ForceSync
)

// DriverState is a driver's registration state.
type DriverState int32

// The driver states.
const (
	DriverUnregistered DriverState = iota // never registered, or gone
	DriverRegistering
	DriverRegistered
	DriverUnregistering
)

var driverStateNames = [...]string{"Unregistered", "Registering", "Registered", "Unregistering"}

func (s DriverState) String() string {
	if s >= 0 && int(s) < len(driverStateNames) {
		return driverStateNames[s]
	}
	return fmt.Sprintf("DriverState(%d)", int(s))
}

// Driver is a scripted driver (§14.2). The exported fields describe it and
// must not change once it is registered; a driver value is registered at
// most once.
type Driver struct {
	Name      string
	ProbeType ProbeType
	// Module is the module whose Init registers the driver (set by
	// ModuleLoad if nil); its code must be loaded whenever a method runs.
	Module *Module
	// Match is the fixed table by device name; absent names do not match.
	// A device with a non-empty override matches iff it names the driver.
	Match map[string]MatchResult
	// Probe is the probe script by device name; absent names succeed.
	Probe map[string]ProbeScript
	// Remove is the remove script by device name; absent names do nothing.
	Remove map[string]RemoveScript

	state          atomic.Int32 // DriverState
	everRegistered atomic.Bool
	gone           atomic.Bool
	priv           atomic.Pointer[object]
	gateOpen       atomic.Bool
	inFlight       conc.Counter // Bind calls inside the bind gate
	iters          conc.Counter // driver-list iterators on this node
	busSeq         int          // bus.mu
	boundDevs      []*Device    // bus.mu: boundDevices, in bind order
}

// n is drv's name, or "" for nil.
func (drv *Driver) n() string {
	if drv == nil {
		return ""
	}
	return drv.Name
}

func (drv *Driver) stateNow() DriverState { return DriverState(drv.state.Load()) }

// setDriverState moves drv to s and reports it.
func (c *Core) setDriverState(drv *Driver, s DriverState) {
	drv.state.Store(int32(s))
	c.emit(Event{Kind: EvDriverState, Driver: drv.Name, Label: s.String()})
}

// allowsAsync is allowsAsync(drv) of §1.
func (c *Core) allowsAsync(drv *Driver) bool {
	switch drv.ProbeType {
	case PreferAsync:
		return true
	case ForceSync:
		return false
	}
	if drv.Module != nil && drv.Module.AsyncProbe {
		return true
	}
	return slices.Contains(c.cfg.AsyncProbeDrivers, drv.Name)
}

// DriverRegister registers drv (§5.1): ErrBusy if its name is listed,
// ErrInval for nil or a driver value listed before (a registration that
// failed at F-DRV-GROUPS counts, one that failed at F-DRV-ALLOC never
// listed it), ErrNoMem on an injected F-DRV-ALLOC or F-DRV-GROUPS fault.
// Probe results never make it fail.
func (c *Core) DriverRegister(drv *Driver) error {
	c.call("DriverRegister", nil, drv)
	err := c.driverRegister(drv, c.self())
	c.ret("DriverRegister", err)
	return err
}

func (c *Core) driverRegister(drv *Driver, who owner) error {
	if drv == nil {
		return errorf(ErrInval, "driver_register", "nil driver")
	}
	// Steps 1-3: one critical section on the driver list.
	c.bus.mu.Lock()
	var err error
	switch {
	case slices.ContainsFunc(c.bus.drivers, func(o *Driver) bool { return o.Name == drv.Name }):
		err = errorf(ErrBusy, "driver_register", drv.Name) // F-DRV-DUP
	case drv.everRegistered.Load():
		err = errorf(ErrInval, "driver_register", drv.Name+" (registered before)")
	case c.fault("F-DRV-ALLOC"):
		err = errorf(ErrNoMem, "driver_register", drv.Name)
	}
	if err != nil {
		c.bus.mu.Unlock()
		return err
	}
	drv.everRegistered.Store(true)
	drv.priv.Store(c.alloc(Event{Object: ObjDriverPriv, Driver: drv.Name}))
	drv.inFlight = c.rt.NewCounter("bindgate:" + drv.Name)
	drv.iters = c.rt.NewCounter("drvnode:" + drv.Name)
	c.bus.seq++
	drv.busSeq = c.bus.seq
	c.setDriverState(drv, DriverRegistering)
	c.bus.drivers = append(c.bus.drivers, drv)
	c.bus.mu.Unlock()
	c.drivers.add(func([]*Driver) *Driver { return drv })
	c.rt.Yield("Y-ITER")

	c.driverAttach(drv, who)
	if c.fault("F-DRV-GROUPS") {
		c.driverRemove(drv, who)
		return errorf(ErrNoMem, "driver_register", drv.Name)
	}
	c.setDriverState(drv, DriverRegistered)
	drv.gateOpen.Store(true)
	return nil
}

// DriverUnregister unregisters a registered driver (§5.2). A driver that is
// not Registered is an API-PRECONDITION violation.
func (c *Core) DriverUnregister(drv *Driver) {
	c.call("DriverUnregister", nil, drv)
	c.driverUnregister(drv, c.self())
	c.ret("DriverUnregister", nil)
}

func (c *Core) driverUnregister(drv *Driver, who owner) {
	if drv == nil || drv.stateNow() != DriverRegistered {
		c.fail(InvAPIPrecondition, "%s DriverUnregister of driver %q, which is not Registered", c.rt.Self(), drv.n())
	}
	c.driverRemove(drv, who)
}

// driverRemove is bus_remove_driver: all of §5.2, also the unwind of a
// DriverRegister whose groups failed.
func (c *Core) driverRemove(drv *Driver, who owner) {
	// 1. Close the bind gate and wait for Bind calls in flight (Y-BLOCK).
	c.setDriverState(drv, DriverUnregistering)
	drv.gateOpen.Store(false)
	drv.inFlight.Wait()
	// 2. Unlist and wait for the iterators on the node (klist_remove).
	c.bus.mu.Lock()
	c.bus.drivers = slices.DeleteFunc(c.bus.drivers, func(o *Driver) bool { return o == drv })
	c.bus.mu.Unlock()
	drv.iters.Wait()
	// 3. driver_detach.
	c.driverDetach(drv, who)
	// 4. Free priv; gone.
	c.free(drv.priv.Load())
	c.setDriverState(drv, DriverUnregistered)
	drv.gone.Store(true)
	c.checkDriverQuiesced(drv)
}

// driverDetach is driver_detach (§5.2 step 3).
func (c *Core) driverDetach(drv *Driver, who owner) {
	// The drain of ef0ff68351be, holding no device lock: it waits for
	// every pending attach job, those with asyncDriver == drv included.
	// H9: no drain here. H9d: the drain sits in __device_release_driver
	// instead (releaseDriver).
	if c.allowsAsync(drv) && c.cfg.Bug != BugH9 && c.cfg.Bug != BugH9d {
		c.asyncSyncFull(who)
	}
	label := taskLabel("Detach", c.rt.Self())
	for {
		c.bus.mu.Lock()
		n := len(drv.boundDevs)
		var d *Device
		if n > 0 {
			d = drv.boundDevs[n-1]
			c.get(d, label, who)
		}
		c.bus.mu.Unlock()
		if d == nil {
			return
		}
		c.rt.Yield("Y-ITER")
		c.lockWithParent(d)
		if d.driver.Load() == drv {
			c.releaseDriver(d, who)
		}
		c.unlockWithParent(d)
		c.put(d, label, who)
	}
}

// checkDriverQuiesced is UNREGISTER-QUIESCES-DRIVER at the return of
// DriverUnregister.
func (c *Core) checkDriverQuiesced(drv *Driver) {
	c.bus.mu.Lock()
	n := len(drv.boundDevs)
	c.bus.mu.Unlock()
	if n > 0 {
		c.fail(InvUnregisterQuiesces, "driver %s unregistered with %d bound devices", drv.Name, n)
	}
	for _, d := range c.devices.all() {
		if d.asyncDriver.Load() == drv {
			c.fail(InvUnregisterQuiesces, "driver %s unregistered while %s has it as asyncDriver", drv.Name, d.handle)
		}
	}
}
