package properties

// The vocabulary of generated programs: the names and the odds that
// Programs draws with. Every generator of programs (the fuzz package's
// decoder too) draws from these, so that all of them explore the same
// small universe. Treat them as constants.
var (
	// DeviceNames, DriverNames and GateNames are the names programs use:
	// few names make collisions, matches and dependencies between
	// operations likely.
	DeviceNames = []string{"a", "b", "c"}
	DriverNames = []string{"A", "B", "C"}
	GateNames   = []string{"g1", "g2"}
	// Overrides are the driver_override values programs set: a driver's
	// name, or a name no driver has.
	Overrides = []string{"A", "B", "x"}
)

// The odds of a driver's match results (by Match), probe results (by
// Outcome) and probe actions (by ActionKind): most scripted probes match
// and succeed, so that programs bind and reach what follows a bind; every
// other row stays frequent.
var (
	MatchWeights   = []int{MatchNo: 3, MatchYes: 10, MatchDefer: 1, MatchError: 1}
	OutcomeWeights = []int{ProbeOK: 12, ProbeDefer: 3, ProbeNoDev: 2, ProbeNXIO: 1, ProbeNoMem: 2}
	ActionWeights  = []int{ActDevres: 3, ActDevresSelf: 2, ActDevresRef: 1, ActChild: 2, ActSubDriver: 1, ActWaitGate: 1}
)

// Weight is the odds of an operation of kind k among the kinds a client
// draws from: the operations that build state (devices, drivers) are more
// frequent than the ones that only matter once state exists; Overrides
// weigh more than the other device operations, as every match of the
// device reads what they write.
func (k OpKind) Weight() int {
	if int(k) < 0 || int(k) >= len(opWeights) {
		return 0
	}
	return opWeights[k]
}

// opWeights are the kinds' Weights.
var opWeights = [opKinds]int{
	OpNewDevice: 8, OpRegister: 12, OpNewAndRegister: 16, OpRegisterAsync: 4, OpWait: 4,
	OpUnregister: 6, OpGet: 3, OpPut: 2, OpTryUnregister: 3, OpUnregisterAsync: 3,
	OpDevres: 3, OpSetOverride: 6, OpBind: 4, OpUnbind: 3, OpReprobe: 2,
	OpFind: 2, OpPutLookup: 1, OpLookupOverride: 6, OpLookupBind: 2, OpLookupUnbind: 2, OpLookupDevres: 2,
	OpDriverRegister: 12, OpDriverUnregister: 5, OpModuleLoad: 4, OpModuleUnload: 3,
	OpWaitForProbe: 2, OpBlockProbing: 1, OpUnblockProbing: 1, OpOpenGate: 1,
}

// OnDevice reports whether an operation of kind k names one of its
// client's own devices (Op.Dev).
func (k OpKind) OnDevice() bool {
	switch k {
	case OpRegister, OpRegisterAsync, OpWait, OpUnregister, OpGet, OpPut, OpTryUnregister,
		OpUnregisterAsync, OpDevres, OpSetOverride, OpBind, OpUnbind, OpReprobe:
		return true
	}
	return false
}

// Creates reports whether an operation of kind k creates a device of its
// client (the next index of its devices).
func (k OpKind) Creates() bool { return k == OpNewDevice || k == OpNewAndRegister }

// FaultPoints are the injectable failure points of spec §13. A fault plan
// entry makes the nth hit of one of them fail.
var FaultPoints = []string{
	"F-ADD-KOBJ", "F-ADD-PRIV", "F-ADD-BUS", "F-ADD-LATE",
	"F-DRV-ALLOC", "F-DRV-GROUPS", "F-PROBE-LINKS", "F-PROBE-GROUPS", "F-ASYNC-SYNC",
}

// Sizes bound the programs a generator draws.
type Sizes struct {
	Clients int // at most this many client tasks (1..3)
	Ops     int // at most this many operations per client
	Faults  int // at most this many fault plan entries
}

// DefaultSizes are the sizes of the main suite: up to 3 clients of 8
// operations and 2 faults.
var DefaultSizes = Sizes{Clients: 3, Ops: 8, Faults: 2}
