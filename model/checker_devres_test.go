package model_test

import (
	"github.com/devstress/devstress/model"
	"testing"
)

func devresRelease(dev, label string) model.Event {
	return model.Event{Kind: model.EvDevresRelease, Device: dev, Label: label}
}

// Release order is LIFO within the entries a release covers (§10.2): all
// of them at DeviceDel, the probe-time ones at unbind.
func TestCheckerDevresLIFO(t *testing.T) {
	base := func() *seq {
		s := newSeq(t)
		s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
		return s.ok(devresAdd("d#1", "r1", false), devresAdd("d#1", "r2", false))
	}
	base().ok(devresRelease("d#1", "r2"), devresRelease("d#1", "r1"))
	base().bad("DEVRES-SCOPE", devresRelease("d#1", "r1"))
	base().bad("DEVRES-SCOPE", devresRelease("d#1", "r3"))
	base().ok(devresRelease("d#1", "r2"), devresRelease("d#1", "r1")).bad("DEVRES-SCOPE", devresRelease("d#1", "r1"))

	// A plain entry, then two probe-time ones: unbind releases p2, p1 and
	// keeps r1; p1 first, or r1 before them, breaks the order.
	bound := func() *seq {
		s := newSeq(t)
		s.ok(ev(model.EvNewDevice, "d#1")).added("d#1").ok(devresAdd("d#1", "r1", false)).bind("d#1", "D")
		return s.ok(devresAdd("d#1", "p1", true), devresAdd("d#1", "p2", true),
			evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D"))
	}
	bound().ok(devresRelease("d#1", "p2"), devresRelease("d#1", "p1"), evd(model.EvUnbound, "d#1", "D"))
	bound().bad("DEVRES-SCOPE", devresRelease("d#1", "p1"))
	bound().bad("DEVRES-SCOPE", devresRelease("d#1", "r1"))
}

// A probe-time entry is released only once its binding is over: after the
// Remove of a bound device (§10.1 step 3) or of a probe that returned nil
// (groups failure, ReprobeAfterProbe), and never while Probe runs.
func TestCheckerDevresProbeTimeScope(t *testing.T) {
	probed := func() *seq {
		s := newSeq(t)
		s.ok(ev(model.EvNewDevice, "d#1")).added("d#1")
		return s.ok(evd(model.EvProbeStart, "d#1", "D"), devresAdd("d#1", "p1", true))
	}
	probed().bad("DEVRES-SCOPE", devresRelease("d#1", "p1"))
	probed().ok(model.Event{Kind: model.EvProbeReturn, Device: "d#1", Driver: "D", Err: model.ErrNXIO}, devresRelease("d#1", "p1"), evd(model.EvUnbound, "d#1", "D"))

	returned := func() *seq {
		return probed().ok(evd(model.EvProbeReturn, "d#1", "D"))
	}
	returned().bad("DEVRES-SCOPE", devresRelease("d#1", "p1"))
	returned().ok(evd(model.EvRemoveStart, "d#1", "D")).bad("DEVRES-SCOPE", devresRelease("d#1", "p1"))
	returned().ok(evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D"), devresRelease("d#1", "p1"), evd(model.EvUnbound, "d#1", "D"))

	bound := func() *seq {
		return returned().ok(evd(model.EvBound, "d#1", "D"), model.Event{Kind: model.EvTrigger})
	}
	bound().bad("DEVRES-SCOPE", devresRelease("d#1", "p1"))
	bound().ok(evd(model.EvRemoveStart, "d#1", "D"), evd(model.EvRemoveReturn, "d#1", "D"), devresRelease("d#1", "p1"), evd(model.EvUnbound, "d#1", "D"))
}
