package model

import "fmt"

// The Checker's deferred-probe list rules (§7.1, §8, §15
// DEFER-LIST-EXCLUSIVE, MANUAL-SYNC, NO-LOST-TRIGGER, OUTCOME-MAPPING): a
// device is on at most one of Pending and Active, is added to Pending only
// while adding or registered, alive and unbound, once a driver reached it
// (canMatch), and never by a manual Bind; a deferral from a probe reports
// the trigger count read before its Probe started; the worker pops
// Active's head. A trigger splices Pending onto Active. At Q1, no device
// on Pending is bound, dead or AddFailed, and none lost its trigger.

// deferList is the deferred-probe list a device is on, as the checker
// shadows it (§8).
type deferList int

// The lists; offLists is none.
const (
	offLists deferList = iota
	onPending
	onActive
)

// String names the list as the spec does: "Pending", "Active" or "no
// list".
func (l deferList) String() string {
	switch l {
	case onPending:
		return "Pending"
	case onActive:
		return "Active"
	}
	return "no list"
}

// checkDeferred checks an event of the deferred-probe family: EvDeferredAdd,
// EvDeferredRefused, EvDeferredRemove, EvTrigger, EvDeferredPop or
// EvDeferAll.
func (c *Checker) checkDeferred(ev Event) *InvariantError {
	switch ev.Kind {
	case EvDeferredAdd, EvDeferredRefused:
		if c.manual(c.task(ev.Task)) == "Bind" {
			return violation(InvManualSync, "Bind called deferred_add(%s)", ev.Device)
		}
		if v := c.snapshotInTime(ev); v != nil {
			return v
		}
		if d := c.devs[ev.Device]; d != nil && (!ev.Flag || d.phase == Registered) {
			if !ev.Flag && d.unjustified && c.task(ev.Task).last < d.appendedAt {
				// This match stored canMatch before its deferral event,
				// and after the context's previous event: maybe before
				// the append.
				d.unjustified = false
			}
			d.canMatch = true // a match deferral, or an attempt past §7.1 step 2
		}
		if ev.Kind == EvDeferredRefused {
			return nil
		}
		return c.deferAdd(ev)
	case EvDeferredRemove:
		c.unlist(ev.Device)
	case EvTrigger:
		c.trigger++
		for _, h := range c.pending {
			c.lists[h] = onActive
		}
		c.active = append(c.active, c.pending...)
		c.pending = nil
	case EvDeferredPop:
		if len(c.active) == 0 || c.active[0] != ev.Device {
			return violation(invDeferListExclusive, "worker popped %s, Active is %v", ev.Device, c.active)
		}
		c.unlist(ev.Device)
		c.pathAStarts(ev.Device)
	case EvDeferAll:
		c.defAll = ev.Flag
	}
	return nil
}

// triggerCause checks that a trigger has a cause (§8 Rules: retries
// happen only after a successful bind, or on UnblockProbing; §7.1 step 3
// and §7.3: the re-check after a deferral triggers when triggerCount moved
// and ¬deferAllProbes; a defer-all deferral is not re-triggered): the bind
// its context owes a trigger (owedTrigger then pays it), an UnblockProbing
// call, or the re-check
// of the deferral that is the context's previous event. The re-check reads
// triggerCount and deferAllProbes at a moment between the two events: a
// trigger whose count before it (ev.Count-1) is still the deferral's
// snapshot had not moved, and one when deferAllProbes was set throughout
// the window was blocked. It also keeps each context's re-check window.
func (c *Checker) triggerCause(ev Event) *InvariantError {
	k := c.task(ev.Task)
	open := k.recheck
	k.recheck = false
	switch ev.Kind {
	case EvDeferredAdd, EvDeferredRefused:
		if ev.Flag {
			k.recheck, k.recheckTC, k.recheckUnblocked = true, ev.Count, !c.defAll
		}
		return nil
	case EvDeferAll:
		if !ev.Flag {
			for _, t := range c.tasks {
				t.recheckUnblocked = true
			}
		}
		return nil
	case EvTrigger:
	default:
		return nil
	}
	if _, unblocking := k.op.(UnblockProbing); k.binding != "" || (unblocking && k.callbacks == 0) {
		return nil
	}
	switch {
	case !open:
		return violation(InvOutcomeMapping, "%s triggers deferred probing with no cause: no bind of its own, no UnblockProbing, no deferral to re-check (§8)", ev.Task)
	case ev.Count-1 == k.recheckTC:
		return violation(InvOutcomeMapping, "%s re-triggers after a deferral though triggerCount is still its snapshot %d (§7.1 step 3)", ev.Task, k.recheckTC)
	case !k.recheckUnblocked:
		return violation(InvOutcomeMapping, "%s re-triggers after a deferral while probing is blocked (§7.3 defer-all: Pending, no re-trigger)", ev.Task)
	}
	return nil
}

// deferAdd records that ev.Device joins Pending, deferred from
// driver_probe_device (ev.Flag) at triggerCount ev.Count.
func (c *Checker) deferAdd(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	switch {
	case c.lists[ev.Device] != offLists:
		return violation(invDeferListExclusive, "%s added to Pending while on a deferred list", ev.Device)
	case d.bound || d.dead || (d.phase != Adding && d.phase != Registered):
		return violation(invDeferListExclusive, "%s added to Pending while bound, dead or %s", ev.Device, d.phase)
	case !d.canMatch:
		// A match deferral stores canMatch before its event, so one
		// in flight in another context may justify the append by an event
		// still to come; a device no such event explains by Q1 is
		// OUTCOME-MAPPING (unjustifiedAppends).
		d.unjustified, d.appendedAt = true, c.n
	}
	c.lists[ev.Device] = onPending
	c.pending = append(c.pending, ev.Device)
	d.deferFromProbe, d.deferTC = ev.Flag, ev.Count
	return nil
}

// snapshotInTime checks the triggerCount a deferral from
// driver_probe_device reports (ev.Flag, ev.Count) against the count when
// the attempt's Probe of ev.Device started in the same context: the
// attempt reads it first (§7.1 step 1), so it cannot be later. A later one
// was read after a trigger that happened during the probe, which the
// re-check then misses, and the device waits on Pending for a trigger that
// already came (NO-LOST-TRIGGER).
func (c *Checker) snapshotInTime(ev Event) *InvariantError {
	if !ev.Flag {
		return nil
	}
	k := c.task(ev.Task)
	at, probed := k.probedAt[ev.Device]
	delete(k.probedAt, ev.Device)
	if probed && ev.Count > at {
		return violation(invNoLostTrigger, "%s deferred with triggerCount %d, read after its Probe started at %d (§7.1 step 1)",
			ev.Device, ev.Count, at)
	}
	return nil
}

// unjustifiedAppends reports, at a quiescent point, every device appended
// to Pending before any driver reached it (§7.1, §7.3: a not-ready
// refusal leaves it off Pending unless canMatch is already set) that no
// match deferral in flight at the time has explained since.
func (c *Checker) unjustifiedAppends() []Violation {
	var out []Violation
	for _, h := range sortedKeys(c.devs) {
		if d := c.devs[h]; d.unjustified {
			out = append(out, Violation{InvOutcomeMapping, h, fmt.Sprintf("added to Pending at event %d while %s, before any driver reached it: a not-ready refusal leaves it off (§7.1, §7.3)", d.appendedAt+1, Adding)})
		}
	}
	return out
}

// unlist takes h off whichever deferred list it is on, if any.
func (c *Checker) unlist(h string) {
	c.pending = removeString(c.pending, h)
	c.active = removeString(c.active, h)
	delete(c.lists, h)
}

// pendingViolations evaluates NO-LOST-TRIGGER and DEFER-LIST-EXCLUSIVE on
// Pending at a quiescent point, in Pending order.
func (c *Checker) pendingViolations() []Violation {
	var out []Violation
	for _, h := range c.pending {
		d := c.devs[h]
		if v, lost := lostTrigger(h, c.defAll, d.deferFromProbe, d.deferTC, c.trigger); lost {
			out = append(out, v)
		}
		if barredFromDeferredLists(d.bound, d.dead, d.phase) {
			out = append(out, Violation{invDeferListExclusive, h, "bound, dead or AddFailed device on Pending"})
		}
	}
	return out
}
