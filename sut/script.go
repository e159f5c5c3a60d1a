package sut

import "github.com/devstress/devstress/conc"

// MatchResult is a scripted match outcome for a (driver, device name) pair
// (§14.2).
type MatchResult int

// The match outcomes. MatchNo is the zero value: a device name a driver's
// table does not list does not match.
const (
	MatchNo    MatchResult = iota
	MatchYes               // probe (or queue an async probe)
	MatchDefer             // ErrProbeDefer: canMatch, deferred_add
	MatchError             // another error: ErrInval, the spec sentinel the model uses too
)

// ProbeScript is what a driver's Probe does for one device name: its
// actions in order, then its result (§14.2).
type ProbeScript struct {
	Actions []Action
	Result  Result
}

// RemoveScript is what a driver's Remove does for one device name: wait for
// a gate (if set), touch the probe-time devres (UseDevres), then unregister
// the probe's children in reverse.
type RemoveScript struct {
	Wait      *Gate
	UseDevres bool
}

type actionKind uint8

const (
	actDevres actionKind = iota + 1
	actChild
	actDriver
	actWait
)

// Action is one step of a probe script. Build it with DevresPlain,
// DevresRef, RegisterChild, RegisterDriver or WaitGate.
type Action struct {
	kind   actionKind
	ref    bool    // actDevres: a ref-holding action
	target string  // actDevres with ref: device name, "" for the probed device
	name   string  // actChild
	sub    *Driver // actDriver
	gate   *Gate   // actWait
}

// DevresPlain adds a plain managed resource to the probed device.
func DevresPlain() Action { return Action{kind: actDevres} }

// DevresRef adds to the probed device an action holding a reference to the
// device that claims name target ("" for the probed device itself); it is
// skipped when no registered device has that name.
func DevresRef(target string) Action { return Action{kind: actDevres, ref: true, target: target} }

// RegisterChild creates a device named name under the probed device and
// registers it synchronously; on failure the probe puts it (PutOwner). The
// child is unregistered by the driver's Remove, or by the probe itself when
// it fails.
func RegisterChild(name string) Action { return Action{kind: actChild, name: name} }

// RegisterDriver registers sub, a synchronous driver matching neither the
// probed device nor its ancestors; a no-op if sub was ever registered.
func RegisterDriver(sub *Driver) Action { return Action{kind: actDriver, sub: sub} }

// WaitGate blocks the probe, holding its locks, until g is open.
func WaitGate(g *Gate) Action { return Action{kind: actWait, gate: g} }

type resultKind uint8

const (
	resultOK resultKind = iota
	resultDeferUntil
	resultErr
)

// Result is the outcome of a probe script. The zero value succeeds.
type Result struct {
	kind  resultKind
	until string
	err   error
}

// Succeed is the probe result nil.
func Succeed() Result { return Result{} }

// DeferUntil is ErrProbeDefer while no device named name is bound, else nil
// (§14.2 "DeferUntil(X bound)"; a function of the current bound set).
func DeferUntil(name string) Result { return Result{kind: resultDeferUntil, until: name} }

// FailWith is a probe failing with err: ErrNoDev, ErrNXIO, or any other
// error (ErrIO, say).
func FailWith(err error) Result { return Result{kind: resultErr, err: err} }

// Gate is a script gate (§14.2): closed when created, opened for good by
// Open. A probe or remove waiting on a closed gate is parked, not
// deadlocked.
type Gate struct {
	name string
	c    conc.Completion
}

// NewGate returns a closed gate.
func (c *Core) NewGate(name string) *Gate {
	return &Gate{name: name, c: c.rt.NewGate("gate:" + name)}
}

// Open opens g (the program operation Open(g)).
func (g *Gate) Open() { g.c.Complete() }

// evaluate computes r now.
func (c *Core) evaluate(r Result) error {
	switch r.kind {
	case resultDeferUntil:
		for _, d := range c.devices.all() {
			if d.name == r.until && d.bound.Load() {
				return nil
			}
		}
		return errorf(ErrProbeDefer, "probe", "waiting for "+r.until)
	case resultErr:
		return r.err
	}
	return nil
}

// enterDriver checks that drv's code and data may be used by op: its module
// is loaded and its priv not freed (NO-UAF).
func (c *Core) enterDriver(drv *Driver, op string) {
	if m := drv.Module; m != nil {
		if code := m.code.Load(); code != nil {
			c.access(code, op+" through")
		}
	}
	if p := drv.priv.Load(); p != nil {
		c.access(p, op+" with")
	}
}

// runProbe runs drv's probe script for d (under lock(d)) in context who and
// returns its result. A failing probe first unregisters the children it
// registered, in reverse.
func (c *Core) runProbe(drv *Driver, d *Device, who owner) error {
	s := drv.Probe[d.name]
	for _, a := range s.Actions {
		switch a.kind {
		case actDevres:
			c.scriptDevres(d, a)
		case actChild:
			ch := c.newDevice(a.name, d, nil, who)
			if err := c.deviceAdd(ch, who); err != nil {
				c.put(ch, labelOwner, who)
			} else {
				d.children = append(d.children, ch)
			}
		case actDriver:
			if !a.sub.everRegistered.Load() {
				_ = c.driverRegister(a.sub, who) // its result does not change the probe's
			}
		case actWait:
			a.gate.c.Wait()
		}
	}
	err := c.evaluate(s.Result)
	if err != nil {
		c.unregisterChildren(d, who)
	}
	return err
}

// runRemove runs drv's remove script for d (under lock(d)).
func (c *Core) runRemove(drv *Driver, d *Device, who owner) {
	s := drv.Remove[d.name]
	if s.Wait != nil {
		s.Wait.c.Wait()
	}
	if s.UseDevres {
		c.devresUse(d)
	}
	c.unregisterChildren(d, who)
}

// unregisterChildren unregisters the children d's probe registered, last
// first.
func (c *Core) unregisterChildren(d *Device, who owner) {
	for i := len(d.children) - 1; i >= 0; i-- {
		c.unregister(d.children[i], who)
	}
	d.children = nil
}

// scriptDevres runs a DevresPlain or DevresRef action on d.
func (c *Core) scriptDevres(d *Device, a Action) {
	if !a.ref {
		c.devresAdd(d, nil)
		return
	}
	if a.target == "" {
		c.devresAdd(d, d)
		return
	}
	c.devresAddNamed(d, a.target)
}
