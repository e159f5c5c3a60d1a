package fuzz

import "github.com/devstress/devstress/properties"

// The names programs use, as properties.Programs draws them: few names
// make collisions, matches and dependencies between operations likely.
// TestDecoderCoversGenerator holds them to the generator's.
var (
	deviceNames = []string{"a", "b", "c"}
	driverNames = []string{"A", "B", "C"}
	gateNames   = []string{"g1", "g2"}
	// overrides are the driver_override values programs set: a driver's
	// name, or a name no driver has.
	overrides = []string{"A", "B", "x"}
)

// moduleName is the one module a program may have.
const moduleName = "M"

// The odds of scripted match results (by properties.Match), probe results
// (by properties.Outcome) and probe actions (by properties.ActionKind), as
// properties.Programs weighs them: most scripted probes match and succeed,
// so that programs bind and reach what follows a bind.
var (
	matchWeights   = []int{properties.MatchNo: 3, properties.MatchYes: 10, properties.MatchDefer: 1, properties.MatchError: 1}
	outcomeWeights = []int{properties.ProbeOK: 12, properties.ProbeDefer: 3, properties.ProbeNoDev: 2, properties.ProbeNXIO: 1, properties.ProbeNoMem: 2}
	actionWeights  = []int{properties.ActDevres: 3, properties.ActDevresSelf: 2, properties.ActDevresRef: 1,
		properties.ActChild: 2, properties.ActSubDriver: 1, properties.ActWaitGate: 1}
)

// opWeights make the operations that build state (devices, drivers) more
// frequent than the ones that only matter once state exists, as
// properties.Programs does.
var opWeights = map[properties.OpKind]int{
	properties.OpNewDevice: 8, properties.OpRegister: 12, properties.OpNewAndRegister: 16,
	properties.OpRegisterAsync: 4, properties.OpWait: 4, properties.OpUnregister: 6, properties.OpGet: 3,
	properties.OpPut: 2, properties.OpTryUnregister: 3, properties.OpUnregisterAsync: 3, properties.OpDevres: 3,
	properties.OpSetOverride: 6, properties.OpBind: 4, properties.OpUnbind: 3, properties.OpReprobe: 2,
	properties.OpFind: 2, properties.OpPutLookup: 1, properties.OpLookupOverride: 6, properties.OpLookupBind: 2,
	properties.OpLookupUnbind: 2, properties.OpLookupDevres: 2, properties.OpDriverRegister: 12,
	properties.OpDriverUnregister: 5, properties.OpModuleLoad: 4, properties.OpModuleUnload: 3,
	properties.OpWaitForProbe: 2, properties.OpBlockProbing: 1, properties.OpUnblockProbing: 1, properties.OpOpenGate: 1,
}

// needsDevice reports whether an operation names one of its client's
// devices (Dev).
func needsDevice(k properties.OpKind) bool {
	switch k {
	case properties.OpRegister, properties.OpRegisterAsync, properties.OpWait, properties.OpUnregister,
		properties.OpGet, properties.OpPut, properties.OpTryUnregister, properties.OpUnregisterAsync,
		properties.OpDevres, properties.OpSetOverride, properties.OpBind, properties.OpUnbind, properties.OpReprobe:
		return true
	}
	return false
}

// byteScale maps a byte to an index of weights, with odds proportional to
// them (their sum is at most 256, so every index has a byte), byte 0 to
// index 0.
type byteScale struct {
	of    [256]uint8 // the index of each byte
	first []uint8    // the first byte of each index: its encoding
}

func newByteScale(weights []int) *byteScale {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total > 256 || total == 0 {
		panic("fuzz: the weights of a byte scale must sum to 1..256")
	}
	s := &byteScale{first: make([]uint8, len(weights))}
	for i := range s.first {
		s.first[i] = 255
	}
	for b := 255; b >= 0; b-- {
		x, i := b*total>>8, 0
		for x >= weights[i] {
			x -= weights[i]
			i++
		}
		s.of[b] = uint8(i)
		s.first[i] = uint8(b)
	}
	return s
}

var (
	matchScale   = newByteScale(matchWeights)
	outcomeScale = newByteScale(outcomeWeights) // read from the low 7 bits
	actionScale  = newByteScale(actionWeights)
)
