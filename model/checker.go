package model

import (
	"fmt"
	"sort"
)

// InvariantError is a violated invariant: its name as in §15 and a
// deterministic explanation (no pointers, no map order), so that a property
// failing with it fails at one call site with one message per kind.
type InvariantError struct {
	Invariant string
	Detail    string
}

// Error renders the violation as "INVARIANT: detail".
func (e *InvariantError) Error() string { return e.Invariant + ": " + e.Detail }

// violation returns the violation of invariant inv, its detail formatted
// from format and args as by fmt.Sprintf.
func violation(inv, format string, args ...any) *InvariantError {
	return &InvariantError{Invariant: inv, Detail: fmt.Sprintf(format, args...)}
}

// Checker is the event-level model (§12.3): it consumes the
// implementation's events in the order they happened, rejects an event
// that the spec's S invariants forbid in the current state, and advances
// its own shadow state otherwise. It does not guess a linearization: every
// event is checked against preconditions that hold under any interleaving.
//
// Covered: REF-NONNEG, REL-ONCE, NO-UAF, FREE-ONLY-IN-RELEASE, OWNERSHIP,
// ADD-ONCE, DEL-ONCE, ADD-ERROR-NEUTRAL, ERROR-PROPAGATES (injected faults
// reach their callers: checker_faults.go), BIND-ONLY-LIVE, SINGLE-DRIVER,
// PROBE-REMOVE-PAIRING, OUTCOME-MAPPING (no bind without a successful
// probe; every bind triggers: checker_bind.go), MANUAL-SYNC,
// UNREGISTER-QUIESCES-DRIVER, DEL-QUIESCES-DEVICE, DEFER-LIST-EXCLUSIVE
// (at every add to Pending and when a bind completes), MODULE-LOAD-WAITS
// and DEVRES-SCOPE (release order and scope: checker_devres.go);
// [Checker.Quiescent] adds NO-LOST-TRIGGER, DEFER-PROGRESS
// (checker_progress.go), NO-LEAK and DEVRES-NO-CYCLE. Lock-level invariants (NO-DEADLOCK, NO-SELF-WAIT) and
// PROBECOUNT-BALANCED belong to the runtime and the instrumented core.
//
// Each event goes to the handler of its family, which lives in the
// family's file with the shadow state only that family uses: references
// and frees (checker_refs.go), DeviceAdd and DeviceDel
// (checker_devices.go), probe, bind and remove (checker_bind.go), driver
// registration (checker_drivers.go), the deferred lists
// (checker_deferred.go), async entries and module loads
// (checker_async.go), program calls (checker_tasks.go), devres
// (checker_devres.go), errors and injected faults (checker_faults.go) and
// driver_override (checker_progress.go).
//
// After the first violation the Checker is stuck: every later Check
// returns the same error. The zero value is not usable; use [NewChecker].
type Checker struct {
	modules    map[string]Module
	scripts    map[string]Driver // the driver catalogue, by name
	asyncProbe []string          // Config.AsyncProbeDrivers
	order      []string          // drivers in registration order
	devs       map[string]*cdev
	drvs       map[string]*cdrv
	lists      map[string]deferList // the deferred list each device is on (absent: none)
	pending    []string
	active     []string
	trigger    int
	defAll     bool
	tasks      map[string]*ctask
	pairs      map[pairKey]int // successful probes without their remove
	refState                   // checker_refs.go
	asyncState                 // checker_async.go
	n          int             // events checked
	err        error
}

// cdev is what the Checker knows of one device.
type cdev struct {
	handle, parent      string
	owner               string    // task that created d (owns Owner)
	holders             []cholder // one per reference
	zeroed, released    bool      // count reached 0; release callback ran
	freed               bool      // object freed
	phase               Phase     //
	onBus, dead, bound  bool      //
	driver              string    // bound driver
	probing, removing   string    // driver whose Probe/Remove is running
	lastOK              string    // driver whose last Probe of d returned nil
	removeDue           string    // driver whose successful Probe of d awaits its Remove's return
	stale               bool      // DEFER-PROGRESS exempts d (see checker_progress.go)
	override            string    // driver_override
	asyncDriver         string    //
	addEntered, addDone bool      //
	addErr              error     //
	delEntered          bool      //
	devres              []cdevres // LIFO
	deferFromProbe      bool      //
	deferTC             int       //
	// canMatch may be set: a Probe of d started, a match of d deferred, or
	// an attempt deferred while d was Registered (it passed the checks of
	// §7.1 step 2 then, a refusal of really_probe's). Never cleared.
	canMatch bool
	// unjustified marks an append to Pending while canMatch was not
	// known to be set (appendedAt: the event's index); see deferAdd.
	unjustified bool
	appendedAt  int
}

// NewChecker returns a checker for a run of a core configured as cfg (only
// AsyncProbeDrivers matters), whose driver catalogue is drivers (DEFER-PROGRESS
// dry-runs their scripts; a driver absent from it is never assumed to bind)
// and module catalogue is modules (MODULE-LOAD-WAITS needs each module's
// AsyncProbe flag).
func NewChecker(cfg Config, drivers []Driver, modules ...Module) *Checker {
	c := &Checker{
		modules:    make(map[string]Module),
		scripts:    make(map[string]Driver),
		asyncProbe: cfg.AsyncProbeDrivers,
		devs:       make(map[string]*cdev),
		drvs:       make(map[string]*cdrv),
		lists:      make(map[string]deferList),
		tasks:      make(map[string]*ctask),
		pairs:      make(map[pairKey]int),
		refState:   refState{objs: make(map[string]bool)},
		asyncState: asyncState{entries: make(map[int]*centry), initAt: make(map[string]int)},
	}
	for _, m := range modules {
		c.modules[m.Name] = m
	}
	for _, d := range drivers {
		c.scripts[d.Name] = d
	}
	return c
}

// Checked returns how many events were accepted.
func (c *Checker) Checked() int { return c.n }

// Check consumes one event. It returns nil when the event is allowed, or
// the *InvariantError it violates (wrapped with the event's index and
// text).
func (c *Checker) Check(ev Event) error {
	if c.err != nil {
		return c.err
	}
	if v := c.check(ev); v != nil {
		c.err = fmt.Errorf("event %d (%s): %w", c.n+1, ev, v)
		return c.err
	}
	c.task(ev.Task).last = c.n
	c.n++
	return nil
}

// check returns the violation ev commits in the current shadow state, or
// advances the shadow state by ev and returns nil. A trigger's cause is
// checked first (checker_deferred.go: before a bind's owed trigger is paid
// and forgotten), then a context owing a deferred-probe trigger
// (checker_bind.go); then ev goes to the handler of its family.
func (c *Checker) check(ev Event) *InvariantError {
	if v := c.triggerCause(ev); v != nil {
		return v
	}
	if v := c.owedTrigger(ev); v != nil {
		return v
	}
	switch ev.Kind {
	case EvNewDevice, EvGet, EvPut, EvRelabel, EvRelease, EvFree, EvAccess:
		return c.checkRefs(ev)
	case EvPhase, EvBusLink, EvKill, EvAddEnter, EvAddReturn, EvDelEnter, EvDelReturn:
		return c.checkDevice(ev)
	case EvProbeStart, EvProbeReturn, EvBound, EvUnbound, EvRemoveStart, EvRemoveReturn:
		return c.checkBinding(ev)
	case EvDriverState, EvAsyncDriver:
		return c.checkDriver(ev)
	case EvDeferredAdd, EvDeferredRefused, EvDeferredRemove, EvTrigger, EvDeferredPop, EvDeferAll:
		return c.checkDeferred(ev)
	case EvSchedule, EvEntryStart, EvEntryEnd, EvInitDone:
		return c.checkAsync(ev)
	case EvCall, EvReturn:
		return c.checkCall(ev)
	case EvDevresAdd, EvDevresRelease:
		return c.checkDevres(ev)
	case EvFault, EvComplete:
		return c.checkErrors(ev)
	case EvOverride:
		return c.override(ev)
	}
	return violation(InvEvent, "unknown event kind %d", int(ev.Kind))
}

// device returns d for an event that touches the object: unknown and freed
// devices are NO-UAF.
func (c *Checker) device(h string) (*cdev, *InvariantError) {
	d := c.devs[h]
	switch {
	case d == nil:
		return nil, violation(invNoUAF, "%s was never created", h)
	case d.freed:
		return nil, violation(invNoUAF, "%s used after it was freed", h)
	}
	return d, nil
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Quiescent evaluates the checkpoint invariants on the shadow state: at Q1
// (final false) OUTCOME-MAPPING (no bind still owes its trigger),
// NO-LOST-TRIGGER, DEFER-LIST-EXCLUSIVE and DEFER-PROGRESS; at Q2 (final
// true) also NO-LEAK (every device released and freed; DEVRES-NO-CYCLE when
// only devres references keep it), PROBE-REMOVE-PAIRING and no async entry
// left unfinished. Violations come in a deterministic order.
func (c *Checker) Quiescent(final bool) []Violation {
	out := append(c.owedTriggers(), c.pendingViolations()...)
	out = append(out, c.unjustifiedAppends()...)
	if !final {
		return append(out, c.deferProgress()...)
	}
	out = append(out, c.leaks()...)
	out = append(out, c.unpairedProbes()...)
	return append(out, c.unfinishedEntries()...)
}
