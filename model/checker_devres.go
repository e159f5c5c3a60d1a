package model

// The Checker's devres rules (§10, §15 DEVRES-SCOPE). An entry is named by
// its label, so a release names the entry it runs: the release order is
// last-in first-out within the entries a release covers (§10.2), and a
// probe-time entry outlives the binding it belongs to until that binding's
// Remove has returned (§10.1 step 3, §7.2 steps 4-5).

// cdevres is one devres entry the Checker knows of, oldest first on its
// device.
type cdevres struct {
	label     string
	probeTime bool // added while the device had a driver
	afterDel  bool // added after its DeviceDel was entered
}

// checkDevres checks an event of the devres family: EvDevresAdd or
// EvDevresRelease.
func (c *Checker) checkDevres(ev Event) *InvariantError {
	if ev.Kind == EvDevresAdd {
		return c.devresAdd(ev)
	}
	return c.devresRelease(ev)
}

// devresAdd records the entry ev.Label on ev.Device.
func (c *Checker) devresAdd(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	d.devres = append(d.devres, cdevres{label: ev.Label, probeTime: ev.Flag, afterDel: d.delEntered})
	return nil
}

// devresRelease checks the release of entry ev.Label of ev.Device. The entry
// must be on the device and be the latest added entry of its class still
// there: a probe-time entry with no later probe-time entry left (probe
// failure and unbind release only those), any other entry with no later
// entry left. A probe-time entry is not released while a Probe of the
// device runs, nor after a Probe of it returned nil and before the Remove
// that ends that binding returned.
func (c *Checker) devresRelease(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	i := len(d.devres) - 1
	for i >= 0 && d.devres[i].label != ev.Label {
		i--
	}
	if i < 0 {
		return violation(invDevresScope, "devres release of %q on %s, which holds no such entry", ev.Label, ev.Device)
	}
	r := d.devres[i]
	for _, later := range d.devres[i+1:] {
		if later.probeTime || !r.probeTime {
			return violation(invDevresScope, "%s releases %s before %s, added later (release order is LIFO)", ev.Device, r.label, later.label)
		}
	}
	if r.probeTime {
		switch {
		case d.probing != "":
			return violation(invDevresScope, "probe-time %s of %s released while %s's Probe of it runs", r.label, ev.Device, d.probing)
		case d.removeDue != "":
			return violation(invDevresScope, "probe-time %s of %s released before the Remove of %s's binding returned", r.label, ev.Device, d.removeDue)
		}
	}
	d.devres = append(d.devres[:i], d.devres[i+1:]...)
	return nil
}
