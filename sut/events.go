package sut

import (
	"fmt"
	"strconv"

	"github.com/devstress/devstress/conc"
)

// EventKind says which commit point an Event reports.
type EventKind uint8

// The commit points of §12.3. The fields an Event sets for each are noted;
// Task is always set.
const (
	EvCall           EventKind = iota + 1 // Label: API operation; Device, Driver: arguments
	EvReturn                              // Label: API operation; Err: result; Flag: bool result
	EvNewDevice                           // Device, Label: parent handle ("" for none); Owner is held
	EvGet                                 // Device, Label: holder; Count: refcount after
	EvPut                                 // Device, Label: holder; Count: refcount after
	EvRelabel                             // Device, Label: the old label, To: the new one ("Owner", "Reg"; the count is unchanged)
	EvRelease                             // Device: its release starts
	EvFree                                // Object and the fields that name it (see ObjectKind, ObjectName)
	EvAddEnter                            // Device: device_add entered
	EvAddReturn                           // Device, Err: device_add returns
	EvDelEnter                            // Device: device_del entered
	EvDelReturn                           // Device: device_del returns
	EvLock                                // Device: lock(d) acquired
	EvUnlock                              // Device: lock(d) released
	EvPhase                               // Device, Label: new phase
	EvKill                                // Device: dead set
	EvBusLink                             // Device; Flag: linked (true) or unlinked
	EvDriverState                         // Driver, Label: new state
	EvAsyncDriver                         // Device, Driver: asyncDriver set ("" when taken)
	EvProbeStart                          // Device, Driver: drv.Probe(d) called
	EvProbeReturn                         // Device, Driver, Err: the script's result
	EvBound                               // Device, Driver
	EvUnbound                             // Device, Driver: driver := nil (unbind, probe failure, refusal after it was set)
	EvRemoveStart                         // Device, Driver
	EvRemoveReturn                        // Device, Driver
	EvDeferredAdd                         // Device; Count: the attempt's triggerCount, -1 for match; Flag: added
	EvDeferredRemove                      // Device; List: the list it left (Pending or Active)
	EvDeferredPop                         // Device: the worker took it from Active
	EvTrigger                             // Count: triggerCount after; Devices: handles spliced
	EvDeferAll                            // Flag: deferAllProbes set (true) or cleared
	EvAsyncSchedule                       // Count: cookie; Domain; Devices: the footprint's handles; Flag: inline
	EvAsyncStart                          // Count: cookie
	EvAsyncEnd                            // Count: cookie
	EvComplete                            // Device; Count: cookie; Err: delivered error
	EvDevresAdd                           // Device, Label: entry; Flag: probe-time
	EvDevresRelease                       // Device, Label: entry
	EvFault                               // Label: fault point hit
	EvModule                              // Module; Flag: loaded (true) or unloaded
	EvOverride                            // Device, Label: the new override
	EvAttempt                             // Device, Driver, Label: outcome row (OutcomeRows); Flag: bound
)

var eventNames = [...]string{
	EvCall: "call", EvReturn: "return", EvNewDevice: "new", EvGet: "get", EvPut: "put", EvRelabel: "relabel", EvRelease: "release",
	EvFree: "free", EvAddEnter: "add", EvAddReturn: "add-return", EvDelEnter: "del",
	EvDelReturn: "del-return", EvLock: "lock", EvUnlock: "unlock", EvPhase: "phase", EvKill: "kill",
	EvBusLink: "bus", EvDriverState: "driver-state", EvAsyncDriver: "async-driver",
	EvProbeStart: "probe", EvProbeReturn: "probe-return", EvBound: "bound",
	EvUnbound: "unbound", EvRemoveStart: "remove", EvRemoveReturn: "remove-return",
	EvDeferredAdd: "deferred-add", EvDeferredRemove: "deferred-remove",
	EvDeferredPop: "deferred-pop", EvTrigger: "trigger", EvDeferAll: "defer-all", EvAsyncSchedule: "async-schedule",
	EvAsyncStart: "async-start", EvAsyncEnd: "async-end", EvComplete: "complete",
	EvDevresAdd: "devres-add", EvDevresRelease: "devres-release", EvFault: "fault",
	EvModule: "module", EvOverride: "override", EvAttempt: "attempt",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) && eventNames[k] != "" {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", int(k))
}

// Event is one commit point of the core, reported with rt.Emit. Unused
// fields are zero; String is deterministic. Each payload is a field of its
// own, read as is: no consumer parses the text back.
//
// The one-byte fields come first, together: an Event is boxed on every
// emit, and this keeps it within 144 bytes.
type Event struct {
	Kind EventKind
	Flag bool
	// Domain is the async domain of an EvAsyncSchedule's entry.
	Domain DomainID
	// Object is the kind of the simulated object an EvFree reports; the
	// fields its ObjectKind lists name it, and the text shows ObjectName.
	Object ObjectKind
	// List is the deferred list an EvDeferredRemove took the device off:
	// DeferredPending or DeferredActive.
	List DeferredList

	Task   conc.TaskID
	Device string // device handle
	Driver string // driver name
	Label  string // holder label, phase, operation, fault point, ...
	Err    string // error name (ErrName)
	// To is the label an EvRelabel turns Label into; the text shows
	// "Label->To".
	To string
	// Module is the module an EvModule reports (the text shows
	// "<module> loaded" or "<module> unloaded", by Flag, not " +"), or
	// whose code an EvFree of ObjModuleCode frees.
	Module string
	// Devices lists device handles: the devices an EvTrigger spliced
	// from Pending onto Active, in order, or the footprint of an
	// EvAsyncSchedule's entry (the device locks it takes first). The text
	// joins them with commas: "a#1,b#1", "<domain> fp=a#1,b#1".
	Devices []string
	Count   int // refcount, cookie, triggerCount, ...
}

// String renders the event as "T1 get d#1 Owner n=2": the task, the kind,
// then the fields that are set.
func (e Event) String() string {
	b, _ := e.AppendText(nil)
	return string(b)
}

// AppendText appends String's text to b (encoding.TextAppender): the
// trace's digest hashes every event's text, and this spares it a string
// per event.
func (e Event) AppendText(b []byte) ([]byte, error) {
	if e.Task == conc.NoTask {
		b = append(b, '-')
	} else {
		b = strconv.AppendInt(append(b, 'T'), int64(e.Task), 10)
	}
	b = append(append(b, ' '), e.Kind.String()...)
	b = e.appendPayload(b)
	if e.Err != "" {
		b = append(append(b, " err="...), e.Err...)
	}
	switch e.Kind {
	case EvGet, EvPut, EvDeferredAdd, EvTrigger, EvAsyncSchedule, EvAsyncStart, EvAsyncEnd, EvComplete:
		b = strconv.AppendInt(append(b, " n="...), int64(e.Count), 10)
	}
	if e.Flag && e.Kind != EvModule { // EvModule's Flag is its "loaded"
		b = append(b, " +"...)
	}
	return b, nil
}

// appendPayload appends the fields of the event's kind that are set, each
// after a space: the operation first for EvCall and EvReturn, else the
// device, the driver and the label, or the kind's own payload.
func (e Event) appendPayload(b []byte) []byte {
	switch e.Kind {
	case EvCall, EvReturn:
		return appendFields(b, e.Label, e.Device, e.Driver)
	case EvFree:
		mark := len(b)
		if b = e.appendObjectName(append(b, ' ')); len(b) == mark+1 {
			b = b[:mark] // ObjNone
		}
		return b
	case EvRelabel:
		b = append(appendFields(b, e.Device), ' ')
		return append(append(append(b, e.Label...), "->"...), e.To...)
	case EvModule:
		b = append(append(b, ' '), e.Module...)
		if e.Flag {
			return append(b, " loaded"...)
		}
		return append(b, " unloaded"...)
	case EvTrigger:
		mark := len(b)
		if b = appendJoined(append(b, ' '), e.Devices); len(b) == mark+1 {
			b = b[:mark] // none spliced
		}
		return b
	case EvAsyncSchedule:
		b = append(append(append(b, ' '), e.Domain.String()...), " fp="...)
		return appendJoined(b, e.Devices)
	case EvDeferredRemove:
		return appendFields(b, e.Device, e.List.String())
	}
	return appendFields(b, e.Device, e.Driver, e.Label)
}

// appendFields appends each non-empty field after a space.
func appendFields(b []byte, fields ...string) []byte {
	for _, f := range fields {
		if f != "" {
			b = append(append(b, ' '), f...)
		}
	}
	return b
}

// appendJoined appends the strings of list separated by commas.
func appendJoined(b []byte, list []string) []byte {
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	return b
}

// emit reports ev, stamped with the calling task.
func (c *Core) emit(ev Event) {
	ev.Task = c.rt.Self()
	c.rt.Emit(ev)
}

// call and ret bracket an API operation with EvCall and EvReturn events.
func (c *Core) call(op string, d *Device, drv *Driver) {
	c.emit(Event{Kind: EvCall, Label: op, Device: d.h(), Driver: drv.n()})
}

func (c *Core) ret(op string, err error) {
	c.emit(Event{Kind: EvReturn, Label: op, Err: ErrName(err)})
}

func (c *Core) retBool(op string, v bool) {
	c.emit(Event{Kind: EvReturn, Label: op, Flag: v})
}
