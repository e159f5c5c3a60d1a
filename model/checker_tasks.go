package model

// The Checker's view of contexts and their program calls (§3, §14.1):
// each context ("T<n>", "A<e>", "W", "TD") has the program call it runs,
// the driver callbacks nested in it, the DeviceAdd calls in progress and
// the faults hit in it. A call's return is checked against what ran in it
// (ERROR-PROPAGATES: checker_faults.go; MODULE-LOAD-WAITS:
// checker_async.go).

// ctask is what the Checker knows of one context.
type ctask struct {
	op        Op       // the program call in progress, nil for none
	callbacks int      // nesting of Probe/Remove callbacks running in this context
	probing   []string // devices whose Probe callback runs in this context, innermost last
	binding   string   // device bound here whose deferred-probe trigger is owed
	adds      []caddFrame
	// An F-PROBE-* hit whose probe attempt has not ended, and the callback
	// depth it was hit at.
	probeFault      string
	probeFaultDepth int
	// Faults and adds of the program call op: an F-DRV-* or F-PROBE-* hit
	// at its top level, and the error of its outermost DeviceAdd.
	callFault string
	addRan    bool
	addErr    error
	// probedAt holds, for each device whose Probe started in this context
	// and returned nothing but a deferral since, the triggerCount when it
	// started: the attempt's own snapshot (§7.1 step 1) was read before.
	probedAt map[string]int
	// recheck is open from a deferral from driver_probe_device in this
	// context to the context's next event: the re-check's trigger, if
	// any (§7.1 step 3). recheckTC is the deferral's snapshot, and
	// recheckUnblocked whether deferAllProbes was clear at some point of
	// the window.
	recheck, recheckUnblocked bool
	recheckTC                 int
	// last is the index of the context's last accepted event (0 before
	// any: a context with no event yet may have done anything since it
	// started).
	last int
}

// task returns the Checker's record of context t, creating an idle one on
// first use.
func (c *Checker) task(t string) *ctask {
	k := c.tasks[t]
	if k == nil {
		k = &ctask{}
		c.tasks[t] = k
	}
	return k
}

// manual returns the manual operation (Bind, Unbind, Reprobe) task k is in,
// outside any driver callback, or "".
func (c *Checker) manual(k *ctask) string {
	if k.callbacks > 0 || k.op == nil {
		return ""
	}
	switch k.op.(type) {
	case Bind:
		return "Bind"
	case Unbind:
		return "Unbind"
	case Reprobe:
		return "Reprobe"
	}
	return ""
}

// checkCall checks EvCall (program call ev.Op starts in ev.Task) or
// EvReturn (it returns ev.Result).
func (c *Checker) checkCall(ev Event) *InvariantError {
	k := c.task(ev.Task)
	if ev.Kind == EvReturn {
		return c.apiReturn(k, ev)
	}
	k.op, k.callFault, k.addRan, k.addErr = ev.Op, "", false, nil
	if op, ok := ev.Op.(Reprobe); ok {
		c.pathAStarts(op.Device)
	}
	return nil
}

// apiReturn ends the program call of context k and checks its result
// against the faults, adds and async entries that ran for it.
func (c *Checker) apiReturn(k *ctask, ev Event) *InvariantError {
	k.op, k.probedAt = nil, nil
	if v := c.callErrors(k, ev.Op, ev.Result); v != nil {
		return v
	}
	if op, ok := ev.Op.(ModuleLoad); ok {
		return c.moduleLoadReturn(op, ev.Result.Err)
	}
	return nil
}
