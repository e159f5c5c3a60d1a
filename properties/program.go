package properties

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/devstress/devstress/sched"
)

// A Program is one test case: the drivers and modules that exist, the
// operations each client task runs, and the fault plan. It is a plain value:
// the executor turns it into calls on the implementation and into
// operations of the model, and rapid shrinks it like any other value.
type Program struct {
	Drivers []Driver
	Modules []Module
	Clients [][]Op
	Faults  []sched.Fault
	// MaxPending is the async layer's limit (0: none).
	MaxPending int
}

// ProbeType is a driver's probe type (spec §1).
type ProbeType int

// The probe types.
const (
	ProbeDefault ProbeType = iota
	PreferAsync
	ForceSync
)

var probeTypeNames = [...]string{"Default", "PreferAsync", "ForceSync"}

func (p ProbeType) String() string { return probeTypeNames[p] }

// MatchResult is a scripted match result (spec §6.0).
type MatchResult int

// The match results. A name absent from a driver's table does not match.
const (
	MatchNo MatchResult = iota
	MatchYes
	MatchDefer
	MatchError
)

var matchNames = [...]string{"no", "yes", "defer", "error"}

func (m MatchResult) String() string { return matchNames[m] }

// Outcome is a probe script's result (spec §14.2).
type Outcome int

// The probe results.
const (
	ProbeOK    Outcome = iota
	ProbeDefer         // DeferUntil(Until bound)
	ProbeNoDev         // ErrNoDev, silent
	ProbeNXIO          // ErrNXIO, silent
	ProbeNoMem         // ErrNoMem, a warning
)

var outcomeNames = [...]string{"ok", "defer", "ENODEV", "ENXIO", "ENOMEM"}

// ActionKind is what a probe script does before its result.
type ActionKind int

// The probe actions of spec §14.2.
const (
	ActDevres     ActionKind = iota // DevresAdd(d, plain)
	ActDevresSelf                   // DevresAdd(d, ref(d))
	ActDevresRef                    // DevresAdd(d, ref(the device named Name)), skipped if none
	ActChild                        // RegisterChild(Name)
	ActSubDriver                    // DriverRegister(sub driver Name), matching nothing
	ActWaitGate                     // Wait(gate Name)
)

// Action is one probe action.
type Action struct {
	Kind ActionKind
	Name string
}

func (a Action) String() string {
	switch a.Kind {
	case ActDevres:
		return "devres"
	case ActDevresSelf:
		return "devres(ref self)"
	case ActDevresRef:
		return "devres(ref " + a.Name + ")"
	case ActChild:
		return "child " + a.Name
	case ActSubDriver:
		return "register " + a.Name
	default:
		return "wait " + a.Name
	}
}

// ProbeScript is a driver's probe script for one device name.
type ProbeScript struct {
	Actions []Action
	Result  Outcome
	Until   string // the device name of DeferUntil
}

func (p ProbeScript) String() string {
	var parts []string
	for _, a := range p.Actions {
		parts = append(parts, a.String())
	}
	r := outcomeNames[p.Result]
	if p.Result == ProbeDefer {
		r = "defer until " + p.Until + " bound"
	}
	return strings.Join(append(parts, r), "; ")
}

// RemoveScript is a driver's remove script for one device name (spec §14.2):
// wait for a gate (Gate non-empty), touch the probe-time devres
// (UseDevres), then unregister the probe's children.
type RemoveScript struct {
	Gate      string
	UseDevres bool
}

func (r RemoveScript) String() string {
	var parts []string
	if r.Gate != "" {
		parts = append(parts, "wait "+r.Gate)
	}
	if r.UseDevres {
		parts = append(parts, "use devres")
	}
	return strings.Join(parts, "; ")
}

// Driver is a scripted driver: its match table, probe and remove scripts by
// device name. A name absent from Probe probes successfully with no action;
// one absent from Remove removes with no action but the children's
// unregistration.
type Driver struct {
	Name      string
	ProbeType ProbeType
	Module    string // set for drivers registered only by their module
	Match     map[string]MatchResult
	Probe     map[string]ProbeScript
	Remove    map[string]RemoveScript
}

// Module is a loadable module registering its drivers in order.
type Module struct {
	Name       string
	Drivers    []string
	AsyncProbe bool
}

// OpKind is a program operation.
type OpKind int

// The operations. Device operations name a device of the same client by its
// index D among the devices that client created (Dev); Parent and Ref do
// the same (-1: none). A client uses another client's devices only through
// Find, which takes a Lookup reference.
const (
	OpNewDevice        OpKind = iota // NewDevice(Name, Parent)
	OpRegister                       // RegisterSync(D); PutOwner(D) on error
	OpNewAndRegister                 // NewAndRegister(Name, Parent)
	OpRegisterAsync                  // RegisterAsync(D)
	OpWait                           // Wait on D's completion; PutOwner(D) on error
	OpUnregister                     // Unregister(D)
	OpGet                            // Get(D)
	OpPut                            // Put(D)
	OpTryUnregister                  // Get(D) if needed, TryUnregister(D)
	OpUnregisterAsync                // Get(D) if needed, UnregisterAsync(D)
	OpDevres                         // DevresAdd(D, plain), or ref(Ref)
	OpSetOverride                    // SetOverride(D, Name)
	OpBind                           // Bind(D, Driver)
	OpUnbind                         // Unbind(D)
	OpReprobe                        // Reprobe(D)
	OpFind                           // FindDevice(name == Name): kept as the client's lookup
	OpPutLookup                      // PutLookup(lookup)
	OpLookupOverride                 // x := FindDevice(Name); SetOverride(x, Driver); PutLookup(x)
	OpLookupBind                     // x := FindDevice(Name); Bind(x, Driver); PutLookup(x)
	OpLookupUnbind                   // x := FindDevice(Name); Unbind(x); PutLookup(x)
	OpLookupDevres                   // x := FindDevice(Name); DevresAdd(x, plain), or ref(x) if Ref >= 0; PutLookup(x)
	OpDriverRegister                 // DriverRegister(Driver)
	OpDriverUnregister               // DriverUnregister(Driver)
	OpModuleLoad                     // ModuleLoad(Module)
	OpModuleUnload                   // ModuleUnload(Module)
	OpWaitForProbe                   // WaitForDeviceProbe()
	OpBlockProbing                   // BlockProbing()
	OpUnblockProbing                 // UnblockProbing()
	OpOpenGate                       // Open(gate Name)
	opKinds
)

var opKindNames = [...]string{
	OpNewDevice: "NewDevice", OpRegister: "RegisterSync", OpNewAndRegister: "NewAndRegister",
	OpRegisterAsync: "RegisterAsync", OpWait: "Wait", OpUnregister: "Unregister", OpGet: "Get", OpPut: "Put",
	OpTryUnregister: "TryUnregister", OpUnregisterAsync: "UnregisterAsync", OpDevres: "DevresAdd",
	OpSetOverride: "SetOverride", OpBind: "Bind", OpUnbind: "Unbind", OpReprobe: "Reprobe", OpFind: "FindDevice",
	OpPutLookup: "PutLookup", OpLookupOverride: "LookupSetOverride", OpLookupBind: "LookupBind",
	OpLookupUnbind: "LookupUnbind", OpLookupDevres: "LookupDevresAdd", OpDriverRegister: "DriverRegister", OpDriverUnregister: "DriverUnregister",
	OpModuleLoad: "ModuleLoad", OpModuleUnload: "ModuleUnload", OpWaitForProbe: "WaitForDeviceProbe",
	OpBlockProbing: "BlockProbing", OpUnblockProbing: "UnblockProbing", OpOpenGate: "Open",
}

// OpKinds lists every operation kind, in order.
var OpKinds = func() []OpKind {
	ks := make([]OpKind, opKinds)
	for k := range ks {
		ks[k] = OpKind(k)
	}
	return ks
}()

func (k OpKind) String() string {
	if k >= 0 && k < opKinds {
		return opKindNames[k]
	}
	return fmt.Sprintf("op(%d)", int(k))
}

// Op is one operation of a client.
type Op struct {
	Kind   OpKind
	Dev    int
	Parent int
	Ref    int
	Name   string
	Driver string
	Module string
}

// String renders the operation as a program line; devices of the client
// are d0, d1, ... in creation order.
func (o Op) String() string {
	d := fmt.Sprintf("d%d", o.Dev)
	switch o.Kind {
	case OpNewDevice, OpNewAndRegister:
		call := "NewDevice"
		if o.Kind == OpNewAndRegister {
			call = "NewAndRegister"
		}
		if o.Parent >= 0 {
			return fmt.Sprintf("d%d := %s(%q, d%d)", o.Dev, call, o.Name, o.Parent)
		}
		return fmt.Sprintf("d%d := %s(%q)", o.Dev, call, o.Name)
	case OpRegister:
		return "RegisterSync(" + d + ")"
	case OpRegisterAsync:
		return "RegisterAsync(" + d + ")"
	case OpWait:
		return "Wait(" + d + ")"
	case OpUnregister:
		return "Unregister(" + d + ")"
	case OpGet:
		return "Get(" + d + ")"
	case OpPut:
		return "Put(" + d + ")"
	case OpTryUnregister:
		return "TryUnregister(" + d + ")"
	case OpUnregisterAsync:
		return "UnregisterAsync(" + d + ")"
	case OpDevres:
		if o.Ref >= 0 {
			return fmt.Sprintf("DevresAdd(%s, ref(d%d))", d, o.Ref)
		}
		return "DevresAdd(" + d + ", plain)"
	case OpSetOverride:
		return fmt.Sprintf("SetOverride(%s, %q)", d, o.Name)
	case OpBind:
		return fmt.Sprintf("Bind(%s, %s)", d, o.Driver)
	case OpUnbind:
		return "Unbind(" + d + ")"
	case OpReprobe:
		return "Reprobe(" + d + ")"
	case OpFind:
		return fmt.Sprintf("lookup := FindDevice(%q)", o.Name)
	case OpPutLookup:
		return "PutLookup(lookup)"
	case OpLookupOverride:
		return fmt.Sprintf("SetOverride(FindDevice(%q), %q)", o.Name, o.Driver)
	case OpLookupBind:
		return fmt.Sprintf("Bind(FindDevice(%q), %s)", o.Name, o.Driver)
	case OpLookupUnbind:
		return fmt.Sprintf("Unbind(FindDevice(%q))", o.Name)
	case OpLookupDevres:
		if o.Ref >= 0 {
			return fmt.Sprintf("x := FindDevice(%q); DevresAdd(x, ref(x))", o.Name)
		}
		return fmt.Sprintf("DevresAdd(FindDevice(%q), plain)", o.Name)
	case OpDriverRegister:
		return "DriverRegister(" + o.Driver + ")"
	case OpDriverUnregister:
		return "DriverUnregister(" + o.Driver + ")"
	case OpModuleLoad:
		return "ModuleLoad(" + o.Module + ")"
	case OpModuleUnload:
		return "ModuleUnload(" + o.Module + ")"
	case OpWaitForProbe:
		return "WaitForDeviceProbe()"
	case OpBlockProbing:
		return "BlockProbing()"
	case OpUnblockProbing:
		return "UnblockProbing()"
	case OpOpenGate:
		return "Open(" + o.Name + ")"
	}
	return fmt.Sprintf("op(%d)", int(o.Kind))
}

// Ops counts the program's operations.
func (p Program) Ops() int {
	n := 0
	for _, c := range p.Clients {
		n += len(c)
	}
	return n
}

// GoString renders the program as String does, on lines of its own, so
// that rapid's log of a drawn program ("draw program:") is readable.
// Alone returns p with its client k alone: what ExecuteSequential, which
// runs a program's first client, runs of client k.
func (p Program) Alone(k int) Program {
	p.Clients = [][]Op{p.Clients[k]}
	return p
}

func (p Program) GoString() string { return "\n" + p.String() }

// String renders the program: drivers with their scripts, modules, the
// fault plan and each client's operations.
func (p Program) String() string {
	var b strings.Builder
	for _, d := range p.Drivers {
		fmt.Fprintf(&b, "driver %s %s", d.Name, d.ProbeType)
		if d.Module != "" {
			fmt.Fprintf(&b, " in module %s", d.Module)
		}
		b.WriteString(":")
		for _, name := range sortedKeys(d.Match) {
			fmt.Fprintf(&b, " match %s=%s", name, d.Match[name])
		}
		for _, name := range sortedKeys(d.Probe) {
			fmt.Fprintf(&b, "; probe %s: %s", name, d.Probe[name])
		}
		for _, name := range sortedKeys(d.Remove) {
			fmt.Fprintf(&b, "; remove %s: %s", name, d.Remove[name])
		}
		b.WriteString("\n")
	}
	for _, m := range p.Modules {
		fmt.Fprintf(&b, "module %s %v async=%v\n", m.Name, m.Drivers, m.AsyncProbe)
	}
	for _, f := range p.Faults {
		fmt.Fprintf(&b, "fault %s hit %d\n", f.Point, f.Nth)
	}
	if p.MaxPending > 0 {
		fmt.Fprintf(&b, "max pending %d\n", p.MaxPending)
	}
	for i, c := range p.Clients {
		fmt.Fprintf(&b, "T%d:\n", i+1)
		if len(c) == 0 {
			b.WriteString("    (no operations)\n")
		}
		for _, o := range c {
			fmt.Fprintf(&b, "    %s\n", o)
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// AvoidProbeLoops keeps the drivers within the kernel's rule that a probe
// must not return -EPROBE_DEFER after registering a child device
// (Documentation/driver-api/driver-model/driver.rst: "it may result in an
// infinite loop of .probe() calls"), and within its generalization: on a
// device some driver can defer, no probe that does not succeed registers a
// child. Otherwise each retry of the deferred device registers the child
// again, the child's bind triggers another retry, and the correct core
// loops forever (the step budget reports it). Such probes keep their other
// actions (nil when none is left) and their result, without the children.
// Both the generators and the fuzz decoder apply it to what they draw.
func AvoidProbeLoops(drivers []Driver) {
	for _, dev := range DeviceNames {
		deferred := false
		for _, d := range drivers {
			m := d.Match[dev]
			deferred = deferred || m == MatchDefer || (m == MatchYes && d.Probe[dev].Result == ProbeDefer)
		}
		if !deferred {
			continue
		}
		for _, d := range drivers {
			pr, ok := d.Probe[dev]
			if !ok || pr.Result == ProbeOK {
				continue
			}
			pr.Actions = slices.DeleteFunc(slices.Clone(pr.Actions), func(a Action) bool { return a.Kind == ActChild })
			if len(pr.Actions) == 0 {
				pr.Actions = nil
			}
			d.Probe[dev] = pr
		}
	}
}
