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

// The invariant names the core reports. APIPrecondition is not a §15
// invariant: it reports a call the API cannot honour and has no error
// return for (Unregister of a device that was never registered, a nil
// device).
const (
	InvNoUAF              = "NO-UAF"
	InvRefNonneg          = "REF-NONNEG"
	InvRelOnce            = "REL-ONCE"
	InvOwnership          = "OWNERSHIP"
	InvFreeOnlyInRelease  = "FREE-ONLY-IN-RELEASE"
	InvNoLeak             = "NO-LEAK"
	InvDelOnce            = "DEL-ONCE"
	InvBindOnlyLive       = "BIND-ONLY-LIVE"
	InvProbeRemovePairing = "PROBE-REMOVE-PAIRING"
	InvUnregisterQuiesces = "UNREGISTER-QUIESCES-DRIVER"
	InvDelQuiesces        = "DEL-QUIESCES-DEVICE"
	InvDeferListExclusive = "DEFER-LIST-EXCLUSIVE"
	InvNoLostTrigger      = "NO-LOST-TRIGGER"
	InvProbeCountBalanced = "PROBECOUNT-BALANCED"
	InvNoSelfWait         = "NO-SELF-WAIT"
	InvDevresScope        = "DEVRES-SCOPE"
	InvAPIPrecondition    = "API-PRECONDITION"
	// LabelDevresNoCycle prefixes the message of a NO-LEAK violation whose
	// device is kept alive only by devres references (§15 NO-LEAK).
	LabelDevresNoCycle = "DEVRES-NO-CYCLE"
)

// violation builds a Violation stamped with the current step.
func (c *Core) violation(inv, format string, args ...any) *Violation {
	return &Violation{Invariant: inv, Step: c.rt.Step(), Msg: fmt.Sprintf(format, args...)}
}

// fail stops the run with a violation. It does not return.
func (c *Core) fail(inv, format string, args ...any) {
	c.rt.Fail(c.violation(inv, format, args...))
}
