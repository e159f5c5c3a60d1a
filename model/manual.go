package model

import "errors"

// opBind is the manual Bind(d, drv) of §6.4: the only path where a probe
// error reaches the caller (ErrProbeDefer mapped to ErrAgain). It never
// schedules, never defers and never re-checks the trigger count.
func (s *State) opBind(t, h, drv string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("Bind: %s", why)
	}
	rt := s.drvs[drv]
	if rt == nil {
		return invalid("Bind to unknown driver %s", drv)
	}
	if rt.state != DriverRegistered {
		return Result{Err: ErrNoDev}
	}
	if d.phase != Registered || d.dead {
		return Result{Err: ErrNoDev}
	}
	if m, _ := s.match(drv, d); m != MatchYes {
		return Result{Err: ErrNoDev}
	}
	out := s.driverProbeInner(t, drv, d)
	if out.kind == probeBound {
		return Result{}
	}
	if errors.Is(out.err, ErrProbeDefer) {
		return Result{Err: ErrAgain}
	}
	return Result{Err: out.err}
}

// opUnbind is the manual Unbind(d): remove, devres, unbound; no trigger.
func (s *State) opUnbind(t, h string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("Unbind: %s", why)
	}
	s.releaseDriver(t, d)
	return Result{}
}

// opReprobe is Reprobe(d): Unbind, then path A with allowAsync = false.
func (s *State) opReprobe(t, h string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("Reprobe: %s", why)
	}
	s.releaseDriver(t, d)
	return Result{Err: s.pathA(t, d, false)}
}
