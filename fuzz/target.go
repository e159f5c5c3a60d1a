package fuzz

import (
	"slices"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// A Target is the vocabulary of one fuzz target: the operations its
// records may decode to (each target decodes every byte string, into
// programs of its own operations), and the known bugs it is for.
type Target struct {
	// Name names the target's fuzz function, Fuzz<Name> in package
	// fuzz/targets, and its seed corpus there,
	// testdata/fuzz/Fuzz<Name>/.
	Name string
	// Bugs are the bug variants of the core this target must find (from
	// its seed corpus: the known bugs' counterexamples are in it).
	Bugs []sut.Bug
	// kinds are the operation kinds it draws.
	kinds []properties.OpKind
	// records maps a record's first byte to what it is, by the weights of
	// its kinds.
	records *byteScale
	what    []recordKind
	// decode, when set, replaces the records' decoding (Broad's).
	decode func(data []byte) Input
}

// A recordKind is what a record of the program decodes to: an operation
// (its kind) or a script or fault entry.
type recordKind struct {
	op     properties.OpKind
	script scriptKind
}

// scriptKind is a record other than an operation (none for an operation).
type scriptKind uint8

const (
	scriptNone   scriptKind = iota
	scriptMatch             // a driver's match and probe result for a device
	scriptAction            // an action of a driver's probe of a device
	scriptRemove            // a driver's remove script for a device
	scriptFault             // an entry of the fault plan
)

// The weights of the records other than operations: scripts and faults
// are a tenth of the records or so, as many as make most programs bind.
var scriptWeights = []struct {
	kind   scriptKind
	weight int
}{{scriptMatch, 24}, {scriptAction, 10}, {scriptRemove, 4}, {scriptFault, 6}}

func newTarget(name string, bugs []sut.Bug, kinds ...properties.OpKind) *Target {
	t := &Target{Name: name, Bugs: bugs, kinds: kinds}
	var weights []int
	for _, k := range kinds {
		t.what = append(t.what, recordKind{op: k})
		weights = append(weights, k.Weight())
	}
	for _, s := range scriptWeights {
		t.what = append(t.what, recordKind{op: -1, script: s.kind})
		weights = append(weights, s.weight)
	}
	t.records = newByteScale(weights)
	return t
}

// allows reports whether the target draws operations of kind k.
func (t *Target) allows(k properties.OpKind) bool { return slices.Contains(t.kinds, k) }

// The targets. Every known bug is in Program's Bugs and in one narrower
// target's.
var (
	// Program draws whole programs: every operation.
	Program = newTarget("Program", []sut.Bug{sut.BugH1, sut.BugH2, sut.BugH2b, sut.BugH3, sut.BugH4, sut.BugH5,
		sut.BugH6, sut.BugH7a, sut.BugH7b, sut.BugH8, sut.BugH9, sut.BugH9d, sut.BugH10A, sut.BugH10B},
		properties.OpKinds...)
	// Registration is asynchronous registration and its failure paths:
	// creation, sync and async adds, waits, references, with faults.
	Registration = newTarget("Registration", []sut.Bug{sut.BugH1, sut.BugH2, sut.BugH2b, sut.BugH5, sut.BugH7a, sut.BugH7b},
		properties.OpNewDevice, properties.OpRegister, properties.OpNewAndRegister, properties.OpRegisterAsync,
		properties.OpWait, properties.OpUnregister, properties.OpGet, properties.OpPut, properties.OpDriverRegister,
		properties.OpWaitForProbe)
	// Deferral is deferred probing and its triggers: registrations of
	// devices and drivers, binds, overrides, reprobes, probe blocking and
	// the gates probes wait on.
	Deferral = newTarget("Deferral", []sut.Bug{sut.BugH3, sut.BugH10A, sut.BugH10B},
		properties.OpNewDevice, properties.OpRegister, properties.OpNewAndRegister, properties.OpRegisterAsync,
		properties.OpWait, properties.OpUnregister, properties.OpDriverRegister, properties.OpDriverUnregister,
		properties.OpSetOverride, properties.OpLookupOverride, properties.OpBind, properties.OpLookupBind,
		properties.OpUnbind, properties.OpLookupUnbind, properties.OpReprobe, properties.OpWaitForProbe,
		properties.OpBlockProbing, properties.OpUnblockProbing, properties.OpOpenGate)
	// Unload is module unload and driver unregistration during probes.
	Unload = newTarget("Unload", []sut.Bug{sut.BugH9, sut.BugH9d},
		properties.OpNewDevice, properties.OpRegister, properties.OpNewAndRegister, properties.OpRegisterAsync,
		properties.OpWait, properties.OpUnregister, properties.OpDriverRegister, properties.OpDriverUnregister,
		properties.OpModuleLoad, properties.OpModuleUnload, properties.OpBind, properties.OpUnbind,
		properties.OpOpenGate, properties.OpWaitForProbe)
	// Devres is devres and references across unregistration: devres
	// entries, gets and puts, lookups, and every way to unregister.
	Devres = newTarget("Devres", []sut.Bug{sut.BugH4, sut.BugH6, sut.BugH8},
		properties.OpNewDevice, properties.OpRegister, properties.OpNewAndRegister, properties.OpUnregister,
		properties.OpGet, properties.OpPut, properties.OpTryUnregister, properties.OpUnregisterAsync,
		properties.OpDevres, properties.OpFind, properties.OpPutLookup, properties.OpLookupDevres,
		properties.OpDriverRegister, properties.OpBind, properties.OpUnbind)
)

// Targets are all the targets whose records draw a program (Broad's
// program is fixed).
var Targets = []*Target{Program, Registration, Deferral, Unload, Devres}

// AllTargets are Targets and Broad: every target whose inputs run a
// program on the core (FuzzDecode's run only the decoder).
var AllTargets = append(Targets[:len(Targets):len(Targets)], Broad)

// Lookup returns the target of AllTargets named name, by its Name or by
// its fuzz function's (Program or FuzzProgram), or nil.
func Lookup(name string) *Target {
	name = strings.TrimPrefix(name, "Fuzz")
	for _, t := range AllTargets {
		if t.Name == name {
			return t
		}
	}
	return nil
}
