package model

import (
	"fmt"
	"sort"
)

// Phase is a device's lifecycle phase (§1).
type Phase int

// Device phases: Initialized → Adding → Registered → Deleted, or
// Adding → AddFailed.
const (
	Initialized Phase = iota
	Adding
	Registered
	Deleted
	AddFailed
)

func (p Phase) String() string {
	return [...]string{"Initialized", "Adding", "Registered", "Deleted", "AddFailed"}[p]
}

// DriverState is a driver's registration state (§1). A driver that was
// never registered is Unlisted.
type DriverState int

// Driver states.
const (
	Unlisted DriverState = iota
	Registering
	DriverRegistered
	Unregistering
	Unregistered
)

func (s DriverState) String() string {
	return [...]string{"Unlisted", "Registering", "Registered", "Unregistering", "Unregistered"}[s]
}

// State is the model's whole state: devices, drivers, modules, deferred
// lists, the async layer and the fault counters. It is a plain value with no
// goroutines or locks; the zero value is not usable, start from [NewState].
// A State is not safe for concurrent use; [State.Clone] gives independent
// copies.
type State struct {
	// Immutable after NewState, shared between clones.
	cfg     Config
	drivers map[string]*Driver
	modules map[string]*Module
	plan    []Fault
	asyncOK map[string]bool // Config.AsyncProbeDrivers as a set

	devs      map[string]*device
	nameCount map[string]int    // NewDevice calls per name
	names     map[string]string // claimed name → handle
	bus       []string          // bus device list, append-only; see device.onBus
	drvOrder  []string          // bus driver list, append-only; see driverRT.listed
	drvs      map[string]*driverRT

	pending, active []string
	triggerCount    int
	probeCount      int
	workQueued      bool
	workRunning     bool
	deferAll        bool

	loaded  map[string]bool
	modEver map[string]bool

	queue      []entry // pending async entries not yet started, cookie order
	running    int     // queued entries currently running
	lastCookie int

	gates map[string]bool
	hits  map[string]int
	pairs map[pairKey]*ProbeRemoveCount

	frozen Result  // non-zero once a gate or a broken precondition froze the state
	events []Event // what the implementation would report, in order
	cur    string  // context running now: "T<n>", "A<cookie>" or "W"
	steps  int     // work done by the current operation (StepBudget)

	attempts []*device // devices inside really_probe, outermost first
}

// driverRT is the run-time state of one catalogue driver.
type driverRT struct {
	state  DriverState
	listed bool
	gone   bool
	bound  []string // boundDevices, in bind order
}

// NewState returns the initial state of a core with configuration cfg, a
// catalogue of driver values (every driver a program or a script may
// register, module drivers included), the modules and the fault plan.
// The slices are copied, the drivers' script maps are not: the caller must
// not modify them afterwards.
func NewState(cfg Config, drivers []Driver, modules []Module, plan []Fault) *State {
	s := &State{
		cfg:       cfg,
		drivers:   make(map[string]*Driver, len(drivers)),
		modules:   make(map[string]*Module, len(modules)),
		plan:      append([]Fault(nil), plan...),
		asyncOK:   make(map[string]bool),
		devs:      make(map[string]*device),
		nameCount: make(map[string]int),
		names:     make(map[string]string),
		drvs:      make(map[string]*driverRT),
		loaded:    make(map[string]bool),
		modEver:   make(map[string]bool),
		gates:     make(map[string]bool),
		hits:      make(map[string]int),
		pairs:     make(map[pairKey]*ProbeRemoveCount),
	}
	s.cfg.AsyncProbeDrivers = append([]string(nil), cfg.AsyncProbeDrivers...)
	for _, n := range cfg.AsyncProbeDrivers {
		s.asyncOK[n] = true
	}
	for i := range drivers {
		d := drivers[i]
		s.drivers[d.Name] = &d
		s.drvs[d.Name] = &driverRT{}
	}
	for i := range modules {
		m := modules[i]
		m.Drivers = append([]string(nil), m.Drivers...)
		s.modules[m.Name] = &m
	}
	return s
}

// Clone returns a deep copy of s; the two evolve independently.
func (s *State) Clone() *State {
	c := *s
	c.devs = make(map[string]*device, len(s.devs))
	for h, d := range s.devs {
		c.devs[h] = d.clone()
	}
	c.nameCount = cloneMap(s.nameCount)
	c.names = cloneMap(s.names)
	c.bus = append([]string(nil), s.bus...)
	c.drvOrder = append([]string(nil), s.drvOrder...)
	c.drvs = make(map[string]*driverRT, len(s.drvs))
	for n, r := range s.drvs {
		rc := *r
		rc.bound = append([]string(nil), r.bound...)
		c.drvs[n] = &rc
	}
	c.pending = append([]string(nil), s.pending...)
	c.active = append([]string(nil), s.active...)
	c.loaded = cloneMap(s.loaded)
	c.modEver = cloneMap(s.modEver)
	c.queue = append([]entry(nil), s.queue...)
	c.gates = cloneMap(s.gates)
	c.hits = cloneMap(s.hits)
	c.events = append([]Event(nil), s.events...)
	c.attempts = nil // only non-empty inside an operation
	c.pairs = make(map[pairKey]*ProbeRemoveCount, len(s.pairs))
	for k, v := range s.pairs {
		vc := *v
		c.pairs[k] = &vc
	}
	return &c
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Frozen reports whether the state can no longer advance (a task waits on a
// closed gate, or a callback broke a precondition) and, if so, the result
// every later operation returns.
func (s *State) Frozen() (Result, bool) {
	return s.frozen, s.frozen != (Result{})
}

// Step is the pure form of [State.Apply]: it returns the result of op run by
// task T1 and the next state, leaving s unchanged.
func Step(s *State, op Op) (Result, *State) {
	next := s.Clone()
	return next.Apply(op), next
}

// Apply runs op as the single client task T1, then drains the async work in
// the order of §14.7, and returns what the client sees.
func (s *State) Apply(op Op) Result { return s.ApplyAs("T1", op) }

// ApplyAs is [State.Apply] for program task task ("T1".."Tn"): labels that
// name a task (Task, Lookup, Iterator, Detach) use it.
func (s *State) ApplyAs(task string, op Op) (res Result) {
	if _, frozen := s.Frozen(); frozen {
		return s.frozen
	}
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		switch v := r.(type) {
		case gateWait:
			res.Blocked = string(v)
		case brokenPrecondition:
			res.Invalid = string(v)
		case livelock:
			res.Livelock = string(v)
		default:
			panic(r)
		}
		s.frozen = Result{Blocked: res.Blocked, Invalid: res.Invalid, Livelock: res.Livelock}
	}()
	s.cur = task
	s.steps = 0
	mark := len(s.events)
	s.emit(Event{Kind: EvCall, Op: op})
	res = s.apply(task, op)
	if res.Invalid != "" {
		s.events = s.events[:mark] // refused on entry: nothing happened
		return res
	}
	s.cur = task
	s.emit(Event{Kind: EvReturn, Op: op, Result: res})
	s.drain()
	return res
}

// Events returns the events the implementation reports for the operations
// applied so far (§12.3), in order, as the model's own execution produces
// them; a [Checker] fed with them accepts every one. Program calls appear
// as EvCall/EvReturn pairs around the call's own events; the drain's events
// follow the EvReturn.
func (s *State) Events() []Event { return append([]Event(nil), s.events...) }

func (s *State) emit(e Event) {
	e.Task = s.cur
	s.events = append(s.events, e)
}

// StepBudget bounds the work of one operation and its drain: probe calls,
// async entries and deferred-worker iterations. Past it the model reports
// Result.Livelock.
const StepBudget = 10000

// livelock is panicked when an operation exceeds StepBudget.
type livelock string

// step counts one unit of work against the operation's budget.
func (s *State) step(what string) {
	s.steps++
	if s.steps > StepBudget {
		panic(livelock(fmt.Sprintf("more than %d steps; last: %s", StepBudget, what)))
	}
}

// gateWait is panicked when a task would wait on a closed gate; Apply
// recovers it and freezes the state.
type gateWait string

// brokenPrecondition is panicked when a precondition breaks inside a
// callback or an async entry; Apply recovers it and freezes the state.
type brokenPrecondition string

func fail(format string, args ...any) {
	panic(brokenPrecondition(fmt.Sprintf(format, args...)))
}

func invalid(format string, args ...any) Result {
	return Result{Invalid: fmt.Sprintf(format, args...)}
}

func (s *State) apply(t string, op Op) Result {
	switch o := op.(type) {
	case NewDevice:
		return s.opNewDevice(t, o.Name, o.Parent)
	case DeviceAdd:
		return s.opDeviceAdd(t, o.Device)
	case RegisterSync:
		return s.opDeviceAdd(t, o.Device)
	case NewAndRegister:
		return s.opNewAndRegister(t, o.Name, o.Parent)
	case RegisterAsync:
		return s.opRegisterAsync(t, o.Device)
	case CompletionWait:
		return s.opCompletionWait(t, o.Device)
	case Unregister:
		return s.opUnregister(t, o.Device)
	case TryUnregister:
		return s.opTryUnregister(t, o.Device)
	case UnregisterAsync:
		return s.opUnregisterAsync(t, o.Device)
	case Get:
		return s.opGet(t, o.Device)
	case Put:
		return s.opPutLabel(o.Device, taskLabel(t))
	case PutOwner:
		return s.opPutLabel(o.Device, LabelOwner)
	case PutLookup:
		return s.opPutLabel(o.Device, lookupLabel(t))
	case FindDevice:
		return s.opFindDevice(t, o.Name)
	case DriverRegister:
		return s.opDriverRegister(t, o.Driver)
	case DriverUnregister:
		return s.opDriverUnregister(t, o.Driver)
	case ModuleLoad:
		return s.opModuleLoad(t, o.Module)
	case ModuleUnload:
		return s.opModuleUnload(t, o.Module)
	case Bind:
		return s.opBind(t, o.Device, o.Driver)
	case Unbind:
		return s.opUnbind(t, o.Device)
	case Reprobe:
		return s.opReprobe(t, o.Device)
	case WaitForDeviceProbe:
		s.waitForDeviceProbe()
		return Result{}
	case BlockProbing:
		s.deferAll = true
		s.emit(Event{Kind: EvDeferAll, Flag: true})
		s.waitForDeviceProbe()
		return Result{}
	case UnblockProbing:
		s.deferAll = false
		s.emit(Event{Kind: EvDeferAll})
		s.trigger()
		return Result{}
	case DevresAdd:
		return s.opDevresAdd(o.Device, o.Ref)
	case SetOverride:
		return s.opSetOverride(o.Device, o.Value)
	case OpenGate:
		s.gates[o.Gate] = true
		return Result{}
	case nil:
		return invalid("nil operation")
	}
	return invalid("unknown operation %T", op)
}

// Log summarizes the effects recorded in [State.Events], one line each, in
// order: "probe <dev> <drv> -> <result>", "remove <dev> <drv>", "devres
// <label>" when a devres entry is released, "release <dev>". It is meant
// for tests and failure reports.
func (s *State) Log() []string {
	var out []string
	for _, e := range s.events {
		switch e.Kind {
		case EvProbeReturn:
			out = append(out, fmt.Sprintf("probe %s %s -> %s", e.Device, e.Driver, errString(e.Err)))
		case EvRemoveStart:
			out = append(out, "remove "+e.Device+" "+e.Driver)
		case EvDevresRelease:
			out = append(out, "devres "+e.Label)
		case EvRelease:
			out = append(out, "release "+e.Device)
		}
	}
	return out
}

// Handles returns every device handle created so far, sorted.
func (s *State) Handles() []string {
	hs := make([]string, 0, len(s.devs))
	for h := range s.devs {
		hs = append(hs, h)
	}
	sort.Strings(hs)
	return hs
}
