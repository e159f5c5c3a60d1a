package model

// Config holds the core's configuration as far as it matters sequentially.
type Config struct {
	// MaxPending is the async layer's limit (§9): an AsyncSchedule that finds
	// more than MaxPending entries pending (queued or running, not counting
	// entries run inline) runs its entry inline (F-ASYNC-FULL). Zero or
	// negative means no limit.
	MaxPending int
	// AsyncProbeDrivers lists driver names for which a Default probe type
	// allows async probing (§1, allowsAsync).
	AsyncProbeDrivers []string
	// ReprobeAfterProbe is the stress mode of §17: every successful probe
	// (after driver groups) is followed by Remove, a devres release, and a
	// second attempt from really_probe step 2, whose outcome counts.
	ReprobeAfterProbe bool
	// NeedParentLock makes some paths take the parent's lock first. Locks
	// do not exist sequentially: it has no effect on the model.
	NeedParentLock bool
	// DelayedRelease runs releases as later tasks in the implementation. It
	// has no effect on the sequential model and is accepted for symmetry.
	DelayedRelease bool
}

// ProbeType is a driver's probe type (§1).
type ProbeType int

// The probe types. Default defers to the module's AsyncProbe flag and to
// Config.AsyncProbeDrivers.
const (
	ProbeDefault ProbeType = iota
	PreferAsync
	ForceSync
)

func (p ProbeType) String() string {
	switch p {
	case PreferAsync:
		return "PreferAsync"
	case ForceSync:
		return "ForceSync"
	}
	return "Default"
}

// MatchResult is one entry of a driver's match table (§14.2).
type MatchResult int

// The match outcomes. The zero value, MatchNo, is what a device name absent from
// the table gets.
const (
	MatchNo MatchResult = iota
	MatchYes
	MatchDefer // match returns ErrProbeDefer
	MatchError // match returns Driver.MatchErr (ErrInval when nil)
)

func (m MatchResult) String() string {
	switch m {
	case MatchYes:
		return "yes"
	case MatchDefer:
		return "defer"
	case MatchError:
		return "error"
	}
	return "no"
}

// ActionKind selects what a probe script Action does.
type ActionKind int

// Probe script actions (§14.2).
const (
	// ActDevresPlain adds a plain devres entry on the probed device.
	ActDevresPlain ActionKind = iota
	// ActDevresRef adds a ref-holding devres action on the probed device;
	// Arg is the target device handle ("" means the probed device itself).
	ActDevresRef
	// ActDevresRefNamed adds a ref-holding devres action on the probed
	// device to the device that claims the name Arg (§4.1), skipped when no
	// device claims it.
	ActDevresRefNamed
	// ActRegisterChild runs NewDevice(Arg) under the probed device, then
	// RegisterSync, and PutOwner on error.
	ActRegisterChild
	// ActDriverRegister registers the catalogue driver named Arg, unless it
	// was ever registered; its error is ignored.
	ActDriverRegister
	// ActWait waits until gate Arg is open.
	ActWait
)

// Action is one probe script action.
type Action struct {
	Kind ActionKind
	Arg  string
}

// DevresPlain, DevresRef, DevresRefNamed, RegisterChild, SubDriver and WaitGate build the
// probe actions of §14.2.
func DevresPlain() Action                { return Action{Kind: ActDevresPlain} }
func DevresRef(target string) Action     { return Action{Kind: ActDevresRef, Arg: target} }
func DevresRefNamed(name string) Action  { return Action{Kind: ActDevresRefNamed, Arg: name} }
func RegisterChild(name string) Action   { return Action{Kind: ActRegisterChild, Arg: name} }
func SubDriver(driverName string) Action { return Action{Kind: ActDriverRegister, Arg: driverName} }
func WaitGate(gate string) Action        { return Action{Kind: ActWait, Arg: gate} }

// OutcomeKind selects a probe script's result.
type OutcomeKind int

// Probe results (§14.2).
const (
	// ProbeOK: Probe returns nil.
	ProbeOK OutcomeKind = iota
	// ProbeDeferUntil: ErrProbeDefer unless some device named Until is
	// bound at the moment Probe returns, else nil.
	ProbeDeferUntil
	// ProbeFail: Probe returns Err.
	ProbeFail
)

// Outcome is a probe script's result.
type Outcome struct {
	Kind  OutcomeKind
	Until string
	Err   error
}

// OK, DeferUntil and Fail build probe results.
func OK() Outcome                    { return Outcome{} }
func DeferUntil(name string) Outcome { return Outcome{Kind: ProbeDeferUntil, Until: name} }
func Fail(err error) Outcome         { return Outcome{Kind: ProbeFail, Err: err} }

// String renders the result as in §14.2: nil, DeferUntil(X bound) or the
// error's name.
func (o Outcome) String() string {
	switch o.Kind {
	case ProbeDeferUntil:
		return "DeferUntil(" + o.Until + " bound)"
	case ProbeFail:
		return ErrorName(o.Err)
	}
	return "nil"
}

// ProbeScript is what a driver's Probe does for one device: the actions in
// order, then the result. With a non-nil result the probe first unregisters
// the children it registered, in reverse.
type ProbeScript struct {
	Actions []Action
	Result  Outcome
}

// RemoveScript is what a driver's Remove does: wait for Gate when non-empty,
// touch the probe-time devres when UseDevres, then unregister the children
// of the probe, in reverse.
type RemoveScript struct {
	Gate      string
	UseDevres bool
}

// Driver describes a driver value and its scripts (§14.2). Scripts are
// keyed by device name; the key "" is the default for names not listed, and
// an absent default is an empty script (Probe returns nil, Remove does
// nothing but unregister children).
type Driver struct {
	Name      string
	ProbeType ProbeType
	Module    string // owning module, "" for none
	Match     map[string]MatchResult
	MatchErr  error // the error of MatchError entries; ErrInval when nil
	Probe     map[string]ProbeScript
	Remove    map[string]RemoveScript
}

func (d *Driver) probeScript(devName string) ProbeScript {
	if p, ok := d.Probe[devName]; ok {
		return p
	}
	return d.Probe[""]
}

func (d *Driver) removeScript(devName string) RemoveScript {
	if r, ok := d.Remove[devName]; ok {
		return r
	}
	return d.Remove[""]
}

func (d *Driver) matchErr() error {
	if d.MatchErr != nil {
		return d.MatchErr
	}
	return ErrInval
}

// Module describes a module (§14.3): Init registers Drivers in order, Exit
// unregisters them in reverse.
type Module struct {
	Name       string
	Drivers    []string
	AsyncProbe bool
}
