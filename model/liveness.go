package model

import (
	"fmt"
	"slices"
)

// Violation is a quiescent invariant that does not hold: the invariant's
// name as in the spec (§15), the device or driver concerned, and a
// deterministic explanation.
type Violation struct {
	Invariant string
	Subject   string
	Detail    string
}

func (v Violation) String() string { return v.Invariant + ": " + v.Subject + ": " + v.Detail }

// WouldBind is the dry run of path A on device h used by DEFER-PROGRESS
// (§15): on a copy of the state with no faults injected, path A with
// allowAsync (pass 1), then the attach job it schedules (pass 2), refusals
// included; it reports whether h ends bound. A probe that would wait on a
// closed gate counts as not binding. The state is not changed.
func (s *State) WouldBind(h string) bool {
	d := s.devs[h]
	if d == nil || d.released {
		return false
	}
	dry := s.Clone()
	dry.plan = nil
	dry.frozen = Result{}
	dry.cur = workerCtx
	dry.steps = 0
	bound := false
	func() {
		defer func() {
			if r := recover(); r != nil {
				switch r.(type) {
				case gateWait, brokenPrecondition, livelock:
				default:
					panic(r)
				}
			}
		}()
		first := dry.lastCookie
		dd := dry.devs[h]
		// The dry run asks whether h ends bound, not why a scan stopped.
		_ = dry.pathA(workerCtx, dd, true)
		// Run the entries this dry run scheduled (pass 2 and whatever it
		// started), not the ones queued before it.
		for {
			i := slices.IndexFunc(dry.queue, func(e entry) bool { return e.cookie > first })
			if i < 0 {
				break
			}
			e := dry.queue[i]
			dry.queue = slices.Delete(dry.queue, i, i+1)
			dry.running++
			dry.runEntry(e)
			dry.running--
		}
		bound = dd.bound
	}()
	return bound
}

// LivenessViolations evaluates NO-LOST-TRIGGER and DEFER-PROGRESS (§15) on
// a quiescent state, in Pending order: with probing unblocked, a device on
// Pending whose last deferral came from driver_probe_device must have
// started that attempt at the current triggerCount; and no registered, live,
// unbound device on Pending may bind if probed now.
//
// DEFER-PROGRESS exempts a device for which, since path A last started on
// it, something happened that the spec does not make a
// trigger: a SetOverride on it; an injected fault firing during one of its
// probe attempts (F-PROBE-LINKS refusing it, or an F-DRV-ALLOC failing a
// sub-driver its probe registers), where the fault-free dry run binds; or
// the unregistration of a driver whose match deferral stopped its scan; or
// an unbind of it (manual, or by a driver's unregistration), after which a
// single driver's path B deferral puts it on Pending with no full scan.
// The correct core leaves such a device waiting (as the kernel does), and
// flagging it would be a false alarm.
func (s *State) LivenessViolations() []Violation {
	var out []Violation
	for _, h := range s.pending {
		d := s.devs[h]
		if v, lost := lostTrigger(h, s.deferAll, d.deferFromProbe, d.deferTC, s.triggerCount); lost {
			out = append(out, v)
		}
		if d.phase == Registered && !d.dead && !d.bound && !d.stale && s.WouldBind(h) {
			out = append(out, Violation{InvDeferProgress, h, "on Pending but would bind if probed now"})
		}
	}
	return out
}

// lostTrigger evaluates NO-LOST-TRIGGER (§15) for device h on Pending at a
// quiescent point, for the model and the [Checker] alike: unless probing is
// blocked (deferAll), a device whose last deferral came from
// driver_probe_device (fromProbe), at triggerCount deferTC, must not have
// missed a trigger since (now is the current triggerCount).
func lostTrigger(h string, deferAll, fromProbe bool, deferTC, now int) (Violation, bool) {
	if deferAll || !fromProbe || deferTC == now {
		return Violation{}, false
	}
	return Violation{invNoLostTrigger, h,
		fmt.Sprintf("deferred by a probe started at triggerCount %d, now %d", deferTC, now)}, true
}

// barredFromDeferredLists is DEFER-LIST-EXCLUSIVE's state test (§15) at a
// quiescent point, for the model and the [Checker] alike: a bound, dead or
// AddFailed device is on no deferred list.
func barredFromDeferredLists(bound, dead bool, phase Phase) bool {
	return bound || dead || phase == AddFailed
}

// leakViolation is NO-LEAK (§15) for device h, never released, for the
// model and the [Checker] alike; holders are the labels of the references
// left, held their rendering. A device kept alive only by devres
// references is reported as DEVRES-NO-CYCLE instead.
func leakViolation(h string, holders []string, held string) Violation {
	inv := invNoLeak
	if len(holders) > 0 && allDevres(holders) {
		inv = labelDevresNoCycle
	}
	return Violation{inv, h, "never released; holders " + held}
}

// PairingViolations evaluates PROBE-REMOVE-PAIRING at a quiescent point:
// each (device, driver) pair has exactly one successful probe without its
// remove while the device is bound to that driver, and none otherwise.
func (s *State) PairingViolations() []Violation {
	var out []Violation
	for _, p := range s.ProbeRemoveCounts() {
		d := s.devs[p.Device]
		want := 0
		if d.bound && d.driver == p.Driver {
			want = 1
		}
		if got := p.Successes - p.Removes; got != want {
			out = append(out, Violation{invProbeRemovePairing, p.Device + "/" + p.Driver,
				fmt.Sprintf("%d successful probes, %d removes, bound %v", p.Successes, p.Removes, want == 1)})
		}
	}
	return out
}

// Q1Violations evaluates the checks of the first quiescence checkpoint
// (§14.8) that are properties of the model's own state: NO-LOST-TRIGGER,
// DEFER-PROGRESS, PROBECOUNT-BALANCED, DEFER-LIST-EXCLUSIVE and
// PROBE-REMOVE-PAIRING. State equality with the implementation is the
// harness's comparison of snapshots.
func (s *State) Q1Violations() []Violation {
	out := s.LivenessViolations()
	if s.probeCount != 0 {
		out = append(out, Violation{invProbeCountBalanced, "core", fmt.Sprintf("probeCount %d at quiescence", s.probeCount)})
	}
	seen := map[string]bool{}
	for _, h := range append(slices.Clone(s.pending), s.active...) {
		d := s.devs[h]
		switch {
		case seen[h]:
			out = append(out, Violation{invDeferListExclusive, h, "on a deferred list twice"})
		case barredFromDeferredLists(d.bound, d.dead, d.phase):
			out = append(out, Violation{invDeferListExclusive, h, "bound, dead or AddFailed device on a deferred list"})
		}
		seen[h] = true
	}
	return append(out, s.PairingViolations()...)
}

// Q2Violations evaluates the model-side checks of the final checkpoint
// (§14.8): NO-LEAK (every device released exactly once; a device kept
// alive only by devres references is reported as DEVRES-NO-CYCLE),
// PROBE-REMOVE-PAIRING, and no pending entry or queued deferred work.
func (s *State) Q2Violations() []Violation {
	var out []Violation
	for _, h := range s.Handles() {
		d := s.devs[h]
		if d.released {
			continue
		}
		out = append(out, leakViolation(h, d.holders, fmt.Sprint(d.holders)))
	}
	out = append(out, s.PairingViolations()...)
	if len(s.queue) > 0 || s.workQueued || s.workRunning {
		out = append(out, Violation{invNoLeak, "core", "async entries or deferred work still pending"})
	}
	return out
}

func allDevres(labels []string) bool {
	for _, l := range labels {
		if len(l) < 7 || l[:7] != "Devres(" {
			return false
		}
	}
	return true
}
