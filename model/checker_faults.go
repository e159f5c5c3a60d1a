package model

import "strings"

// ERROR-PROPAGATES for injected faults (§13, §15): an injected failure
// reaches someone who can act on it. The Checker sees each fault as
// EvFault in the context that hit it, and ties it to the operation that
// context is running:
//
//   - An F-ADD-* hit belongs to the innermost DeviceAdd in progress in its
//     context (a probe may register a child inside an add): that DeviceAdd
//     returns an error. A program DeviceAdd, RegisterSync or
//     NewAndRegister whose own DeviceAdd failed returns an error, and
//     NewAndRegister never returns a handle with an error, nor (nil, nil).
//     (RegisterAsync: the completion carries the add's error, and Wait
//     returns it.)
//   - An F-DRV-ALLOC or F-DRV-GROUPS hit outside driver callbacks during a
//     program DriverRegister or ModuleLoad makes it return an error (a
//     sub-driver a probe registers ignores its error, §14.2).
//   - An F-PROBE-LINKS or F-PROBE-GROUPS hit fails the probe attempt it is
//     in: the context's next bind or unbind at the same callback depth is
//     the unbind that ends the attempt, never a bind. Hit outside driver
//     callbacks during a program Bind, it makes Bind return an error.
//   - F-ASYNC-SYNC has no error: its entry runs inline.

// caddFrame is a DeviceAdd in progress in a context.
type caddFrame struct {
	dev   string
	fault string // the F-ADD-* point hit in it, "" for none
}

// checkErrors checks an event of error propagation: EvFault, or
// EvComplete (a RegisterAsync job completes its completion with ev.Err).
func (c *Checker) checkErrors(ev Event) *InvariantError {
	if ev.Kind == EvFault {
		return c.fault(ev)
	}
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	if !d.addDone || ev.Err != d.addErr { //nolint:errorlint // the very error the add returned, not one wrapping it
		return violation(InvErrorPropagates, "completion of %s carries %s, its add returned %s (returned: %v)",
			ev.Device, errString(ev.Err), errString(d.addErr), d.addDone)
	}
	return nil
}

// fault records the injected fault ev.Label hit in ev.Task.
func (c *Checker) fault(ev Event) *InvariantError {
	k := c.task(ev.Task)
	for _, h := range k.probing {
		c.devs[h].stale = true // DEFER-PROGRESS: its attempt saw a fault
	}
	switch p := ev.Label; {
	case strings.HasPrefix(p, "F-ADD-"):
		n := len(k.adds)
		if n == 0 {
			return violation(InvErrorPropagates, "%s hit in %s outside any DeviceAdd", p, ev.Task)
		}
		k.adds[n-1].fault = p
	case p == FDrvAlloc || p == FDrvGroups:
		switch k.op.(type) {
		case DriverRegister, ModuleLoad:
			if k.callbacks == 0 {
				k.callFault = p
			}
		}
	case p == FProbeLinks || p == FProbeGroups:
		k.probeFault, k.probeFaultDepth = p, k.callbacks
		if _, ok := k.op.(Bind); ok && k.callbacks == 0 {
			k.callFault = p
		}
	}
	return nil
}

// addEnter and addFaultReturn keep the context's stack of DeviceAdd calls.
// A DeviceAdd an F-ADD-* hit fails; the outermost one's error is the
// program call's.

// addEnter pushes DeviceAdd(ev.Device) on ev.Task's stack.
func (c *Checker) addEnter(ev Event) {
	k := c.task(ev.Task)
	k.adds = append(k.adds, caddFrame{dev: ev.Device})
}

// addFaultReturn pops DeviceAdd(ev.Device), which must be the innermost one
// ev.Task runs, and checks its error ev.Err against an F-ADD-* hit in it.
func (c *Checker) addFaultReturn(ev Event) *InvariantError {
	k := c.task(ev.Task)
	n := len(k.adds)
	if n == 0 || k.adds[n-1].dev != ev.Device {
		return violation(InvEvent, "DeviceAdd(%s) returns in %s, which is not running it", ev.Device, ev.Task)
	}
	f := k.adds[n-1]
	k.adds = k.adds[:n-1]
	if f.fault != "" && ev.Err == nil {
		return violation(InvErrorPropagates, "DeviceAdd(%s) returns nil after %s failed it", ev.Device, f.fault)
	}
	if n == 1 && k.op != nil {
		k.addRan, k.addErr = true, ev.Err
	}
	return nil
}

// probeAttemptEnds checks a bind (bound true) or unbind in ev.Task against
// a pending F-PROBE-* hit at the same callback depth: that attempt must
// end unbound. It returns the device whose attempt the fault ended, or "".
func (c *Checker) probeAttemptEnds(ev Event, bound bool) (string, *InvariantError) {
	k := c.task(ev.Task)
	if k.probeFault == "" || k.callbacks != k.probeFaultDepth {
		return "", nil
	}
	p := k.probeFault
	k.probeFault = ""
	if bound {
		return "", violation(InvErrorPropagates, "%s bound to %s after %s failed its probe attempt", ev.Device, ev.Driver, p)
	}
	return ev.Device, nil
}

// callErrors checks the return of the program call op in context k
// against the faults and adds that ran in it.
func (c *Checker) callErrors(k *ctask, op Op, res Result) *InvariantError {
	switch op := op.(type) {
	case NewAndRegister:
		if res.Handle == "" && res.Err == nil {
			return violation(InvErrorPropagates, "NewAndRegister(%q) returned (nil, nil)", op.Name)
		}
		if res.Handle != "" && res.Err != nil {
			return violation(InvErrorPropagates, "NewAndRegister(%q) returned %s with %s", op.Name, res.Handle, errString(res.Err))
		}
	case CompletionWait:
		if d := c.devs[op.Device]; d != nil && d.addDone && res.Err != d.addErr { //nolint:errorlint // the very error the add returned, not one wrapping it
			return violation(InvErrorPropagates, "Wait for %s returned %s, its add returned %s", op.Device, errString(res.Err), errString(d.addErr))
		}
	}
	switch op.(type) {
	case DeviceAdd, RegisterSync, NewAndRegister:
		if k.addRan && k.addErr != nil && res.Err == nil {
			return violation(InvErrorPropagates, "%s returned nil, its DeviceAdd %s", op, errString(k.addErr))
		}
	case DriverRegister, ModuleLoad, Bind:
		if k.callFault != "" && res.Err == nil {
			return violation(InvErrorPropagates, "%s returned nil after %s fired in it", op, k.callFault)
		}
	}
	return nil
}
