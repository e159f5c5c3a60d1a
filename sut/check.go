package sut

import "strings"

// CheckQuiescent checks the Q1 invariants the core can judge alone (§14.8):
// NO-LOST-TRIGGER, PROBECOUNT-BALANCED and DEFER-LIST-EXCLUSIVE. Call it
// when no task runs. It returns nil or a *Violation.
func (c *Core) CheckQuiescent() error {
	if n := c.probeCount.Value(); n != 0 {
		return c.violation(InvProbeCountBalanced, "probeCount is %d at Q1", n)
	}
	if err := c.checkDeferLists(); err != nil {
		return err
	}
	if c.def.deferAll.Load() {
		return nil
	}
	tc := int(c.def.triggerCount.Load())
	for _, d := range c.def.pending {
		if d.lastDeferTC >= 0 && d.lastDeferTC != tc {
			return c.violation(InvNoLostTrigger,
				"%s waits on Pending since an attempt at triggerCount %d; triggerCount is %d", d.handle, d.lastDeferTC, tc)
		}
	}
	return nil
}

// checkDeferLists is DEFER-LIST-EXCLUSIVE: each device on at most one list,
// matching its state, and no bound, dead or AddFailed device on either.
func (c *Core) checkDeferLists() error {
	seen := map[*Device]DeferredList{}
	for _, l := range []struct {
		list DeferredList
		ds   []*Device
	}{{DeferredPending, c.def.pending}, {DeferredActive, c.def.active}} {
		for _, d := range l.ds {
			if other, dup := seen[d]; dup {
				return c.violation(InvDeferListExclusive, "%s is on %s and %s", d.handle, other, l.list)
			}
			seen[d] = l.list
			switch {
			case d.deferred != l.list:
				return c.violation(InvDeferListExclusive, "%s is on %s but marked %s", d.handle, l.list, d.deferred)
			case d.bound.Load(), d.dead.Load(), d.phaseNow() == PhaseAddFailed:
				return c.violation(InvDeferListExclusive, "%s is on %s while bound %v, dead %v, %s",
					d.handle, l.list, d.bound.Load(), d.dead.Load(), d.phaseNow())
			}
		}
	}
	return nil
}

// CheckTeardown checks the Q2 invariants (§14.8): every device released
// exactly once (NO-LEAK, labelled DEVRES-NO-CYCLE when only devres keeps it
// alive; REL-ONCE), every object freed, every successful probe removed
// (PROBE-REMOVE-PAIRING), no async entry pending and no deferred work
// queued. Call it when no task runs. It returns nil or a *Violation.
func (c *Core) CheckTeardown() error {
	for _, d := range c.devices.all() {
		switch n := d.releases.Load(); {
		case n > 1:
			return c.violation(InvRelOnce, "%s was released %d times", d.handle, n)
		case n == 0:
			labels := d.labels()
			if devresOnly(labels) {
				return c.violation(InvNoLeak, "%s: %s is kept alive by devres only (holders: %s)",
					LabelDevresNoCycle, d.handle, strings.Join(labels, ", "))
			}
			return c.violation(InvNoLeak, "%s was never released (holders: %s)", d.handle, strings.Join(labels, ", "))
		}
		if d.probes != d.removes {
			return c.violation(InvProbeRemovePairing, "%s: %d successful probes, %d removes", d.handle, d.probes, d.removes)
		}
	}
	for _, o := range c.objects.all() {
		if !o.freed.Load() {
			return c.violation(InvNoLeak, "%s was never freed", o.what())
		}
	}
	if n := c.async.full.Value() + c.async.reg.pending.Value(); n > 0 {
		return c.violation(InvNoLeak, "%d async entries still pending", n)
	}
	if c.def.work.Value() > 0 || len(c.def.active) > 0 {
		return c.violation(InvNoLeak, "deferred work still queued (%d on Active)", len(c.def.active))
	}
	return nil
}

// devresOnly reports whether every label is a devres reference.
func devresOnly(labels []string) bool {
	for _, l := range labels {
		if !strings.HasPrefix(l, "Devres(") {
			return false
		}
	}
	return len(labels) > 0
}
