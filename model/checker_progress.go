package model

import (
	"slices"
	"strings"
)

// DEFER-PROGRESS at Q1 (§15) for concurrent runs: no registered, live,
// unbound device on Pending would bind if probed now. The Checker has no
// operation-level state to run the model's path A on, so it dry-runs path
// A itself from its shadow state and the drivers' scripts: both passes, in
// driver registration order, with the stop rules of §6.1 and the refusals
// of §7.1-§7.2. It is conservative: a probe whose outcome its shadow state
// cannot settle (the script waits on a gate, registers a child or a
// sub-driver, or the driver is not in the catalogue) ends the dry run as
// "would not bind", so the rule never fires on a guess.
//
// A device is exempt ("stale") when, since path A last started on it (its
// add, a worker pop, a Reprobe), something happened that the spec does not
// make a trigger, so the correct core leaves it waiting as the kernel
// does: a SetOverride on it; an injected fault during one of its probe
// attempts; an unbind of it while bound (a later path B deferral of a
// single driver puts it on Pending with no full scan); the unregistration
// of a driver (the driver's match deferral or match error may have stopped
// its scan, and a later path B deferral by a single driver puts it on
// Pending with no full scan); and a driver-side scan of an async driver while an
// async attach for another driver is queued on it (path B skips the
// device, §6.2).

// deferProgress evaluates DEFER-PROGRESS, in Pending order.
func (c *Checker) deferProgress() []Violation {
	var out []Violation
	for _, h := range c.pending {
		d := c.devs[h]
		if d.phase == Registered && !d.dead && !d.bound && !d.stale && c.wouldBind(d) {
			out = append(out, Violation{InvDeferProgress, h, "on Pending but would bind if probed now"})
		}
	}
	return out
}

// wouldBind is the dry run of path A with allowAsync on d: pass 1
// (synchronous drivers), then, if it ran to its end having matched an
// async driver, pass 2 (the attach job: async drivers only).
func (c *Checker) wouldBind(d *cdev) bool {
	if c.defAll || len(d.devres) > 0 {
		return false // every probe is refused
	}
	bound, ranToEnd, haveAsync := c.dryScan(d, false)
	if bound || !ranToEnd || !haveAsync {
		return bound
	}
	bound, _, _ = c.dryScan(d, true)
	return bound
}

// dryScan is one pass of the device-side scan over the listed drivers:
// async drivers only (pass 2) or the others (pass 1).
func (c *Checker) dryScan(d *cdev, async bool) (bound, ranToEnd, haveAsync bool) {
	name := deviceName(d.handle)
	for _, drv := range c.order {
		if c.drv(drv).state != DriverRegistered {
			continue
		}
		script, known := c.scripts[drv]
		if !known {
			return false, false, haveAsync
		}
		switch c.dryMatch(script, d, name) {
		case MatchNo:
			continue
		case MatchDefer, MatchError:
			return false, false, haveAsync
		}
		a := c.allowsAsync(script)
		haveAsync = haveAsync || a
		if a != async {
			continue
		}
		switch c.dryProbe(script.probeScript(name)) {
		case dryBound:
			return true, false, haveAsync
		case dryUnknown:
			return false, false, haveAsync
		}
	}
	return false, true, haveAsync
}

// dryMatch is match(drv, d) of §6.0 and §14.2.
func (c *Checker) dryMatch(drv Driver, d *cdev, name string) MatchResult {
	if d.override != "" {
		if d.override == drv.Name {
			return MatchYes
		}
		return MatchNo
	}
	return drv.Match[name]
}

// allowsAsync is allowsAsync(drv) of §1.
func (c *Checker) allowsAsync(drv Driver) bool {
	switch drv.ProbeType {
	case PreferAsync:
		return true
	case ForceSync:
		return false
	}
	return c.modules[drv.Module].AsyncProbe || slices.Contains(c.asyncProbe, drv.Name)
}

type dryOutcome int

const (
	dryFailed  dryOutcome = iota // a driver probe failure: the scan goes on
	dryBound                     // Probe returns nil
	dryUnknown                   // the shadow state cannot settle it
)

// dryProbe is the outcome of a probe script run now, without faults.
func (c *Checker) dryProbe(p ProbeScript) dryOutcome {
	for _, a := range p.Actions {
		switch a.Kind {
		case ActWait, ActRegisterChild, ActDriverRegister:
			return dryUnknown
		}
	}
	switch p.Result.Kind {
	case ProbeOK:
		return dryBound
	case ProbeDeferUntil:
		for _, h := range sortedKeys(c.devs) {
			if o := c.devs[h]; o.bound && deviceName(h) == p.Result.Until {
				return dryBound
			}
		}
	}
	return dryFailed
}

// deviceName is the name in a device handle "<name>#<k>".
func deviceName(h string) string {
	if i := strings.LastIndexByte(h, '#'); i >= 0 {
		return h[:i]
	}
	return h
}

// pathAStarts records that path A starts on h (its add, a worker pop, a
// Reprobe): what happened before no longer exempts it.
func (c *Checker) pathAStarts(h string) {
	if d := c.devs[h]; d != nil {
		d.stale = false
	}
}

// staleAll exempts every device until path A starts on it again (a
// driver's unregistration): the driver may have stopped the device's last
// scan (a match deferral or a match error), and a later deferral by a
// single driver's path B puts the device on Pending with no full scan.
func (c *Checker) staleAll() {
	for _, d := range c.devs {
		d.stale = true
	}
}

// asyncSkips exempts the devices a driver-side scan of an async driver
// may skip: those with an async attach of another driver queued while it
// registers. It runs when a driver starts registering and when an attach
// is queued on a device.
func (c *Checker) asyncSkips() {
	for _, h := range sortedKeys(c.devs) {
		d := c.devs[h]
		if d.asyncDriver == "" {
			continue
		}
		for _, drv := range c.order {
			s, known := c.scripts[drv]
			if drv != d.asyncDriver && c.drv(drv).state == Registering && (!known || c.allowsAsync(s)) {
				d.stale = true
			}
		}
	}
}

// override records d's new driver_override.
func (c *Checker) override(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	d.override, d.stale = ev.Label, true
	return nil
}
