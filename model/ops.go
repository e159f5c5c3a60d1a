package model

import (
	"fmt"
	"strconv"
)

// Op is one program operation (§3, §14.1). It is a closed sum type: one
// struct per operation of the Go API, plus OpenGate. Devices are named by
// handle ("<name>#<k>"), drivers and modules by name. String renders the
// operation as a program line.
type Op interface {
	fmt.Stringer
	isOp()
}

// NewDevice is NewDevice(name, parent, release); Result.Handle is the new
// device's handle. Parent is a handle or "".
type NewDevice struct{ Name, Parent string }

// DeviceAdd is DeviceAdd(d).
type DeviceAdd struct{ Device string }

// RegisterSync is RegisterSync(d), an alias of DeviceAdd.
type RegisterSync struct{ Device string }

// NewAndRegister is NewAndRegister(name, parent); Result.Handle is the
// device on success and "" on failure.
type NewAndRegister struct{ Name, Parent string }

// RegisterAsync is RegisterAsync(d); its completion is waited on with
// CompletionWait on the same handle.
type RegisterAsync struct{ Device string }

// CompletionWait is (*Completion).Wait() on d's RegisterAsync completion.
type CompletionWait struct{ Device string }

// Unregister is Unregister(d).
type Unregister struct{ Device string }

// TryUnregister is TryUnregister(d); Result.Won is its return value.
type TryUnregister struct{ Device string }

// UnregisterAsync is UnregisterAsync(d).
type UnregisterAsync struct{ Device string }

// Get is Get(d) by the calling task (label Task(t)).
type Get struct{ Device string }

// Put is Put(d) by the calling task (label Task(t)).
type Put struct{ Device string }

// PutOwner is PutOwner(d) (label Owner).
type PutOwner struct{ Device string }

// PutLookup is PutLookup(d) (label Lookup(t)).
type PutLookup struct{ Device string }

// FindDevice is FindDevice(pred) with pred "name == Name"; Result.Handle is
// the device found ("" for nil), which then holds Lookup(t).
type FindDevice struct{ Name string }

// DriverRegister is DriverRegister(drv) of the catalogue driver Driver.
type DriverRegister struct{ Driver string }

// DriverUnregister is DriverUnregister(drv).
type DriverUnregister struct{ Driver string }

// ModuleLoad is ModuleLoad(m).
type ModuleLoad struct{ Module string }

// ModuleUnload is ModuleUnload(m).
type ModuleUnload struct{ Module string }

// Bind is the manual Bind(d, drv).
type Bind struct{ Device, Driver string }

// Unbind is the manual Unbind(d).
type Unbind struct{ Device string }

// Reprobe is Reprobe(d).
type Reprobe struct{ Device string }

// WaitForDeviceProbe is WaitForDeviceProbe().
type WaitForDeviceProbe struct{}

// BlockProbing is BlockProbing().
type BlockProbing struct{}

// UnblockProbing is UnblockProbing().
type UnblockProbing struct{}

// DevresAdd is DevresAdd(d, r): a plain resource when Ref is "", else an
// action holding a reference to device Ref until it runs.
type DevresAdd struct{ Device, Ref string }

// SetOverride is SetOverride(d, s).
type SetOverride struct{ Device, Value string }

// OpenGate is the program operation Open(g) (§14.2).
type OpenGate struct{ Gate string }

func (NewDevice) isOp()          {}
func (DeviceAdd) isOp()          {}
func (RegisterSync) isOp()       {}
func (NewAndRegister) isOp()     {}
func (RegisterAsync) isOp()      {}
func (CompletionWait) isOp()     {}
func (Unregister) isOp()         {}
func (TryUnregister) isOp()      {}
func (UnregisterAsync) isOp()    {}
func (Get) isOp()                {}
func (Put) isOp()                {}
func (PutOwner) isOp()           {}
func (PutLookup) isOp()          {}
func (FindDevice) isOp()         {}
func (DriverRegister) isOp()     {}
func (DriverUnregister) isOp()   {}
func (ModuleLoad) isOp()         {}
func (ModuleUnload) isOp()       {}
func (Bind) isOp()               {}
func (Unbind) isOp()             {}
func (Reprobe) isOp()            {}
func (WaitForDeviceProbe) isOp() {}
func (BlockProbing) isOp()       {}
func (UnblockProbing) isOp()     {}
func (DevresAdd) isOp()          {}
func (SetOverride) isOp()        {}
func (OpenGate) isOp()           {}

func withParent(op, name, parent string) string {
	if parent == "" {
		return op + "(" + strconv.Quote(name) + ")"
	}
	return op + "(" + strconv.Quote(name) + ", parent " + parent + ")"
}

func (o NewDevice) String() string      { return withParent("NewDevice", o.Name, o.Parent) }
func (o DeviceAdd) String() string      { return "DeviceAdd(" + o.Device + ")" }
func (o RegisterSync) String() string   { return "RegisterSync(" + o.Device + ")" }
func (o NewAndRegister) String() string { return withParent("NewAndRegister", o.Name, o.Parent) }
func (o RegisterAsync) String() string  { return "RegisterAsync(" + o.Device + ")" }
func (o CompletionWait) String() string { return "Wait(" + o.Device + ")" }
func (o Unregister) String() string     { return "Unregister(" + o.Device + ")" }
func (o TryUnregister) String() string  { return "TryUnregister(" + o.Device + ")" }
func (o UnregisterAsync) String() string {
	return "UnregisterAsync(" + o.Device + ")"
}
func (o Get) String() string              { return "Get(" + o.Device + ")" }
func (o Put) String() string              { return "Put(" + o.Device + ")" }
func (o PutOwner) String() string         { return "PutOwner(" + o.Device + ")" }
func (o PutLookup) String() string        { return "PutLookup(" + o.Device + ")" }
func (o FindDevice) String() string       { return "FindDevice(" + strconv.Quote(o.Name) + ")" }
func (o DriverRegister) String() string   { return "DriverRegister(" + o.Driver + ")" }
func (o DriverUnregister) String() string { return "DriverUnregister(" + o.Driver + ")" }
func (o ModuleLoad) String() string       { return "ModuleLoad(" + o.Module + ")" }
func (o ModuleUnload) String() string     { return "ModuleUnload(" + o.Module + ")" }
func (o Bind) String() string             { return "Bind(" + o.Device + ", " + o.Driver + ")" }
func (o Unbind) String() string           { return "Unbind(" + o.Device + ")" }
func (o Reprobe) String() string          { return "Reprobe(" + o.Device + ")" }
func (WaitForDeviceProbe) String() string { return "WaitForDeviceProbe()" }
func (BlockProbing) String() string       { return "BlockProbing()" }
func (UnblockProbing) String() string     { return "UnblockProbing()" }
func (o DevresAdd) String() string {
	if o.Ref == "" {
		return "DevresAdd(" + o.Device + ", plain)"
	}
	return "DevresAdd(" + o.Device + ", ref(" + o.Ref + "))"
}
func (o SetOverride) String() string {
	return "SetOverride(" + o.Device + ", " + strconv.Quote(o.Value) + ")"
}
func (o OpenGate) String() string { return "Open(" + o.Gate + ")" }

// Result is what the calling client sees, plus the model's verdict on
// whether it could run the operation at all.
type Result struct {
	// Err is the operation's error (a sentinel of this package, or the
	// error a script or the fault plan supplied), nil on success and for
	// operations without an error result.
	Err error
	// Won is TryUnregister's return value.
	Won bool
	// Handle is the device returned by NewDevice, NewAndRegister (""
	// standing for nil on failure) and FindDevice ("" when none matched).
	Handle string
	// Skipped reports an operation the spec says is skipped (a program
	// DevresAdd on a device that is not Registered, §14.4).
	Skipped bool
	// Blocked names the script gate a task waits on. The model cannot
	// continue sequentially past a closed gate: the state is frozen where
	// the wait began and every later operation reports the same gate.
	Blocked string
	// Livelock reports an operation whose execution (with its drain) did
	// not terminate within the model's step budget ([StepBudget] probe,
	// entry and worker steps): for example a probe that binds a child and
	// then defers re-triggers itself forever. The state is frozen.
	Livelock string
	// Invalid explains a broken precondition (a generator obligation of
	// §14): the operation was not run and the state is unchanged, unless
	// the violation was found inside a callback, in which case the state is
	// frozen like Blocked.
	Invalid string
}

func (r Result) String() string {
	switch {
	case r.Invalid != "":
		return "invalid: " + r.Invalid
	case r.Blocked != "":
		return "blocked on gate " + r.Blocked
	case r.Livelock != "":
		return "livelock: " + r.Livelock
	case r.Skipped:
		return "skipped"
	}
	s := errString(r.Err)
	if r.Handle != "" {
		s = r.Handle + ", " + s
	}
	if r.Won {
		s = "true, " + s
	}
	return s
}
