package model

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// InvariantError is a violated invariant: its name as in §15 and a
// deterministic explanation (no pointers, no map order), so that a property
// failing with it fails at one call site with one message per kind.
type InvariantError struct {
	Invariant string
	Detail    string
}

func (e *InvariantError) Error() string { return e.Invariant + ": " + e.Detail }

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
// After the first violation the Checker is stuck: every later Check
// returns the same error. The zero value is not usable; use [NewChecker].
type Checker struct {
	modules    map[string]Module
	scripts    map[string]Driver // the driver catalogue, by name
	asyncProbe []string          // Config.AsyncProbeDrivers
	order      []string          // drivers in registration order
	devs       map[string]*cdev
	objs       map[string]bool // non-device objects freed
	drvs       map[string]*cdrv
	lists      map[string]deferList // the deferred list each device is on (absent: none)
	pending    []string
	active     []string
	trigger    int
	defAll     bool
	entries    map[int]*centry
	tasks      map[string]*ctask
	pairs      map[pairKey]int // successful probes without their remove
	initAt     map[string]int  // module → schedule events seen when its Init returned
	scheduled  int             // schedule events seen
	cookie     int             // highest cookie seen
	n          int             // events checked
	err        error
}

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
}

type cholder struct{ label, taker string }

type cdrv struct {
	state DriverState
	bound []string
}

type centry struct {
	reg, ended bool
	// inline: the synchronous fallback ran fn in the caller (§9): not on
	// the pending list, so no drain waits for it. seq: the entry's place
	// among the schedule events, in event order (cookies may be issued out
	// of it).
	inline bool
	seq    int
}

// ctask is what the Checker knows of one context.
type ctask struct {
	op        Op       // the program call in progress, nil for none
	callbacks int      // nesting of Probe/Remove callbacks running in this context
	probing   []string // devices whose Probe callback runs in this context, innermost last
	binding   string   // device bound here whose deferred-probe trigger is owed
	adds      []caddFrame
	// An F-PROBE-* hit whose probe attempt has not ended, and the callback
	// depth it was hit at.
	probeFault      string
	probeFaultDepth int
	// Faults and adds of the program call op: an F-DRV-* or F-PROBE-* hit
	// at its top level, and the error of its outermost DeviceAdd.
	callFault string
	addRan    bool
	addErr    error
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
		objs:       make(map[string]bool),
		drvs:       make(map[string]*cdrv),
		lists:      make(map[string]deferList),
		entries:    make(map[int]*centry),
		tasks:      make(map[string]*ctask),
		pairs:      make(map[pairKey]int),
		initAt:     make(map[string]int),
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
	c.n++
	return nil
}

func (c *Checker) task(t string) *ctask {
	k := c.tasks[t]
	if k == nil {
		k = &ctask{}
		c.tasks[t] = k
	}
	return k
}

func (c *Checker) drv(name string) *cdrv {
	d := c.drvs[name]
	if d == nil {
		d = &cdrv{}
		c.drvs[name] = d
	}
	return d
}

// device returns d for an event that touches the object: unknown and freed
// devices are NO-UAF.
func (c *Checker) device(h string) (*cdev, *InvariantError) {
	d := c.devs[h]
	switch {
	case d == nil:
		return nil, violation("NO-UAF", "%s was never created", h)
	case d.freed:
		return nil, violation("NO-UAF", "%s used after it was freed", h)
	}
	return d, nil
}

// labelOwner returns the context that must put label (§2), or "" when any
// context may: taker is the context that took it.
func labelOwner(label, taker string) string {
	open, close := strings.IndexByte(label, '('), strings.LastIndexByte(label, ')')
	if open < 0 || close < open {
		switch label {
		case LabelOwner, LabelAddTransient:
			return taker
		case LabelDeferredWorker:
			return workerCtx
		}
		return "" // Reg: whoever completes DeviceDel
	}
	arg := label[open+1 : close]
	switch label[:open] {
	case "Task", "Lookup", "Iterator", "Detach":
		return arg
	case "AsyncAttach", "AsyncAttachParent", "AsyncRegister", "AsyncRegisterParent", "AsyncUnregister":
		if n, err := strconv.Atoi(arg); err == nil {
			return entryCtx(n)
		}
	}
	return "" // ParentOf, Devres: the task running the del or the devres action
}

// teardownCtx is the teardown task, which inherits the program tasks'
// labels (§14.8).
const teardownCtx = "TD"

func (c *Checker) check(ev Event) *InvariantError {
	if v := c.owedTrigger(ev); v != nil {
		return v
	}
	switch ev.Kind {
	case EvNewDevice:
		if _, dup := c.devs[ev.Dev]; dup {
			return violation("ADD-ONCE", "%s created twice", ev.Dev)
		}
		c.devs[ev.Dev] = &cdev{handle: ev.Dev, parent: ev.Parent, owner: ev.Task,
			holders: []cholder{{LabelOwner, ev.Task}}}
	case EvGet:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if d.zeroed || len(d.holders) == 0 {
			return violation("NO-UAF", "get %s on %s at refcount 0", ev.Label, ev.Dev)
		}
		d.holders = append(d.holders, cholder{ev.Label, ev.Task})
	case EvPut:
		return c.put(ev)
	case EvRelabel:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		i := slices.IndexFunc(d.holders, func(h cholder) bool { return h.label == ev.Label })
		if i < 0 {
			return violation("OWNERSHIP", "%s relabels %s on %s, which holds %s", ev.Task, ev.Label, ev.Dev, d.labels())
		}
		d.holders[i] = cholder{ev.To, ev.Task}
	case EvRelease:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if !d.zeroed || d.released {
			return violation("REL-ONCE", "release of %s (count reached 0: %v, released before: %v)", ev.Dev, d.zeroed, d.released)
		}
		d.released = true
	case EvFree:
		if d := c.devs[ev.Obj]; d != nil {
			if d.freed {
				return violation("NO-UAF", "%s freed twice", ev.Obj)
			}
			if !d.released {
				return violation("FREE-ONLY-IN-RELEASE", "%s freed outside its release (holders %s)", ev.Obj, d.labels())
			}
			d.freed = true
			return nil
		}
		if c.objs[ev.Obj] {
			return violation("NO-UAF", "%s freed twice", ev.Obj)
		}
		c.objs[ev.Obj] = true
	case EvAccess:
		if d := c.devs[ev.Obj]; d != nil && d.freed || c.objs[ev.Obj] {
			return violation("NO-UAF", "%s accesses %s after it was freed", ev.Task, ev.Obj)
		}
	case EvPhase:
		return c.phase(ev)
	case EvOnBus:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		d.onBus = ev.Flag
	case EvKill:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if d.dead {
			return violation("DEL-ONCE", "%s killed twice", ev.Dev)
		}
		d.dead = true
	case EvAddEnter:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if d.addEntered || d.delEntered {
			return violation("ADD-ONCE", "DeviceAdd(%s) entered again", ev.Dev)
		}
		d.addEntered = true
		c.addEnter(ev)
		c.pathAStarts(ev.Dev)
	case EvAddReturn:
		if v := c.addFaultReturn(ev); v != nil {
			return v
		}
		return c.addReturn(ev)
	case EvDelEnter:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if d.delEntered {
			return violation("DEL-ONCE", "DeviceDel(%s) entered twice", ev.Dev)
		}
		d.delEntered = true
	case EvDelReturn:
		return c.delReturn(ev)
	case EvProbeStart:
		return c.probeStart(ev)
	case EvProbeReturn:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if d.probing != ev.Drv {
			return violation("SINGLE-DRIVER", "probe of %s by %s returns, but %q was probing", ev.Dev, ev.Drv, d.probing)
		}
		d.probing = ""
		k := c.task(ev.Task)
		k.callbacks--
		k.probing = removeString(k.probing, ev.Dev)
		d.lastOK = ""
		if ev.Err == nil {
			d.lastOK, d.removeDue = ev.Drv, ev.Drv
			c.pairs[pairKey{ev.Dev, ev.Drv}]++
		}
	case EvBound:
		if _, v := c.probeAttemptEnds(ev, true); v != nil {
			return v
		}
		if v := c.bound(ev); v != nil {
			return v
		}
		c.task(ev.Task).binding = ev.Dev
	case EvUnbound:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if faulted, _ := c.probeAttemptEnds(ev, false); faulted != "" || d.bound {
			d.stale = true // DEFER-PROGRESS: a fault refused its attempt, or an unbind
		}
		for _, r := range d.devres {
			if r.probeTime {
				return violation("DEVRES-SCOPE", "%s loses its driver with a probe-time devres entry left", ev.Dev)
			}
		}
		if d.bound {
			dr := c.drv(d.driver)
			dr.bound = removeString(dr.bound, ev.Dev)
		}
		d.bound, d.driver = false, ""
	case EvRemoveStart:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		k := pairKey{ev.Dev, ev.Drv}
		if c.pairs[k] == 0 {
			return violation("PROBE-REMOVE-PAIRING", "Remove(%s, %s) without a successful probe to pair with", ev.Dev, ev.Drv)
		}
		if d.probing != "" || d.removing != "" {
			return violation("SINGLE-DRIVER", "Remove(%s, %s) overlaps a probe or remove", ev.Dev, ev.Drv)
		}
		if c.drv(ev.Drv).state == Unregistered {
			return violation("UNREGISTER-QUIESCES-DRIVER", "Remove(%s, %s) after the driver's unregistration returned", ev.Dev, ev.Drv)
		}
		c.pairs[k]--
		d.removing = ev.Drv
		c.task(ev.Task).callbacks++
	case EvRemoveReturn:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		d.removing, d.removeDue = "", ""
		c.task(ev.Task).callbacks--
	case EvAsyncDriver:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		d.asyncDriver = ev.Drv
		c.asyncSkips()
	case EvDeferAdd:
		return c.deferAdd(ev)
	case EvDeferDel:
		c.unlist(ev.Dev)
	case EvTrigger:
		c.trigger++
		for _, h := range c.pending {
			c.lists[h] = onActive
		}
		c.active = append(c.active, c.pending...)
		c.pending = nil
	case EvWorkerPop:
		if len(c.active) == 0 || c.active[0] != ev.Dev {
			return violation("DEFER-LIST-EXCLUSIVE", "worker popped %s, Active is %v", ev.Dev, c.active)
		}
		c.unlist(ev.Dev)
		c.pathAStarts(ev.Dev)
	case EvDeferAll:
		c.defAll = ev.Flag
	case EvSchedule:
		if op := c.manual(c.task(ev.Task)); op != "" {
			return violation("MANUAL-SYNC", "%s called AsyncSchedule outside a driver callback", op)
		}
		if ev.Cookie > c.cookie {
			c.cookie = ev.Cookie
		}
		c.scheduled++
		c.entries[ev.Cookie] = &centry{reg: !ev.Flag, inline: ev.Inline, seq: c.scheduled}
	case EvEntryStart:
	case EvEntryEnd:
		if e := c.entries[ev.Cookie]; e != nil {
			e.ended = true
		}
	case EvComplete:
		d, v := c.device(ev.Dev)
		if v != nil {
			return v
		}
		if !d.addDone || ev.Err != d.addErr { //nolint:errorlint // the very error the add returned, not one wrapping it
			return violation("ERROR-PROPAGATES", "completion of %s carries %s, its add returned %s (returned: %v)",
				ev.Dev, errString(ev.Err), errString(d.addErr), d.addDone)
		}
	case EvDevresAdd:
		return c.devresAdd(ev)
	case EvDevresRelease:
		return c.devresRelease(ev)
	case EvFault:
		return c.fault(ev)
	case EvOverride:
		return c.override(ev)
	case EvDriverState:
		return c.driverState(ev)
	case EvInitDone:
		c.initAt[ev.Module] = c.scheduled
	case EvCall:
		k := c.task(ev.Task)
		k.op, k.callFault, k.addRan, k.addErr = ev.Op, "", false, nil
		if op, ok := ev.Op.(Reprobe); ok {
			c.pathAStarts(op.Dev)
		}
	case EvReturn:
		return c.apiReturn(ev)
	default:
		return violation("EVENT", "unknown event kind %d", int(ev.Kind))
	}
	return nil
}

func (d *cdev) labels() string {
	ls := make([]string, len(d.holders))
	for i, h := range d.holders {
		ls[i] = h.label
	}
	sort.Strings(ls)
	return "[" + strings.Join(ls, " ") + "]"
}

func (c *Checker) put(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	if d.zeroed || len(d.holders) == 0 {
		return violation("REF-NONNEG", "put %s on %s at refcount 0", ev.Label, ev.Dev)
	}
	i := slices.IndexFunc(d.holders, func(h cholder) bool { return h.label == ev.Label })
	if i < 0 {
		return violation("OWNERSHIP", "%s puts %s on %s, which holds %s", ev.Task, ev.Label, ev.Dev, d.labels())
	}
	if owner := labelOwner(ev.Label, d.holders[i].taker); owner != "" && owner != ev.Task && ev.Task != teardownCtx {
		return violation("OWNERSHIP", "%s puts %s on %s, owned by %s", ev.Task, ev.Label, ev.Dev, owner)
	}
	d.holders = slices.Delete(d.holders, i, i+1)
	if len(d.holders) == 0 {
		d.zeroed = true
	}
	return nil
}

func (c *Checker) phase(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	from, to := d.phase, ev.Phase
	ok := (from == Initialized && to == Adding) ||
		(from == Adding && (to == Registered || to == AddFailed)) ||
		(from == Registered && to == Deleted)
	if !ok {
		inv := "ADD-ONCE"
		if to == Deleted {
			inv = "DEL-ONCE"
		}
		return violation(inv, "%s goes from %s to %s", ev.Dev, from, to)
	}
	d.phase = to
	return nil
}

func (c *Checker) addReturn(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	d.addDone, d.addErr = true, ev.Err
	if ev.Err == nil {
		return nil
	}
	has := func(dev *cdev, label string) bool {
		return slices.ContainsFunc(dev.holders, func(h cholder) bool { return h.label == label })
	}
	switch {
	case has(d, LabelAddTransient):
		return violation("ADD-ERROR-NEUTRAL", "failed add of %s kept AddTransient", ev.Dev)
	case d.parent != "" && c.devs[d.parent] != nil && has(c.devs[d.parent], parentOfLabel(ev.Dev)):
		return violation("ADD-ERROR-NEUTRAL", "failed add of %s kept ParentOf on %s", ev.Dev, d.parent)
	case !has(d, LabelOwner):
		return violation("ADD-ERROR-NEUTRAL", "failed add of %s dropped Owner", ev.Dev)
	case d.onBus || d.bound || d.driver != "" || c.lists[ev.Dev] != offLists:
		return violation("ADD-ERROR-NEUTRAL", "failed add of %s left it on the bus, bound or deferred", ev.Dev)
	}
	return nil
}

func (c *Checker) delReturn(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	if d.bound || d.driver != "" || d.probing != "" || c.lists[ev.Dev] != offLists {
		return violation("DEL-QUIESCES-DEVICE", "DeviceDel(%s) returns with it bound or deferred", ev.Dev)
	}
	for _, r := range d.devres {
		if !r.afterDel {
			return violation("DEVRES-SCOPE", "DeviceDel(%s) returns with a devres entry added before it", ev.Dev)
		}
	}
	for k, n := range c.pairs {
		if k.dev == ev.Dev && n > 0 {
			return violation("PROBE-REMOVE-PAIRING", "DeviceDel(%s) returns before %s's remove", ev.Dev, k.drv)
		}
	}
	return nil
}

func (c *Checker) probeStart(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	dr := c.drv(ev.Drv)
	switch {
	case d.phase != Registered || d.dead:
		return violation("BIND-ONLY-LIVE", "probe of %s (phase %s, dead %v) by %s", ev.Dev, d.phase, d.dead, ev.Drv)
	case dr.state == Unregistered:
		return violation("BIND-ONLY-LIVE", "probe of %s by %s after its unregistration returned", ev.Dev, ev.Drv)
	case d.probing != "" || d.removing != "" || d.bound:
		return violation("SINGLE-DRIVER", "probe of %s by %s while %q probes, %q removes, bound to %q",
			ev.Dev, ev.Drv, d.probing, d.removing, d.driver)
	}
	d.probing = ev.Drv
	k := c.task(ev.Task)
	k.callbacks++
	k.probing = append(k.probing, ev.Dev)
	return nil
}

func (c *Checker) bound(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	dr := c.drv(ev.Drv)
	switch {
	case d.dead || d.phase != Registered:
		return violation("BIND-ONLY-LIVE", "%s bound to %s while dead or %s", ev.Dev, ev.Drv, d.phase)
	case dr.state == Unregistered:
		return violation("BIND-ONLY-LIVE", "%s bound to %s after its unregistration returned", ev.Dev, ev.Drv)
	case d.bound:
		return violation("SINGLE-DRIVER", "%s bound to %s while bound to %s", ev.Dev, ev.Drv, d.driver)
	case d.lastOK != ev.Drv:
		return violation("OUTCOME-MAPPING", "%s bound to %s without a successful probe", ev.Dev, ev.Drv)
	}
	d.bound, d.driver, d.lastOK = true, ev.Drv, ""
	dr.bound = append(dr.bound, ev.Dev)
	return nil
}

// manual returns the manual operation (Bind, Unbind, Reprobe) task k is in,
// outside any driver callback, or "".
func (c *Checker) manual(k *ctask) string {
	if k.callbacks > 0 || k.op == nil {
		return ""
	}
	switch k.op.(type) {
	case Bind:
		return "Bind"
	case Unbind:
		return "Unbind"
	case Reprobe:
		return "Reprobe"
	}
	return ""
}

func (c *Checker) deferAdd(ev Event) *InvariantError {
	d, v := c.device(ev.Dev)
	if v != nil {
		return v
	}
	if c.manual(c.task(ev.Task)) == "Bind" {
		return violation("MANUAL-SYNC", "Bind added %s to Pending", ev.Dev)
	}
	switch {
	case c.lists[ev.Dev] != offLists:
		return violation("DEFER-LIST-EXCLUSIVE", "%s added to Pending while on a deferred list", ev.Dev)
	case d.bound || d.dead || (d.phase != Adding && d.phase != Registered):
		return violation("DEFER-LIST-EXCLUSIVE", "%s added to Pending while bound, dead or %s", ev.Dev, d.phase)
	}
	c.lists[ev.Dev] = onPending
	c.pending = append(c.pending, ev.Dev)
	d.deferFromProbe, d.deferTC = ev.Flag, ev.Count
	return nil
}

func (c *Checker) unlist(h string) {
	c.pending = removeString(c.pending, h)
	c.active = removeString(c.active, h)
	delete(c.lists, h)
}

func (c *Checker) driverState(ev Event) *InvariantError {
	dr := c.drv(ev.Drv)
	if ev.DrvState == Unregistered {
		if len(dr.bound) > 0 {
			return violation("UNREGISTER-QUIESCES-DRIVER", "%s unregistered with %v bound", ev.Drv, dr.bound)
		}
		for _, h := range sortedKeys(c.devs) {
			if d := c.devs[h]; d.asyncDriver == ev.Drv && !d.freed {
				return violation("UNREGISTER-QUIESCES-DRIVER", "%s unregistered with an async attach of %s queued", ev.Drv, h)
			}
		}
		for k, n := range c.pairs {
			if k.drv == ev.Drv && n > 0 {
				return violation("PROBE-REMOVE-PAIRING", "%s unregistered before %s's remove", ev.Drv, k.dev)
			}
		}
	}
	if ev.DrvState == Registering && dr.state == Unlisted {
		c.order = append(c.order, ev.Drv)
	}
	dr.state = ev.DrvState
	switch ev.DrvState {
	case Registering:
		c.asyncSkips()
	case Unregistered:
		c.staleOnPending()
	}
	return nil
}

func (c *Checker) apiReturn(ev Event) *InvariantError {
	k := c.task(ev.Task)
	k.op = nil
	if v := c.callErrors(k, ev.Op, ev.Result); v != nil {
		return v
	}
	switch op := ev.Op.(type) {
	case ModuleLoad:
		m, known := c.modules[op.Module]
		issued, done := c.initAt[op.Module]
		if ev.Result.Err != nil || !known || m.AsyncProbe || !done {
			return nil
		}
		for n := 1; n <= c.cookie; n++ {
			if e := c.entries[n]; e != nil && e.reg && !e.inline && e.seq <= issued && !e.ended {
				return violation("MODULE-LOAD-WAITS", "ModuleLoad(%s) returned with entry %d pending", op.Module, n)
			}
		}
	}
	return nil
}

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
	out := c.owedTriggers()
	for _, h := range c.pending {
		d := c.devs[h]
		if !c.defAll && d.deferFromProbe && d.deferTC != c.trigger {
			out = append(out, Violation{"NO-LOST-TRIGGER", h,
				fmt.Sprintf("deferred by a probe started at triggerCount %d, now %d", d.deferTC, c.trigger)})
		}
		if d.bound || d.dead || d.phase == AddFailed {
			out = append(out, Violation{"DEFER-LIST-EXCLUSIVE", h, "bound, dead or AddFailed device on Pending"})
		}
	}
	if !final {
		return append(out, c.deferProgress()...)
	}
	for _, h := range sortedKeys(c.devs) {
		d := c.devs[h]
		if d.released && d.freed {
			continue
		}
		inv := "NO-LEAK"
		if len(d.holders) > 0 && !slices.ContainsFunc(d.holders, func(x cholder) bool { return !strings.HasPrefix(x.label, "Devres(") }) {
			inv = "DEVRES-NO-CYCLE"
		}
		out = append(out, Violation{inv, h, "never released; holders " + d.labels()})
	}
	keys := make([]pairKey, 0, len(c.pairs))
	for k, n := range c.pairs {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].dev < keys[j].dev || keys[i].dev == keys[j].dev && keys[i].drv < keys[j].drv
	})
	for _, k := range keys {
		out = append(out, Violation{"PROBE-REMOVE-PAIRING", k.dev + "/" + k.drv, "successful probe without its remove"})
	}
	for n := 1; n <= c.cookie; n++ {
		if e := c.entries[n]; e != nil && !e.ended {
			out = append(out, Violation{"NO-LEAK", "entry " + strconv.Itoa(n), "async entry never finished"})
		}
	}
	return out
}

// deferList is the deferred-probe list a device is on, as the checker
// shadows it (§8).
type deferList int

// The lists; offLists is none.
const (
	offLists deferList = iota
	onPending
	onActive
)

func (l deferList) String() string {
	switch l {
	case onPending:
		return "Pending"
	case onActive:
		return "Active"
	}
	return "no list"
}
