package model

import "slices"

func (s *State) opDriverRegister(t, name string) Result {
	dr := s.drivers[name]
	if dr == nil {
		return invalid("DriverRegister of unknown driver %s", name)
	}
	if dr.Module != "" {
		return invalid("DriverRegister(%s): module drivers register only through ModuleLoad", name)
	}
	if rt := s.drvs[name]; !rt.listed && rt.state != Unlisted {
		return invalid("DriverRegister(%s): a driver value is never re-registered", name)
	}
	return Result{Err: s.driverRegister(t, name)}
}

// driverRegister is §5.1.
func (s *State) driverRegister(c, name string) error {
	rt := s.drvs[name]
	if rt.listed {
		return ErrBusy
	}
	if err := s.hit(FDrvAlloc); err != nil {
		return err
	}
	s.setDriverState(name, Registering)
	rt.listed = true
	s.drvOrder = append(s.drvOrder, name)
	s.driverAttach(c, name)
	if err := s.hit(FDrvGroups); err != nil {
		s.driverUnregister(c, name)
		return err
	}
	s.setDriverState(name, DriverRegistered)
	return nil
}

func (s *State) setDriverState(name string, st DriverState) {
	s.drvs[name].state = st
	s.emit(Event{Kind: EvDriverState, Driver: name, DrvState: st})
}

// driverAttach is path B (§6.2): every bus device, in list order, devices
// added meanwhile included.
func (s *State) driverAttach(c, drv string) {
	async := s.allowsAsync(drv)
	for i := 0; i < len(s.bus); i++ {
		d := s.devs[s.bus[i]]
		if !d.onBus {
			continue
		}
		s.get(d, iteratorLabel(c))
		switch m, _ := s.match(drv, d); m {
		case MatchDefer:
			d.canMatch = true
			d.deferFromProbe = false
			s.deferredAdd(d)
		case MatchYes:
			if !async {
				s.driverProbeDevice(c, drv, d)
			} else if d.driver == "" && d.asyncDriver == "" {
				e := entry{kind: jobDriverAttach, dev: d.handle}
				s.get(d, asyncAttachLabel(s.lastCookie+1))
				if d.parent != "" && !d.dead { // the job holds the parent it may lock (§6.2)
					e.parent = d.parent
					s.get(s.dev(d.parent), asyncAttachParentLabel(s.lastCookie+1))
				}
				s.setAsyncDriver(d, drv)
				s.schedule(e, globalDomain)
			}
		}
		s.put(d, iteratorLabel(c))
	}
}

func (s *State) opDriverUnregister(t, name string) Result {
	dr := s.drivers[name]
	if dr == nil {
		return invalid("DriverUnregister of unknown driver %s", name)
	}
	if dr.Module != "" {
		return invalid("DriverUnregister(%s): module drivers unregister only through ModuleUnload", name)
	}
	if rt := s.drvs[name]; rt.state != DriverRegistered {
		return invalid("DriverUnregister(%s) in state %s", name, rt.state)
	}
	s.driverUnregister(t, name)
	return Result{}
}

// driverUnregister is §5.2.
func (s *State) driverUnregister(c, name string) {
	rt := s.drvs[name]
	s.setDriverState(name, Unregistering) // step 1: the bind gate closes (nothing in flight sequentially)
	rt.listed = false                     // step 2
	// Removing a driver can lift a stop (its match deferred or failed) in
	// the scans of waiting devices, and is no trigger: see device.stale.
	for _, h := range append(slices.Clone(s.pending), s.active...) {
		s.devs[h].stale = true
	}
	if s.allowsAsync(name) { // step 3: driver_detach
		s.asyncSynchronizeFull()
	}
	for len(rt.bound) > 0 {
		d := s.dev(rt.bound[len(rt.bound)-1])
		s.get(d, detachLabel(c))
		if d.driver == name {
			s.releaseDriver(c, d)
		} else {
			fail("%s on %s's bound list is attached to %q", d.handle, name, d.driver)
		}
		s.put(d, detachLabel(c))
	}
	s.setDriverState(name, Unregistered) // step 4
	rt.gone = true
}
