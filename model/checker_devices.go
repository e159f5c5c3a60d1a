package model

// The Checker's DeviceAdd and DeviceDel rules (§4, §5; §15 ADD-ONCE,
// DEL-ONCE, ADD-ERROR-NEUTRAL, DEL-QUIESCES-DEVICE): each is entered once
// per device, the phase moves Initialized → Adding → Registered → Deleted
// or Adding → AddFailed, a failed add leaves the device as it found it,
// and DeviceDel returns with the device unbound, off the deferred lists,
// with no devres entry older than the del and every successful probe
// paired with its remove.

// checkDevice checks an event of a DeviceAdd or DeviceDel: EvPhase,
// EvBusLink, EvKill, EvAddEnter, EvAddReturn, EvDelEnter or EvDelReturn.
func (c *Checker) checkDevice(ev Event) *InvariantError {
	if ev.Kind == EvAddReturn {
		if v := c.addFaultReturn(ev); v != nil {
			return v
		}
		return c.addReturn(ev)
	}
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	switch ev.Kind {
	case EvPhase:
		return c.phase(d, ev)
	case EvBusLink:
		d.onBus = ev.Flag
	case EvKill:
		if d.dead {
			return violation(invDelOnce, "%s killed twice", ev.Device)
		}
		if d.phase != Registered {
			// Kill is DeviceDel's first step or a kill gate's win, and
			// both happen only to a Registered device (§4.2, §4.3): a
			// device whose add failed or still runs is never deleted.
			return violation(invDelOnce, "%s killed while %s: only a Registered device is deleted (§4.2, §4.3)", ev.Device, d.phase)
		}
		d.dead = true
	case EvAddEnter:
		if d.addEntered || d.delEntered {
			return violation(InvAddOnce, "DeviceAdd(%s) entered again", ev.Device)
		}
		d.addEntered = true
		c.addEnter(ev)
		c.pathAStarts(ev.Device)
	case EvDelEnter:
		if d.delEntered {
			return violation(invDelOnce, "DeviceDel(%s) entered twice", ev.Device)
		}
		d.delEntered = true
	case EvDelReturn:
		return c.delReturn(d, ev)
	}
	return nil
}

// phase moves d to phase ev.Phase, which must follow its current phase;
// a bad move to Deleted is DEL-ONCE, any other ADD-ONCE.
func (c *Checker) phase(d *cdev, ev Event) *InvariantError {
	from, to := d.phase, ev.Phase
	ok := (from == Initialized && to == Adding) ||
		(from == Adding && (to == Registered || to == AddFailed)) ||
		(from == Registered && to == Deleted)
	if !ok {
		inv := InvAddOnce
		if to == Deleted {
			inv = invDelOnce
		}
		return violation(inv, "%s goes from %s to %s", ev.Device, from, to)
	}
	d.phase = to
	return nil
}

// addReturn records the return of DeviceAdd(ev.Device) with ev.Err; a failed
// add must leave no AddTransient, no ParentOf on the parent, the Owner
// reference in place, and the device off the bus, unbound and off the
// deferred lists.
func (c *Checker) addReturn(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	d.addDone, d.addErr = true, ev.Err
	if ev.Err == nil {
		return nil
	}
	has := func(dev *cdev, label string) bool { return dev.holder(label) >= 0 }
	switch {
	case has(d, LabelAddTransient):
		return violation(InvAddErrorNeutral, "failed add of %s kept AddTransient", ev.Device)
	case d.parent != "" && c.devs[d.parent] != nil && has(c.devs[d.parent], parentOfLabel(ev.Device)):
		return violation(InvAddErrorNeutral, "failed add of %s kept ParentOf on %s", ev.Device, d.parent)
	case !has(d, LabelOwner):
		return violation(InvAddErrorNeutral, "failed add of %s dropped Owner", ev.Device)
	case d.onBus || d.bound || d.driver != "" || c.lists[ev.Device] != offLists:
		return violation(InvAddErrorNeutral, "failed add of %s left it on the bus, bound or deferred", ev.Device)
	}
	return nil
}

// delReturn checks the return of DeviceDel(ev.Device) on d: unbound, not
// probing, off the deferred lists, no devres entry added before the del,
// and no successful probe of it still awaiting its remove.
func (c *Checker) delReturn(d *cdev, ev Event) *InvariantError {
	if d.bound || d.driver != "" || d.probing != "" || c.lists[ev.Device] != offLists {
		return violation(invDelQuiesces, "DeviceDel(%s) returns with it bound or deferred", ev.Device)
	}
	for _, r := range d.devres {
		if !r.afterDel {
			return violation(invDevresScope, "DeviceDel(%s) returns with a devres entry added before it", ev.Device)
		}
	}
	for _, k := range c.openPairs() {
		if k.dev == ev.Device {
			return violation(invProbeRemovePairing, "DeviceDel(%s) returns before %s's remove", ev.Device, k.drv)
		}
	}
	return nil
}
