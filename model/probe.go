package model

import "errors"

// probeKind classifies a probe attempt's typed result (§0, §7.3).
type probeKind int

const (
	probeBound   probeKind = iota // the device is bound to the driver
	probeRefused                  // a core gate or step failed
	probeFailed                   // the driver's Probe returned an error
)

type probeOutcome struct {
	kind probeKind
	err  error
}

func (o probeOutcome) deferred() bool {
	return o.kind != probeBound && errors.Is(o.err, ErrProbeDefer)
}

// allowsAsync is §1's allowsAsync(drv).
func (s *State) allowsAsync(drv string) bool {
	d := s.drivers[drv]
	switch d.ProbeType {
	case PreferAsync:
		return true
	case ForceSync:
		return false
	}
	if m := s.modules[d.Module]; m != nil && m.AsyncProbe {
		return true
	}
	return s.asyncOK[drv]
}

// match is §6.0 with the script rule of §14.2: a non-empty override matches
// exactly the driver of that name; otherwise the driver's table decides.
func (s *State) match(drv string, d *device) (MatchResult, error) {
	if d.override != "" {
		if d.override == drv {
			return MatchYes, nil
		}
		return MatchNo, nil
	}
	dr := s.drivers[drv]
	m := dr.Match[d.name]
	switch m {
	case MatchDefer:
		return m, ErrProbeDefer
	case MatchError:
		return m, dr.matchErr()
	}
	return m, nil
}

type scanMode int

const (
	scanAll       scanMode = iota // allowAsync = false: every driver, in order
	scanSyncOnly                  // path A pass 1 with allowAsync
	scanAsyncOnly                 // attachJob: pass 2
)

// scanResult is how a device-side scan ended.
type scanResult struct {
	bound     bool
	stopped   error // the match error or core refusal that stopped the scan
	haveAsync bool  // an async-allowed driver matched
}

// scanDrivers runs the device-side scan of path A or attachJob over the
// listed drivers, in order, with the stop rules of §6.0 and §6.1.
func (s *State) scanDrivers(c string, d *device, mode scanMode) scanResult {
	var r scanResult
	for i := 0; i < len(s.drvOrder); i++ {
		drv := s.drvOrder[i]
		if !s.drvs[drv].listed {
			continue
		}
		m, err := s.match(drv, d)
		switch m {
		case MatchNo:
			continue
		case MatchDefer:
			d.canMatch = true
			d.deferFromProbe = false
			s.deferredAdd(d)
			r.stopped = err
			return r
		case MatchError:
			r.stopped = err
			return r
		}
		async := s.allowsAsync(drv)
		if async {
			r.haveAsync = true
		}
		if (mode == scanSyncOnly && async) || (mode == scanAsyncOnly && !async) {
			continue
		}
		out := s.driverProbeDevice(c, drv, d)
		switch out.kind {
		case probeBound:
			r.bound = true
			return r
		case probeRefused:
			r.stopped = out.err
			return r
		}
	}
	return r
}

// pathA is __device_attach (§6.1). It returns what Reprobe returns: nil when
// d is dead or bound, when a driver bound or when the scan ran to its end,
// else the match error or refusal that stopped the scan.
func (s *State) pathA(c string, d *device, allowAsync bool) error {
	if d.dead || d.bound {
		return nil
	}
	d.stale = false // a full scan starts: its outcome is what counts now
	mode := scanAll
	if allowAsync {
		mode = scanSyncOnly
	}
	r := s.scanDrivers(c, d, mode)
	if r.bound || r.stopped != nil {
		return r.stopped
	}
	if allowAsync && r.haveAsync {
		s.get(d, asyncAttachLabel(s.lastCookie+1))
		// unlock(d) happens here, before scheduling.
		s.schedule(entry{kind: jobAttach, dev: d.handle}, globalDomain)
	}
	return nil
}

// driverProbeDevice is driver_probe_device (§7.1).
func (s *State) driverProbeDevice(c, drv string, d *device) probeOutcome {
	tc := s.triggerCount
	s.probeCount++
	out := s.driverProbeInner(c, drv, d)
	if out.deferred() {
		d.deferFromProbe = true
		d.deferTC = tc
		s.deferredAdd(d)
		if s.triggerCount != tc && !s.deferAll {
			s.trigger()
		}
	}
	s.probeCount--
	return out
}

// driverProbeInner is __driver_probe_device (§7.1 step 2).
func (s *State) driverProbeInner(c, drv string, d *device) probeOutcome {
	switch {
	case d.dead || (d.phase != Adding && d.phase != Registered):
		return probeOutcome{probeRefused, ErrNoDev}
	case d.driver != "":
		return probeOutcome{probeRefused, ErrBusy}
	case d.phase == Adding:
		return probeOutcome{probeRefused, ErrProbeDefer}
	}
	d.canMatch = true
	return s.reallyProbe(c, drv, d)
}

// reallyProbe is really_probe (§7.2), with the ReprobeAfterProbe stress
// mode looping back to step 2 once after a success.
func (s *State) reallyProbe(c, drv string, d *device) probeOutcome {
	if s.deferAll {
		return probeOutcome{probeRefused, ErrProbeDefer}
	}
	if len(d.devres) > 0 {
		return probeOutcome{probeRefused, ErrBusy}
	}
	s.attempts = append(s.attempts, d)
	defer func() { s.attempts = s.attempts[:len(s.attempts)-1] }()
	testRemove := s.cfg.ReprobeAfterProbe
	for {
		d.driver = drv
		if err := s.hit(FProbeLinks); err != nil {
			s.unbindCleanup(d)
			return probeOutcome{probeRefused, err}
		}
		if err := s.callProbe(c, drv, d); err != nil {
			s.unbindCleanup(d)
			return probeOutcome{probeFailed, err}
		}
		if err := s.hit(FProbeGroups); err != nil {
			s.callRemove(c, drv, d)
			s.unbindCleanup(d)
			return probeOutcome{probeRefused, err}
		}
		if !testRemove {
			break
		}
		testRemove = false
		s.callRemove(c, drv, d)
		s.unbindCleanup(d)
	}
	// driver_bound
	d.bound = true
	s.emit(Event{Kind: EvBound, Device: d.handle, Driver: drv})
	rt := s.drvs[drv]
	rt.bound = append(rt.bound, d.handle)
	s.removeFromLists(d)
	s.trigger()
	return probeOutcome{kind: probeBound}
}

// unbindCleanup is device_unbind_cleanup: devres, then driver := nil.
func (s *State) unbindCleanup(d *device) {
	s.devresReleaseAll(d)
	s.emit(Event{Kind: EvUnbound, Device: d.handle, Driver: d.driver})
	d.driver = ""
}

func (s *State) setAsyncDriver(d *device, drv string) {
	d.asyncDriver = drv
	s.emit(Event{Kind: EvAsyncDriver, Device: d.handle, Driver: drv})
}

// callProbe runs drv's Probe script on d and returns its result.
func (s *State) callProbe(c, drv string, d *device) error {
	s.step("probe of " + d.handle + " by " + drv)
	p := s.pair(d.handle, drv)
	p.Probes++
	s.emit(Event{Kind: EvProbeStart, Device: d.handle, Driver: drv})
	script := s.drivers[drv].probeScript(d.name)
	d.children = nil
	for _, a := range script.Actions {
		switch a.Kind {
		case ActDevresPlain:
			s.devresAdd(d, "")
		case ActDevresRef:
			target := a.Arg
			if target == "" {
				target = d.handle
			}
			s.devresAdd(d, target)
		case ActDevresRefNamed:
			if h, ok := s.names[a.Arg]; ok {
				s.devresAdd(d, h)
			}
		case ActRegisterChild:
			child := s.newDevice(a.Arg, d.handle)
			child.byProbe = true
			if err := s.deviceAdd(c, child); err != nil {
				s.put(child, LabelOwner)
			} else {
				d.children = append(d.children, child.handle)
			}
		case ActDriverRegister:
			if rt := s.drvs[a.Arg]; rt == nil {
				fail("probe of %s by %s registers unknown driver %s", d.handle, drv, a.Arg)
			} else if rt.state == Unlisted {
				_ = s.driverRegister(c, a.Arg)
			}
		case ActWait:
			s.waitGate(a.Arg)
		}
	}
	err := s.outcome(script.Result)
	s.emit(Event{Kind: EvProbeReturn, Device: d.handle, Driver: drv, Err: err})
	if err != nil {
		s.unregisterChildren(c, d)
		return err
	}
	p.Successes++
	return nil
}

// outcome evaluates a probe result against the current bound set.
func (s *State) outcome(o Outcome) error {
	switch o.Kind {
	case ProbeDeferUntil:
		for _, d := range s.devs {
			if d.name == o.Until && d.bound {
				return nil
			}
		}
		return ErrProbeDefer
	case ProbeFail:
		if o.Err == nil {
			return ErrInval
		}
		return o.Err
	}
	return nil
}

// callRemove runs drv's Remove script on d.
func (s *State) callRemove(c, drv string, d *device) {
	s.pair(d.handle, drv).Removes++
	s.emit(Event{Kind: EvRemoveStart, Device: d.handle, Driver: drv})
	script := s.drivers[drv].removeScript(d.name)
	if script.Gate != "" {
		s.waitGate(script.Gate)
	}
	s.unregisterChildren(c, d)
	s.emit(Event{Kind: EvRemoveReturn, Device: d.handle, Driver: drv})
}

// unregisterChildren unregisters, in reverse, the devices the probe of d
// registered.
func (s *State) unregisterChildren(c string, d *device) {
	for i := len(d.children) - 1; i >= 0; i-- {
		s.unregister(c, s.dev(d.children[i]))
	}
	d.children = nil
}

func errString(err error) string {
	if n := ErrorName(err); n != "" {
		return n
	}
	return err.Error()
}

func (s *State) waitGate(g string) {
	if !s.gates[g] {
		panic(gateWait(g))
	}
}

// releaseDriver is __device_release_driver (§10.1).
func (s *State) releaseDriver(c string, d *device) {
	drv := d.driver
	if drv == "" {
		return
	}
	s.callRemove(c, drv, d)
	s.devresReleaseAll(d)
	d.bound = false
	rt := s.drvs[drv]
	rt.bound = removeString(rt.bound, d.handle)
	s.emit(Event{Kind: EvUnbound, Device: d.handle, Driver: drv})
	d.driver = ""
	d.stale = true // re-bindable, and an unbind is no trigger
}

func removeString(list []string, v string) []string {
	for i, x := range list {
		if x == v {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
