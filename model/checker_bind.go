package model

import (
	"errors"
	"fmt"
	"sort"
)

// The probe, bind and remove rules (§7, §15 BIND-ONLY-LIVE, SINGLE-DRIVER,
// PROBE-REMOVE-PAIRING, OUTCOME-MAPPING): a device is probed only while
// registered and alive, by a driver whose unregistration has not returned,
// with at most one Probe or Remove running and no driver bound; it binds
// only to the driver whose Probe of it just returned nil; and each
// successful probe is paired with one later Remove.

// checkBinding checks an event of the binding family: EvProbeStart,
// EvProbeReturn, EvBound, EvUnbound, EvRemoveStart or EvRemoveReturn.
func (c *Checker) checkBinding(ev Event) *InvariantError {
	if ev.Kind == EvBound {
		return c.bound(ev)
	}
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	switch ev.Kind {
	case EvProbeStart:
		return c.probeStart(d, ev)
	case EvProbeReturn:
		return c.probeReturn(d, ev)
	case EvUnbound:
		return c.unbound(d, ev)
	case EvRemoveStart:
		return c.removeStart(d, ev)
	case EvRemoveReturn:
		d.removing, d.removeDue = "", ""
		c.task(ev.Task).callbacks--
	}
	return nil
}

// probeStart records that ev.Task calls ev.Driver's Probe of d.
func (c *Checker) probeStart(d *cdev, ev Event) *InvariantError {
	dr := c.drv(ev.Driver)
	switch {
	case d.phase != Registered || d.dead:
		return violation(invBindOnlyLive, "probe of %s (phase %s, dead %v) by %s", ev.Device, d.phase, d.dead, ev.Driver)
	case dr.state == Unregistered:
		return violation(invBindOnlyLive, "probe of %s by %s after its unregistration returned", ev.Device, ev.Driver)
	case d.probing != "" || d.removing != "" || d.bound:
		return violation(InvSingleDriver, "probe of %s by %s while %q probes, %q removes, bound to %q",
			ev.Device, ev.Driver, d.probing, d.removing, d.driver)
	}
	d.probing, d.canMatch = ev.Driver, true
	k := c.task(ev.Task)
	k.callbacks++
	k.probing = append(k.probing, ev.Device)
	if k.probedAt == nil {
		k.probedAt = map[string]int{}
	}
	k.probedAt[ev.Device] = c.trigger
	return nil
}

// probeReturn records that ev.Driver's Probe of d returned ev.Err; a nil
// return makes ev.Driver the only driver d may bind to next and owes a
// Remove.
func (c *Checker) probeReturn(d *cdev, ev Event) *InvariantError {
	if d.probing != ev.Driver {
		return violation(InvSingleDriver, "probe of %s by %s returns, but %q was probing", ev.Device, ev.Driver, d.probing)
	}
	d.probing = ""
	k := c.task(ev.Task)
	k.callbacks--
	k.probing = removeString(k.probing, ev.Device)
	if !errors.Is(ev.Err, ErrProbeDefer) {
		delete(k.probedAt, ev.Device) // no deferral follows
	}
	d.lastOK = ""
	if ev.Err == nil {
		d.lastOK, d.removeDue = ev.Driver, ev.Driver
		c.pairs[pairKey{ev.Device, ev.Driver}]++
	}
	return nil
}

// bound records that ev.Device binds to ev.Driver, which must be live and the
// driver whose Probe of it just returned nil (and not refused by an
// injected fault); ev.Task then owes the deferred-probe trigger.
func (c *Checker) bound(ev Event) *InvariantError {
	if _, v := c.probeAttemptEnds(ev, true); v != nil {
		return v
	}
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	dr := c.drv(ev.Driver)
	switch {
	case d.dead || d.phase != Registered:
		return violation(invBindOnlyLive, "%s bound to %s while dead or %s", ev.Device, ev.Driver, d.phase)
	case dr.state == Unregistered:
		return violation(invBindOnlyLive, "%s bound to %s after its unregistration returned", ev.Device, ev.Driver)
	case d.bound:
		return violation(InvSingleDriver, "%s bound to %s while bound to %s", ev.Device, ev.Driver, d.driver)
	case d.lastOK != ev.Driver:
		return violation(InvOutcomeMapping, "%s bound to %s without a successful probe", ev.Device, ev.Driver)
	}
	d.bound, d.driver, d.lastOK = true, ev.Driver, ""
	dr.bound = append(dr.bound, ev.Device)
	c.task(ev.Task).binding = ev.Device
	return nil
}

// unbound records that d loses its driver (an unbind, a failed probe or a
// refusal after the driver was set); no probe-time devres entry may be
// left.
func (c *Checker) unbound(d *cdev, ev Event) *InvariantError {
	if faulted, _ := c.probeAttemptEnds(ev, false); faulted != "" || d.bound {
		d.stale = true // DEFER-PROGRESS: a fault refused its attempt, or an unbind
	}
	for _, r := range d.devres {
		if r.probeTime {
			return violation(invDevresScope, "%s loses its driver with a probe-time devres entry left", ev.Device)
		}
	}
	if d.bound {
		dr := c.drv(d.driver)
		dr.bound = removeString(dr.bound, ev.Device)
	}
	d.bound, d.driver = false, ""
	return nil
}

// removeStart records that ev.Task calls ev.Driver's Remove of d, which must
// pair with a successful probe, overlap no Probe or Remove of d, and come
// before the driver's unregistration returns.
func (c *Checker) removeStart(d *cdev, ev Event) *InvariantError {
	k := pairKey{ev.Device, ev.Driver}
	if c.pairs[k] == 0 {
		return violation(invProbeRemovePairing, "Remove(%s, %s) without a successful probe to pair with", ev.Device, ev.Driver)
	}
	if d.probing != "" || d.removing != "" {
		return violation(InvSingleDriver, "Remove(%s, %s) overlaps a probe or remove", ev.Device, ev.Driver)
	}
	if c.drv(ev.Driver).state == Unregistered {
		return violation(invUnregisterQuiesces, "Remove(%s, %s) after the driver's unregistration returned", ev.Device, ev.Driver)
	}
	c.pairs[k]--
	d.removing = ev.Driver
	c.task(ev.Task).callbacks++
	return nil
}

// unpairedProbes evaluates PROBE-REMOVE-PAIRING at Q2, by device then
// driver: no successful probe is left without its remove.
func (c *Checker) unpairedProbes() []Violation {
	var out []Violation
	for _, k := range c.openPairs() {
		out = append(out, Violation{invProbeRemovePairing, k.dev + "/" + k.drv, "successful probe without its remove"})
	}
	return out
}

// openPairs returns the (device, driver) pairs with a successful probe
// still waiting for its remove, by device then driver, so that a
// violation names the same pair whatever the map's order.
func (c *Checker) openPairs() []pairKey {
	keys := make([]pairKey, 0, len(c.pairs))
	for k, n := range c.pairs {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].dev < keys[j].dev || keys[i].dev == keys[j].dev && keys[i].drv < keys[j].drv
	})
	return keys
}

// A successful bind is complete only with its deferred-probe trigger
// (§7.2 step 6, §7.3 row "Probe → nil": bound, off the deferred lists,
// triggerCount++, work queued; §8 "any successful bind re-kicks every
// deferred device"). After EvBound the binding context owes a trigger: it
// may take the device off the deferred lists, and its next other event
// must be EvTrigger. Anything else first (its next probe, bind, API
// return, the end of its async entry) is an OUTCOME-MAPPING violation, as
// is a trigger still owed at Q1. Once the bind completes the device must
// be on neither deferred list (DEFER-LIST-EXCLUSIVE): no later event can
// put a bound device back on one (EvDeferredAdd rejects it), so a device left
// on a list by its bind is caught here, at the step the bind completes.

// owedTrigger checks event ev of a context that may owe a trigger, and
// completes the bind when ev is that trigger.
func (c *Checker) owedTrigger(ev Event) *InvariantError {
	k := c.task(ev.Task)
	h := k.binding
	switch {
	case h == "":
		return nil
	case ev.Kind == EvDeferredRemove && ev.Device == h:
		return nil
	case ev.Kind != EvTrigger:
		return violation(InvOutcomeMapping, "%s bound %s, then %s before its deferred-probe trigger", ev.Task, h, ev.Kind)
	}
	k.binding = ""
	if c.lists[h] != offLists {
		return violation(invDeferListExclusive, "%s's bind completes with it on %s", h, c.lists[h])
	}
	return nil
}

// owedTriggers reports, in context order, every bind whose trigger is
// still owed at a quiescent point.
func (c *Checker) owedTriggers() []Violation {
	var out []Violation
	for _, t := range sortedKeys(c.tasks) {
		if h := c.tasks[t].binding; h != "" {
			out = append(out, Violation{InvOutcomeMapping, h, fmt.Sprintf("bound by %s, which never triggered deferred probing", t)})
		}
	}
	return out
}
