package sut

import "fmt"

// Violation is a broken invariant of spec §15, reported with rt.Fail at the
// step it happens, or returned by CheckQuiescent and CheckTeardown. Its
// message is deterministic: handles, labels, tasks and steps, never pointers
// or times.
type Violation struct {
	Invariant string // the spec's name: NO-UAF, OWNERSHIP, DEL-ONCE, ...
	Step      int    // rt.Step() when detected (0 under the free runtime)
	Msg       string
}

func (v *Violation) Error() string {
	return fmt.Sprintf("%s at step %d: %s", v.Invariant, v.Step, v.Msg)
}

// The invariant names the core reports, one constant each. A constant's
// doc comment states the invariant in the form "Name (§N, when): what
// holds." with when as in spec §15 (S: at every step, Q1/Q2: at the
// quiescent points, at return: when the named call returns); it is the
// text properties.Describe returns and a failure's report prints, which
// go generate ./properties copies from here.

// InvNoUAF (§15, S): after the release or free of an object (a device, a
// driver's priv, an override string, module code) nothing touches it or
// reads its fields.
const InvNoUAF = "NO-UAF"

// InvRefNonneg (§15, S): a reference count never goes below 0; a put at 0
// is a double put.
const InvRefNonneg = "REF-NONNEG"

// InvRelOnce (§15, S, Q2): release runs only when the count goes 1→0, at
// most once per device, and at Q2 exactly once.
const InvRelOnce = "REL-ONCE"

// InvOwnership (§15, S): the count equals the number of held labels, and
// every put is charged to a label the putting context owns.
const InvOwnership = "OWNERSHIP"

// InvFreeOnlyInRelease (§15, S): a device is freed only by its release
// callback, never by a raw free, even at count 1, after a failed add or
// after Unregister.
const InvFreeOnlyInRelease = "FREE-ONLY-IN-RELEASE"

// InvNoLeak (§15, Q2): every device was released exactly once and every
// ledger resource and driver priv freed.
const InvNoLeak = "NO-LEAK"

// LabelDevresNoCycle (§15, Q2): no device is kept alive only by devres
// entries holding references to it, directly or through other devices'
// devres; the core reports it under NO-LEAK, with this label first in the
// message.
const LabelDevresNoCycle = "DEVRES-NO-CYCLE"

// InvDelOnce (§15, S): DeviceDel is entered at most once per device, dead
// goes false→true at most once, and both happen only to a Registered
// device (§4.2, §4.3).
const InvDelOnce = "DEL-ONCE"

// InvBindOnlyLive (§15, S): a probe starts only on a registered, live
// device for a driver that is not gone; no bind completes otherwise.
const InvBindOnlyLive = "BIND-ONLY-LIVE"

// InvProbeRemovePairing (§15, S, Q2): Remove follows only a successful
// Probe, once per success, and every success has its Remove when the
// device's deletion or the driver's unregistration returns.
const InvProbeRemovePairing = "PROBE-REMOVE-PAIRING"

// InvUnregisterQuiesces (§15, S, at return): when DriverUnregister
// returns, the driver has no bound device and no pending async attach, and
// it is never called into again.
const InvUnregisterQuiesces = "UNREGISTER-QUIESCES-DRIVER"

// InvDelQuiesces (§15, S, at return): when DeviceDel returns, the device
// is unbound and on no deferred list.
const InvDelQuiesces = "DEL-QUIESCES-DEVICE"

// InvDeferListExclusive (§15, S, Q1): a device is on at most one of
// Pending and Active, and a bound, dead or failed device on neither.
const InvDeferListExclusive = "DEFER-LIST-EXCLUSIVE"

// InvNoLostTrigger (§15, Q1): with probing unblocked, every device left on
// Pending by a probe deferral started that attempt at the current trigger
// count; a deferral whose trigger count was read after its probe started
// (§7.1 step 1) is reported at its step.
const InvNoLostTrigger = "NO-LOST-TRIGGER"

// InvProbeCountBalanced (§15, S, Q1): probeCount equals the tasks inside
// driver_probe_device, and is 0 at Q1.
const InvProbeCountBalanced = "PROBECOUNT-BALANCED"

// InvNoSelfWait (§15, S): no task waits for a drain that covers itself,
// for probeCount 0 from inside a probe, or for a drain while holding a
// lock a pending entry it covers needs.
const InvNoSelfWait = "NO-SELF-WAIT"

// InvDevresScope (§15, S): a device neither probing nor bound holds no
// probe-time devres entry, and none added before its deletion's devres
// step remains when DeviceDel returns.
const InvDevresScope = "DEVRES-SCOPE"

// InvAPIPrecondition (§14.4): the program called the core in a way the
// API cannot honour and has no error return for (Unregister of a device
// that was never registered, a nil device); it is not a §15 invariant.
const InvAPIPrecondition = "API-PRECONDITION"

// violation builds a Violation stamped with the current step.
func (c *Core) violation(inv, format string, args ...any) *Violation {
	return &Violation{Invariant: inv, Step: c.rt.Step(), Msg: fmt.Sprintf(format, args...)}
}

// fail stops the run with a violation. It does not return.
func (c *Core) fail(inv, format string, args ...any) {
	c.rt.Fail(c.violation(inv, format, args...))
}
