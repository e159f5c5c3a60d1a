package properties

import (
	"errors"
	"strconv"
	"strings"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// This file translates the implementation's commit-point events (sut.Event,
// as recorded in a controlled trace) into the reference model's event
// vocabulary (model.Event), for the event-level model.Checker (spec §12.3).
// The two packages never import each other; this is the only place where
// their vocabularies meet.
//
// Contexts are named as the model names them: client i is "T<i+1>", the
// teardown task "TD", the deferred worker "W", and an async entry with
// cookie e is "A<e>" from its EvAsyncStart to its EvAsyncEnd, whether it
// runs in a task of its own or inline in its scheduler's task. Holder labels
// that name a task ("Task(T1)", "Iterator(T7)", ...) name its context the
// same way, so that the model's ownership rule (§2) sees the owning context.
//
// An EvDeferredAdd that did not add the device (it was dead, bound, on a
// list, or had never reached a driver) becomes the model's
// EvDeferredRefused: the model's EvDeferredAdd means "added to Pending",
// and a refused one still ends its attempt (its triggerCount snapshot is
// checked) and is still a call of deferred_add (MANUAL-SYNC).
//
// What is dropped, and why:
//   - EvLock, EvUnlock: lock-level invariants (NO-DEADLOCK, NO-SELF-WAIT)
//     are the runtime's; the model has no lock events.
//   - EvAttempt: a probe attempt's outcome row, for the coverage count; its
//     effects arrive as their own events.
//   - EvModule of an unload (Flag false): nothing in the model depends on
//     it (a load becomes EvInitDone, which MODULE-LOAD-WAITS needs).
//   - EvComplete of a RegisterAsync(nil): there is no device to check.
//   - EvCall/EvReturn of AsyncSchedule and AsyncSynchronize*, which are not
//     program operations, and of any API call made inside another call or a
//     driver callback (a probe registering a child or a sub driver): the
//     model's EvCall is "a program API call", and MANUAL-SYNC must judge the
//     outermost one.
//
// The implementation emits no EvAccess: it checks each access itself
// (NO-UAF), so the model checks frees (double free, FREE-ONLY-IN-RELEASE,
// NO-LEAK) but not reads.

// translator turns the events of one controlled run into model events. It
// keeps the state the translation needs: which async entry each task is
// running, and which API calls each context has in progress. The zero
// value is not usable; use newTranslator.
type translator struct {
	tasks func() []sched.TaskInfo // the run's tasks; TaskID k is tasks()[k-1]
	byID  map[sched.TaskID]*taskState
	ctxs  map[string]*ctxState
	freed map[string]int // non-device objects freed, by description
}

// taskState is what the translator knows about one task.
type taskState struct {
	base    string   // its own context name
	entries []string // async entries it is running, innermost last
}

// ctx is the context the task's events belong to now.
func (t *taskState) ctx() string {
	if n := len(t.entries); n > 0 {
		return t.entries[n-1]
	}
	return t.base
}

// ctxState is what the translator knows about one context.
type ctxState struct {
	calls     []callFrame // API calls in progress, innermost last
	callbacks int         // driver Probe/Remove callbacks running
}

// callFrame is an API call in progress. op is nil when the call is not
// reported to the model (see above).
type callFrame struct {
	op     model.Op
	module string // for ModuleLoad: the module whose Init returned nil
}

// newTranslator returns a translator for a run whose tasks are listed by
// tasks (called when a task is first seen, so it may be the live trace's).
func newTranslator(tasks func() []sched.TaskInfo) *translator {
	return &translator{tasks: tasks, byID: map[sched.TaskID]*taskState{}, ctxs: map[string]*ctxState{}, freed: map[string]int{}}
}

// taskContexts names the tasks the properties package and the core spawn
// under fixed names; clients are matched by prefix.
var taskContexts = map[string]string{"teardown": "TD", "deferred-worker": "W"}

// contextOf returns the model's name for a task named name: "T<n>" for
// client n, "TD", "W", or the task's own name for any other task.
func contextOf(name string) string {
	if c, ok := taskContexts[name]; ok {
		return c
	}
	if n, ok := strings.CutPrefix(name, "client"); ok {
		return "T" + n
	}
	return name
}

func (tr *translator) task(id sched.TaskID) *taskState {
	if t := tr.byID[id]; t != nil {
		return t
	}
	t := &taskState{base: "outside"}
	if ts := tr.tasks(); id >= 1 && int(id) <= len(ts) {
		t.base = contextOf(ts[id-1].Name)
	}
	tr.byID[id] = t
	return t
}

func (tr *translator) ctx(name string) *ctxState {
	c := tr.ctxs[name]
	if c == nil {
		c = &ctxState{}
		tr.ctxs[name] = c
	}
	return c
}

// translate appends to out the model events for one trace record (none
// for records that are not events of the core) and returns out.
func (tr *translator) translate(r sched.Record, out []model.Event) []model.Event {
	if r.Kind != sched.KindEvent {
		return out
	}
	ev, ok := r.Event.(sut.Event)
	if !ok || int(ev.Kind) >= len(eventTable) || eventTable[ev.Kind] == nil {
		return out
	}
	t := tr.task(r.Task)
	return eventTable[ev.Kind](tr, t, ev, out)
}

// translation translates one sut event emitted by task t.
type translation func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event

// eventTable maps each sut event kind to its translation; nil entries are
// dropped (see the file comment).
var eventTable = [...]translation{
	sut.EvCall:   (*translator).call,
	sut.EvReturn: (*translator).ret,
	sut.EvNewDevice: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvNewDevice, Device: ev.Device, Parent: ev.Label}
	}),
	sut.EvGet: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvGet, Device: ev.Device, Label: tr.label(t, ev.Label)}
	}),
	sut.EvPut: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvPut, Device: ev.Device, Label: tr.label(t, ev.Label)}
	}),
	sut.EvRelabel: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvRelabel, Device: ev.Device, Label: tr.label(t, ev.Label), To: tr.label(t, ev.To)}
	}),
	sut.EvRelease:   onDevice(model.EvRelease),
	sut.EvFree:      simple((*translator).free),
	sut.EvAddEnter:  onDevice(model.EvAddEnter),
	sut.EvAddReturn: deviceErr(model.EvAddReturn),
	sut.EvDelEnter:  onDevice(model.EvDelEnter),
	sut.EvDelReturn: onDevice(model.EvDelReturn),
	sut.EvPhase: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvPhase, Device: ev.Device, Phase: phases[ev.Label]}
	}),
	sut.EvKill: onDevice(model.EvKill),
	sut.EvBusLink: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvBusLink, Device: ev.Device, Flag: ev.Flag}
	}),
	sut.EvDriverState: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvDriverState, Driver: ev.Driver, DrvState: driverStates[ev.Label]}
	}),
	sut.EvAsyncDriver:  deviceDriver(model.EvAsyncDriver),
	sut.EvProbeStart:   callback(model.EvProbeStart, +1),
	sut.EvProbeReturn:  callback(model.EvProbeReturn, -1),
	sut.EvBound:        deviceDriver(model.EvBound),
	sut.EvUnbound:      deviceDriver(model.EvUnbound),
	sut.EvRemoveStart:  callback(model.EvRemoveStart, +1),
	sut.EvRemoveReturn: callback(model.EvRemoveReturn, -1),
	sut.EvDeferredAdd: func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		kind := model.EvDeferredAdd
		if !ev.Flag {
			kind = model.EvDeferredRefused
		}
		return append(out, model.Event{Kind: kind, Task: t.ctx(), Device: ev.Device, Flag: ev.Count >= 0, Count: ev.Count})
	},
	sut.EvDeferredRemove: onDevice(model.EvDeferredRemove),
	sut.EvDeferredPop:    onDevice(model.EvDeferredPop),
	sut.EvTrigger: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvTrigger, Count: ev.Count}
	}),
	sut.EvDeferAll: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvDeferAll, Flag: ev.Flag}
	}),
	sut.EvAsyncSchedule: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvSchedule, Cookie: ev.Count, Flag: ev.Domain == sut.DomainReg, Inline: ev.Flag}
	}),
	sut.EvAsyncStart: func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		t.entries = append(t.entries, "A"+strconv.Itoa(ev.Count))
		return append(out, model.Event{Kind: model.EvEntryStart, Task: t.ctx(), Cookie: ev.Count})
	},
	sut.EvAsyncEnd: func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		out = append(out, model.Event{Kind: model.EvEntryEnd, Task: t.ctx(), Cookie: ev.Count})
		if n := len(t.entries); n > 0 {
			t.entries = t.entries[:n-1]
		}
		return out
	},
	sut.EvComplete: func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		if ev.Device == "" {
			return out
		}
		return append(out, model.Event{Kind: model.EvComplete, Task: t.ctx(), Device: ev.Device, Err: modelErr(ev.Err)})
	},
	sut.EvDevresAdd: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvDevresAdd, Device: ev.Device, Label: ev.Label, Flag: ev.Flag}
	}),
	sut.EvDevresRelease: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvDevresRelease, Device: ev.Device, Label: ev.Label}
	}),
	sut.EvFault: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvFault, Label: ev.Label}
	}),
	sut.EvModule: func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		if !ev.Flag {
			return out
		}
		m := ev.Module
		if cs := tr.ctx(t.ctx()); len(cs.calls) > 0 {
			cs.calls[len(cs.calls)-1].module = m
		}
		return append(out, model.Event{Kind: model.EvInitDone, Task: t.ctx(), Module: m})
	},
	sut.EvLock:   nil,
	sut.EvUnlock: nil,
	sut.EvOverride: simple(func(tr *translator, t *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: model.EvOverride, Device: ev.Device, Label: ev.Label}
	}),
	sut.EvAttempt: nil,
}

// simple is a translation to exactly one event in the task's context.
func simple(f func(tr *translator, t *taskState, ev sut.Event) model.Event) translation {
	return func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		e := f(tr, t, ev)
		e.Task = t.ctx()
		return append(out, e)
	}
}

// onDevice translates an event about one device to kind.
func onDevice(kind model.EventKind) translation {
	return simple(func(_ *translator, _ *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: kind, Device: ev.Device}
	})
}

// deviceErr translates an event about one device and an error to kind.
func deviceErr(kind model.EventKind) translation {
	return simple(func(_ *translator, _ *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: kind, Device: ev.Device, Err: modelErr(ev.Err)}
	})
}

// deviceDriver translates an event about a device and a driver to kind.
func deviceDriver(kind model.EventKind) translation {
	return simple(func(_ *translator, _ *taskState, ev sut.Event) model.Event {
		return model.Event{Kind: kind, Device: ev.Device, Driver: ev.Driver, Err: modelErr(ev.Err)}
	})
}

// callback translates the start (delta +1) or return (-1) of a driver
// callback, counting the callbacks running in the context.
func callback(kind model.EventKind, delta int) translation {
	dd := deviceDriver(kind)
	return func(tr *translator, t *taskState, ev sut.Event, out []model.Event) []model.Event {
		tr.ctx(t.ctx()).callbacks += delta
		return dd(tr, t, ev, out)
	}
}

// label renames the task a holder label names ("Iterator(T7)") to its
// context: the emitting task's current context when the label names the
// emitting task, else the named task's context. Other labels are kept.
func (tr *translator) label(t *taskState, label string) string {
	open := strings.IndexByte(label, '(')
	if open < 0 || !strings.HasSuffix(label, ")") || label[open+1:open+2] != "T" {
		return label
	}
	n, err := strconv.Atoi(label[open+2 : len(label)-1])
	if err != nil {
		return label
	}
	named := tr.task(sched.TaskID(n))
	if named != t {
		return label[:open+1] + named.base + ")"
	}
	return label[:open+1] + t.ctx() + ")"
}

// free translates EvFree to the model's name of the object: a device by
// its handle, a driver's priv as "priv(D)", a module's code as
// "module(M)". Other objects (private parts, devres resources, override
// strings) keep the core's description (ObjectName); as two override
// strings of a device can have equal descriptions, a description freed
// before gets a "#n" suffix. (The core reports a double free of the same
// object itself, before the event.)
func (tr *translator) free(t *taskState, ev sut.Event) model.Event {
	var obj string
	switch ev.Object {
	case sut.ObjDevice:
		obj = ev.Device
	case sut.ObjDriverPriv:
		obj = "priv(" + ev.Driver + ")"
	case sut.ObjModuleCode:
		obj = "module(" + ev.Module + ")"
	default:
		obj = ev.ObjectName()
		tr.freed[obj]++
		if n := tr.freed[obj]; n > 1 {
			obj += " #" + strconv.Itoa(n)
		}
	}
	return model.Event{Kind: model.EvFree, Obj: obj}
}

// call translates EvCall: an outermost program call of its context becomes
// the model's EvCall; every call is remembered until its return.
func (tr *translator) call(t *taskState, ev sut.Event, out []model.Event) []model.Event {
	cs := tr.ctx(t.ctx())
	var op model.Op
	if mk := callOps[ev.Label]; mk != nil && len(cs.calls) == 0 && cs.callbacks == 0 {
		op = mk(ev)
	}
	cs.calls = append(cs.calls, callFrame{op: op})
	if op == nil {
		return out
	}
	return append(out, model.Event{Kind: model.EvCall, Task: t.ctx(), Op: op})
}

// ret translates EvReturn of a call that call reported.
func (tr *translator) ret(t *taskState, ev sut.Event, out []model.Event) []model.Event {
	cs := tr.ctx(t.ctx())
	n := len(cs.calls)
	if n == 0 {
		return out
	}
	f := cs.calls[n-1]
	cs.calls = cs.calls[:n-1]
	if f.op == nil {
		return out
	}
	op := f.op
	if _, ok := op.(model.ModuleLoad); ok {
		op = model.ModuleLoad{Module: f.module}
	}
	res := model.Result{Err: modelErr(ev.Err), Won: ev.Flag, Handle: ev.Device}
	return append(out, model.Event{Kind: model.EvReturn, Task: t.ctx(), Op: op, Result: res})
}

// callOps builds the model's operation from a sut EvCall (operation in
// Label, its device in Device, its driver in Driver). Operations absent
// here are not program operations. Arguments the call event does not carry
// (a new device's name, a module's name, an override's value) stay empty:
// the Checker judges calls by their kind, and ModuleLoad gets its module
// at the return (from EvModule).
var callOps = map[string]func(sut.Event) model.Op{
	"NewDevice":          func(e sut.Event) model.Op { return model.NewDevice{Parent: e.Device} },
	"DeviceAdd":          func(e sut.Event) model.Op { return model.DeviceAdd{Device: e.Device} },
	"RegisterSync":       func(e sut.Event) model.Op { return model.RegisterSync{Device: e.Device} },
	"NewAndRegister":     func(e sut.Event) model.Op { return model.NewAndRegister{Parent: e.Device} },
	"RegisterAsync":      func(e sut.Event) model.Op { return model.RegisterAsync{Device: e.Device} },
	"Wait":               func(e sut.Event) model.Op { return model.CompletionWait{Device: e.Device} },
	"Unregister":         func(e sut.Event) model.Op { return model.Unregister{Device: e.Device} },
	"TryUnregister":      func(e sut.Event) model.Op { return model.TryUnregister{Device: e.Device} },
	"UnregisterAsync":    func(e sut.Event) model.Op { return model.UnregisterAsync{Device: e.Device} },
	"Get":                func(e sut.Event) model.Op { return model.Get{Device: e.Device} },
	"Put":                func(e sut.Event) model.Op { return model.Put{Device: e.Device} },
	"PutOwner":           func(e sut.Event) model.Op { return model.PutOwner{Device: e.Device} },
	"PutLookup":          func(e sut.Event) model.Op { return model.PutLookup{Device: e.Device} },
	"FindDevice":         func(e sut.Event) model.Op { return model.FindDevice{} },
	"DriverRegister":     func(e sut.Event) model.Op { return model.DriverRegister{Driver: e.Driver} },
	"DriverUnregister":   func(e sut.Event) model.Op { return model.DriverUnregister{Driver: e.Driver} },
	"ModuleLoad":         func(e sut.Event) model.Op { return model.ModuleLoad{} },
	"ModuleUnload":       func(e sut.Event) model.Op { return model.ModuleUnload{} },
	"Bind":               func(e sut.Event) model.Op { return model.Bind{Device: e.Device, Driver: e.Driver} },
	"Unbind":             func(e sut.Event) model.Op { return model.Unbind{Device: e.Device} },
	"Reprobe":            func(e sut.Event) model.Op { return model.Reprobe{Device: e.Device} },
	"WaitForDeviceProbe": func(e sut.Event) model.Op { return model.WaitForDeviceProbe{} },
	"BlockProbing":       func(e sut.Event) model.Op { return model.BlockProbing{} },
	"UnblockProbing":     func(e sut.Event) model.Op { return model.UnblockProbing{} },
	"DevresAdd":          func(e sut.Event) model.Op { return model.DevresAdd{Device: e.Device} },
	"SetOverride":        func(e sut.Event) model.Op { return model.SetOverride{Device: e.Device} },
}

// phases and driverStates map the core's names of phases and driver
// states to the model's (the spec's names: both spell them alike).
var (
	phases       = names(model.Initialized, model.AddFailed)
	driverStates = names(model.Unlisted, model.Unregistered)
)

func names[T interface {
	~int
	String() string
}](first, last T) map[string]T {
	m := map[string]T{}
	for v := first; v <= last; v++ {
		m[v.String()] = v
	}
	return m
}

// foreignErrs are the model's stand-ins for the core's errors that are not
// sentinels of the spec: a script's other error (ErrIO) and anything
// unnamed. Equal names give the same value, which is all the Checker
// compares (a completion's error with its add's).
var foreignErrs = map[string]error{
	"ErrIO": errors.New("EIO (a script's other error)"),
	"other": errors.New("an error that is not a sentinel"),
}

// modelErr maps an error name of the core (sut.ErrName) to the model's
// sentinel of the same name.
func modelErr(name string) error {
	if name == "" {
		return nil
	}
	if err, ok := model.ErrorByName(name); ok {
		return err
	}
	if err, ok := foreignErrs[name]; ok {
		return err
	}
	return foreignErrs["other"]
}
