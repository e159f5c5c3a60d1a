package properties

import (
	"fmt"
	"slices"

	"github.com/devstress/devstress/sched"
	"pgregory.net/rapid"
)

// FaultPoints are the injectable failure points of spec §13. A fault plan
// entry makes the nth hit of one of them fail.
var FaultPoints = []string{
	"F-ADD-KOBJ", "F-ADD-PRIV", "F-ADD-BUS", "F-ADD-LATE",
	"F-DRV-ALLOC", "F-DRV-GROUPS", "F-PROBE-LINKS", "F-PROBE-GROUPS", "F-ASYNC-SYNC",
}

// The small universe programs are drawn from: few names make collisions,
// matches and dependencies between operations likely.
var (
	deviceNames = []string{"a", "b", "c"}
	driverNames = []string{"A", "B", "C"}
	gateNames   = []string{"g1", "g2"}
	// overrides are the driver_override values programs set: a driver's
	// name, or a name no driver has.
	overrides = []string{"A", "B", "x"}
)

// Sizes bound the programs a generator draws.
type Sizes struct {
	Clients int // at most this many client tasks (1..3)
	Ops     int // at most this many operations per client
	Faults  int // at most this many fault plan entries
}

// DefaultSizes are the sizes of the main suite: up to 3 clients of 8
// operations and 2 faults.
var DefaultSizes = Sizes{Clients: 3, Ops: 8, Faults: 2}

// Programs returns a generator of programs within the sizes. Everything is
// drawn so that shrinking removes what a failure does not need: clients,
// operations, drivers' special behaviour, faults, and lowers what remains
// to the least surprising values (no match → yes → ..., probe succeeds).
func Programs(sz Sizes) *rapid.Generator[Program] {
	return rapid.Custom(func(t *rapid.T) Program {
		p := Program{}
		nDrivers := rapid.IntRange(0, len(driverNames)).Draw(t, "drivers")
		for _, name := range driverNames[:nDrivers] {
			p.Drivers = append(p.Drivers, drawDriver(t, name))
		}
		avoidProbeLoops(p.Drivers)
		if nDrivers > 0 && rapid.Bool().Draw(t, "module") {
			m := Module{Name: "M", AsyncProbe: rapid.Bool().Draw(t, "module async")}
			for i := range p.Drivers {
				if rapid.Bool().Draw(t, "in module "+p.Drivers[i].Name) {
					p.Drivers[i].Module = m.Name
					m.Drivers = append(m.Drivers, p.Drivers[i].Name)
				}
			}
			if len(m.Drivers) > 0 {
				p.Modules = append(p.Modules, m)
			}
		}
		kinds := allKinds
		if rapid.Bool().Draw(t, "swarm") {
			kinds = rapid.SliceOfNDistinct(rapid.SampledFrom(allKinds), 1, 8, rapid.ID).Draw(t, "swarm kinds")
		}
		var created []string // device names drawn so far, for lookups
		c := 0
		client := rapid.Custom(func(t *rapid.T) []Op {
			c++
			return drawClient(t, &p, kinds, c-1, sz.Ops, &created)
		})
		// One program in two with several clients runs one client and
		// copies of its last operations: the same operations racing on
		// the same names (the copies' creations collide, their lookups
		// find the first client's devices), the shape of most races
		// between clients. A copy's length, not its content, is drawn,
		// so that shrinking the first client shrinks the copies with it
		// and keeps every later draw in place.
		if sz.Clients > 1 && rapid.Bool().Draw(t, "copies") {
			ops := client.Draw(t, "ops")
			p.Clients = append(p.Clients, ops)
			for range rapid.IntRange(0, sz.Clients-1).Draw(t, "copies") {
				n := min(rapid.IntRange(0, sz.Ops).Draw(t, "copy length"), len(ops)) // see index
				p.Clients = append(p.Clients, slices.Clone(ops[len(ops)-n:]))
			}
		} else {
			p.Clients = rapid.SliceOfN(client, 1, sz.Clients).Draw(t, "clients")
		}
		p.Faults = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) sched.Fault {
			return sched.Fault{
				Point: rapid.SampledFrom(FaultPoints).Draw(t, "fault point"),
				Nth:   rapid.IntRange(1, 3).Draw(t, "fault hit"),
				Value: 1,
			}
		}), 0, sz.Faults).Draw(t, "faults")
		if rapid.Bool().Draw(t, "limit pending") {
			p.MaxPending = rapid.IntRange(1, 2).Draw(t, "max pending")
		}
		return p
	})
}

func drawDriver(t *rapid.T, name string) Driver {
	d := Driver{
		Name:      name,
		ProbeType: ProbeType(rapid.IntRange(0, 2).Draw(t, name+" probe type")),
		Match:     map[string]Match{},
		Probe:     map[string]Probe{},
	}
	for _, dev := range deviceNames {
		m := Match(rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("match %s %s", name, dev)))
		if m != MatchNo {
			d.Match[dev] = m
		}
		if m != MatchYes {
			continue
		}
		pr := Probe{Result: Outcome(rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("probe %s %s", name, dev)))}
		if pr.Result == ProbeDefer { // on another device: a device cannot supply itself
			others := slices.DeleteFunc(slices.Clone(deviceNames), func(n string) bool { return n == dev })
			pr.Until = rapid.SampledFrom(others).Draw(t, "defer until")
		}
		pr.Actions = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Action {
			a := Action{Kind: ActionKind(rapid.IntRange(0, 4).Draw(t, "action"))}
			switch a.Kind {
			case ActChild:
				a.Name = rapid.SampledFrom(deviceNames).Draw(t, "child")
			case ActSubDriver:
				a.Name = "sub" + name
			case ActWaitGate:
				a.Name = rapid.SampledFrom(gateNames).Draw(t, "gate")
			}
			return a
		}), 0, 2).Draw(t, "actions")
		if pr.Result != ProbeOK || len(pr.Actions) > 0 {
			d.Probe[dev] = pr
		}
	}
	return d
}

// drawClient draws the operations of client c, as a rapid slice so that
// shrinking removes single operations, down to none: an empty client keeps
// the task ids of the others, which the schedule's preemptions name. It
// keeps a rough account of the client's devices so that most operations
// name something that exists; the executor skips the rest
// (deterministically), so any operation may be removed.
func drawClient(t *rapid.T, p *Program, kinds []OpKind, c, maxOps int, created *[]string) []Op {
	devices := 0
	lookupName := func(t *rapid.T) string {
		if len(*created) > 0 && rapid.Bool().Draw(t, "created") {
			return (*created)[index(t, len(*created), "created")]
		}
		return rapid.SampledFrom(deviceNames).Draw(t, "name")
	}
	op := rapid.Custom(func(t *rapid.T) Op {
		o := Op{Kind: drawOpKind(t, kinds), Dev: -1, Parent: -1, Ref: -1}
		if tw, ok := lookupTwin[o.Kind]; ok && len(*created) > 0 && rapid.Bool().Draw(t, "by name") {
			o.Kind = tw
		}
		if (needsDevice(o.Kind) && devices == 0) ||
			(needsDriver(o.Kind) && len(p.Drivers) == 0) ||
			(needsModule(o.Kind) && len(p.Modules) == 0) {
			o.Kind = OpNewDevice
		}
		switch o.Kind {
		case OpNewDevice, OpNewAndRegister:
			o.Dev = devices
			devices++
			o.Name = rapid.SampledFrom(deviceNames).Draw(t, "name")
			*created = append(*created, o.Name)
			if o.Dev > 0 && rapid.Bool().Draw(t, "has parent") {
				o.Parent = index(t, o.Dev, "parent")
			}
			return o
		case OpFind, OpLookupUnbind:
			o.Name = lookupName(t)
		case OpSetOverride:
			o.Name = rapid.SampledFrom(overrides).Draw(t, "override")
		case OpLookupOverride:
			o.Name = lookupName(t)
			o.Driver = rapid.SampledFrom(overrides).Draw(t, "override")
		case OpLookupBind:
			o.Name = lookupName(t)
			fallthrough
		case OpDriverRegister, OpDriverUnregister, OpBind:
			o.Driver = p.Drivers[index(t, len(p.Drivers), "driver")].Name
		case OpModuleLoad, OpModuleUnload:
			o.Module = p.Modules[0].Name
		case OpOpenGate:
			o.Name = rapid.SampledFrom(gateNames).Draw(t, "gate")
		}
		if needsDevice(o.Kind) {
			o.Dev = index(t, devices, "device")
		}
		if o.Kind == OpDevres && rapid.Bool().Draw(t, "ref") {
			o.Ref = index(t, devices, "ref target")
		}
		return o
	})
	return rapid.SliceOfN(op, 0, maxOps).Draw(t, fmt.Sprintf("T%d", c+1))
}

// lookupTwin maps an operation on one of the client's own devices to its
// form on a device found by name: once some device was created, such an
// operation is drawn in either form, and a lookup names, one time in two,
// a device created before (by any client), so clients reach each other's
// devices.
var lookupTwin = map[OpKind]OpKind{OpSetOverride: OpLookupOverride, OpBind: OpLookupBind, OpUnbind: OpLookupUnbind}

func needsDriver(k OpKind) bool {
	return k == OpDriverRegister || k == OpDriverUnregister || k == OpBind || k == OpLookupBind
}

func needsModule(k OpKind) bool { return k == OpModuleLoad || k == OpModuleUnload }

// needsDevice reports whether an operation names one of the client's
// devices.
func needsDevice(k OpKind) bool {
	switch k {
	case OpRegister, OpRegisterAsync, OpWait, OpUnregister, OpGet, OpPut, OpTryUnregister,
		OpUnregisterAsync, OpDevres, OpSetOverride, OpBind, OpUnbind, OpReprobe:
		return true
	}
	return false
}

// opWeights make the operations that build state (devices, drivers) more
// frequent than the ones that only matter once state exists. Overrides
// weigh more than the other device operations: every match of the device
// reads what they write.
var opWeights = [opKinds]int{
	OpNewDevice: 10, OpRegister: 10, OpNewAndRegister: 10, OpRegisterAsync: 4, OpWait: 4,
	OpUnregister: 6, OpGet: 3, OpPut: 2, OpTryUnregister: 3, OpUnregisterAsync: 3,
	OpDevres: 3, OpSetOverride: 6, OpBind: 4, OpUnbind: 3, OpReprobe: 2,
	OpFind: 2, OpPutLookup: 1, OpLookupOverride: 6, OpLookupBind: 2, OpLookupUnbind: 2,
	OpDriverRegister: 10, OpDriverUnregister: 5, OpModuleLoad: 3, OpModuleUnload: 2,
	OpWaitForProbe: 2, OpBlockProbing: 1, OpUnblockProbing: 1, OpOpenGate: 1,
}

// allWeight is the sum of all weights.
var allWeight = func() int {
	w := 0
	for _, x := range opWeights {
		w += x
	}
	return w
}()

// index draws an index below n (n > 0) from a range that does not depend
// on n. rapid redraws a value above its range's maximum, so a range that
// depends on earlier draws (how many devices a client created, how many
// drivers there are) would shift every later draw once shrinking lowered
// it, and rapid could not shrink past that point.
func index(t *rapid.T, n int, label string) int {
	return rapid.IntRange(0, maxIndex).Draw(t, label) % n
}

// maxIndex bounds index's draws: more than any count it is used for.
const maxIndex = 63

// allKinds lists every operation kind.
var allKinds = func() []OpKind {
	ks := make([]OpKind, opKinds)
	for k := range ks {
		ks[k] = OpKind(k)
	}
	return ks
}()

// drawOpKind draws an operation kind among kinds with the weights above;
// shrinking moves toward the first of them. The draw's range is the same
// for every kinds (see index).
//
// Programs are drawn in the manner of swarm testing (Groce et al., "Swarm
// Testing", ISSTA 2012): half of them use only a few (up to 8) operation
// kinds, which makes the dense programs that deep bugs need (many
// registrations, or many driver operations) far likelier than uniform
// mixes do.
func drawOpKind(t *rapid.T, kinds []OpKind) OpKind {
	total := 0
	for _, k := range kinds {
		total += opWeights[k]
	}
	x := rapid.IntRange(0, allWeight-1).Draw(t, "op") * total / allWeight
	for _, k := range kinds {
		if x < opWeights[k] {
			return k
		}
		x -= opWeights[k]
	}
	return kinds[0]
}

// avoidProbeLoops keeps the drivers within the kernel's rule that a probe
// must not return -EPROBE_DEFER after registering a child device
// (Documentation/driver-api/driver-model/driver.rst: "it may result in an
// infinite loop of .probe() calls"), and within its generalization: on a
// device some driver can defer, no probe that does not succeed registers a
// child. Otherwise each retry of the deferred device registers the child
// again, the child's bind triggers another retry, and the correct core
// loops forever (the step budget reports it). Such probes keep their other
// actions and their result, without the children.
func avoidProbeLoops(drivers []Driver) {
	for _, dev := range deviceNames {
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
			d.Probe[dev] = pr
		}
	}
}
