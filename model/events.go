package model

import (
	"fmt"
	"strings"
)

// EventKind is the kind of an implementation event (§12.3). The
// implementation reports one event per commit point, in the order they
// happened; [Checker] replays them.
type EventKind int

// The event vocabulary. Fields of [Event] used by each kind are listed.
const (
	EvNewDevice       EventKind = iota // Device, Parent: NewDevice created Device with Owner held by Task
	EvGet                              // Device, Label: a reference taken
	EvPut                              // Device, Label: a reference dropped
	EvRelabel                          // Device, Label → To: one reference changes label (Owner → Reg)
	EvRelease                          // Device: the release callback starts (the count reached 0)
	EvFree                             // Obj: an object is freed (a device handle, "priv(D)", "override(...)", "module(M)")
	EvAccess                           // Obj: the core reads, writes or locks an object
	EvPhase                            // Device, Phase: phase change
	EvBusLink                          // Device, Flag: linked into (true) or unlinked from the bus device list
	EvKill                             // Device: dead goes false → true
	EvAddEnter                         // Device: DeviceAdd entered
	EvAddReturn                        // Device, Err: DeviceAdd returns
	EvDelEnter                         // Device: DeviceDel entered
	EvDelReturn                        // Device: DeviceDel returns
	EvProbeStart                       // Device, Driver: drv.Probe(d) called
	EvProbeReturn                      // Device, Driver, Err: drv.Probe(d) returned
	EvBound                            // Device, Driver: driver_bound (bound := true)
	EvUnbound                          // Device, Driver: driver := nil (after unbind, probe failure or a refusal after driver was set)
	EvRemoveStart                      // Device, Driver: drv.Remove(d) called
	EvRemoveReturn                     // Device, Driver: drv.Remove(d) returned
	EvAsyncDriver                      // Device, Driver: asyncDriver := Driver ("" clears it)
	EvDeferredAdd                      // Device, Flag (deferral from driver_probe_device), Count (its triggerCount snapshot)
	EvDeferredRemove                   // Device: removed from Pending or Active (bind, DeviceDel, add unwind)
	EvTrigger                          // triggerCount++ (Count: its value after), Pending spliced onto Active
	EvDeferredPop                      // Device: the deferred worker popped Active's head
	EvDeferAll                         // Flag: deferAllProbes set or cleared
	EvSchedule                         // Cookie, Flag (RegDomain), Inline: AsyncSchedule
	EvEntryStart                       // Cookie: an async entry starts (inline ones too)
	EvEntryEnd                         // Cookie: an async entry's fn returned
	EvComplete                         // Device, Err: a RegisterAsync job completes its completion
	EvDevresAdd                        // Device, Label, Flag (probe-time): a devres entry added
	EvDevresRelease                    // Device, Label: the devres entry Label of Device released
	EvDriverState                      // Driver, DrvState: a driver's state changes
	EvInitDone                         // Module: a module's Init returned nil
	EvCall                             // Op: a program API call starts in Task
	EvReturn                           // Op, Result: the call returns
	EvFault                            // Label: an injected fault point (§13) fires in Task
	EvOverride                         // Device, Label: Device's driver_override set to Label ("" clears it)
	EvDeferredRefused                  // Device, Flag, Count as EvDeferredAdd: deferred_add(d) left d off Pending (§7.1: a guard held)
)

var eventNames = [...]string{"NewDevice", "Get", "Put", "Relabel", "Release", "Free", "Access", "Phase", "BusLink",
	"Kill", "AddEnter", "AddReturn", "DelEnter", "DelReturn", "ProbeStart", "ProbeReturn", "Bound", "Unbound",
	"RemoveStart", "RemoveReturn", "AsyncDriver", "DeferredAdd", "DeferredRemove", "Trigger", "DeferredPop", "DeferAll",
	"Schedule", "EntryStart", "EntryEnd", "Complete", "DevresAdd", "DevresRelease", "DriverState", "InitDone",
	"Call", "Return", "Fault", "Override", "DeferredRefused"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one implementation event. Task is the context that emitted it,
// named as the model names contexts: program tasks "T<n>", async entry e
// "A<e>" (inline entries too: they are their own context), the deferred
// worker "W", the teardown task "TD".
type Event struct {
	Kind     EventKind
	Task     string
	Device   string
	Parent   string
	Driver   string
	Module   string
	Obj      string
	Label    string
	To       string
	Phase    Phase
	DrvState DriverState
	Flag     bool
	Inline   bool
	Cookie   int
	Count    int
	Err      error
	Op       Op
	Result   Result
}

// String renders the event deterministically, with only the fields its
// kind uses.
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Task)
	b.WriteString(" ")
	b.WriteString(e.Kind.String())
	add := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	add("dev", e.Device)
	add("parent", e.Parent)
	add("drv", e.Driver)
	add("module", e.Module)
	add("obj", e.Obj)
	add("label", e.Label)
	add("to", e.To)
	switch e.Kind {
	case EvPhase:
		add("phase", e.Phase.String())
	case EvDriverState:
		add("state", e.DrvState.String())
	case EvBusLink, EvDeferAll, EvDevresAdd, EvDeferredAdd, EvDeferredRefused, EvSchedule:
		add("flag", fmt.Sprint(e.Flag))
	}
	if e.Kind == EvSchedule {
		add("inline", fmt.Sprint(e.Inline))
	}
	if e.Cookie != 0 {
		add("cookie", fmt.Sprint(e.Cookie))
	}
	if e.Kind == EvDeferredAdd || e.Kind == EvDeferredRefused || e.Kind == EvTrigger {
		add("tc", fmt.Sprint(e.Count))
	}
	if e.Kind == EvAddReturn || e.Kind == EvProbeReturn || e.Kind == EvComplete {
		add("err", errString(e.Err))
	}
	if e.Op != nil {
		add("op", e.Op.String())
	}
	if e.Kind == EvReturn {
		add("result", e.Result.String())
	}
	return b.String()
}
