package gen

import (
	"fmt"
	"slices"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched/rapidsched"
	"github.com/devstress/devstress/sut"

	"github.com/devstress/devstress/sched"
	"pgregory.net/rapid"
)

// Schedule is the schedule strategy of the suites: preemptions drawn by
// rapid among the first tasks' points, mostly at the core's named yield
// points.
func Schedule(t *rapid.T) sched.Strategy {
	return rapidsched.New(t, rapidsched.Size(6, 64), rapidsched.Points(4, sut.YieldPoints...))
}

// Programs returns a generator of programs within the sizes. The odds are
// chosen (fair and weighted draws, a prelude of registrations) so that most
// programs bind a device and reach what follows; TestCoverageFloors holds
// them to it. Everything is drawn so that shrinking removes what a failure
// does not need: clients, operations, the prelude's registrations,
// drivers' special behaviour, faults, and lowers what remains
// to the least surprising values (no match, probe succeeds).
func Programs(sz properties.Sizes) *rapid.Generator[properties.Program] {
	return rapid.Custom(func(t *rapid.T) properties.Program {
		p := properties.Program{}
		nDrivers := weighted(t, driverCounts[:], "drivers")
		for _, name := range properties.DriverNames[:nDrivers] {
			p.Drivers = append(p.Drivers, drawDriver(t, name))
		}
		properties.AvoidProbeLoops(p.Drivers)
		if nDrivers > 0 && rapid.Bool().Draw(t, "module") {
			m := properties.Module{Name: "M", AsyncProbe: rapid.Bool().Draw(t, "module async")}
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
		prelude := drawPrelude(t, p)
		var created []string // device names drawn so far, for lookups
		for _, o := range prelude {
			if o.Kind == properties.OpNewAndRegister {
				created = append(created, o.Name)
			}
		}
		kinds := properties.OpKinds
		if rapid.Bool().Draw(t, "swarm") {
			kinds = drawSwarm(t)
		}
		c := 0
		client := rapid.Custom(func(t *rapid.T) []properties.Op {
			c++
			devices := 0 // the client's devices so far
			if c == 1 {
				devices = len(created)
			}
			return drawClient(t, &p, kinds, c-1, devices, sz.Ops, &created)
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
			for range fair(t, sz.Clients, "copies") {
				n := min(fair(t, sz.Ops+1, "copy length"), len(ops)) // see index
				p.Clients = append(p.Clients, slices.Clone(ops[len(ops)-n:]))
			}
		} else {
			p.Clients = rapid.SliceOfN(client, 1, sz.Clients).Draw(t, "clients")
		}
		p.Clients[0] = append(prelude, p.Clients[0]...)
		p.Faults = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) sched.Fault {
			return sched.Fault{
				Point: properties.FaultPoints[fair(t, len(properties.FaultPoints), "fault point")],
				Nth:   1 + fair(t, 3, "fault hit"),
				Value: 1,
			}
		}), 0, sz.Faults).Draw(t, "faults")
		if rapid.Bool().Draw(t, "limit pending") {
			p.MaxPending = rapid.IntRange(1, 2).Draw(t, "max pending")
		}
		if p.Ops() == 0 {
			// An empty program checks nothing: register one device instead
			// (not a rejection: rapid v1.3.0's shrinker can crash on
			// generators that reject after drawing).
			p.Clients[0] = []properties.Op{{Kind: properties.OpNewAndRegister, Name: properties.DeviceNames[0], Dev: 0, Parent: -1, Ref: -1}}
		}
		return p
	})
}

// Stress draws the core's stress modes and parent locking (spec §17) for
// one execution, into opt: each is on with odds 1/4, and off once shrunk.
// The modes are one draw, which rapid logs as one line.
func Stress(t *rapid.T, opt properties.Options) properties.Options {
	modes := stressModes.Draw(t, "stress modes")
	for _, m := range properties.StressModes {
		*m.Field(&opt) = *m.Field(&modes)
	}
	return opt
}

// stressModes draws the StressModes, in their order, into otherwise zero
// Options.
var stressModes = rapid.Custom(func(t *rapid.T) properties.Options {
	var o properties.Options
	for _, m := range properties.StressModes {
		*m.Field(&o) = fair(t, 4, m.Name) == 3
	}
	return o
})

// drawPrelude draws the operations client 1 starts with, as a system boots
// with built-in drivers and devices, so that most programs have a device
// and a driver to bind it to: each driver is registered (by its module, for
// a driver in one) with odds 3/4, then a device is registered with odds
// 3/4, its name drawn fair. Each has a draw of its own, which shrinking
// turns off to remove the operation.
func drawPrelude(t *rapid.T, p properties.Program) []properties.Op {
	var ops []properties.Op
	loaded := false
	for _, d := range p.Drivers {
		if fair(t, 4, "register first "+d.Name) == 0 {
			continue
		}
		switch {
		case d.Module == "":
			ops = append(ops, properties.Op{Kind: properties.OpDriverRegister, Driver: d.Name, Dev: -1, Parent: -1, Ref: -1})
		case !loaded:
			ops = append(ops, properties.Op{Kind: properties.OpModuleLoad, Module: d.Module, Dev: -1, Parent: -1, Ref: -1})
			loaded = true
		}
	}
	if k := fair(t, 4, "register a device first"); k > 0 {
		ops = append(ops, properties.Op{Kind: properties.OpNewAndRegister, Name: properties.DeviceNames[k-1], Dev: 0, Parent: -1, Ref: -1})
	}
	return ops
}

// driverCounts weighs the number of drivers a program has (0 to 3): nearly
// every program has one, since everything after a match needs a driver.
var driverCounts = [...]int{1, 5, 5, 5}

// drawSwarm draws the operation kinds of a swarm program (Groce et al.,
// "Swarm Testing", ISSTA 2012): each kind is left out with odds 1/2, so
// that programs dense in a few kinds (many registrations, or many driver
// operations) are likely. Each kind has a draw of its own, so putting one
// kind back shifts no other draw; a swarm that leaves every kind out uses
// them all.
func drawSwarm(t *rapid.T) []properties.OpKind {
	var kinds []properties.OpKind
	for _, k := range properties.OpKinds {
		if !rapid.Bool().Draw(t, "leave out "+k.String()) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return properties.OpKinds
	}
	return kinds
}

func drawDriver(t *rapid.T, name string) properties.Driver {
	d := properties.Driver{
		Name:      name,
		ProbeType: properties.ProbeType(fair(t, 3, name+" probe type")),
		Match:     map[string]properties.MatchResult{},
		Probe:     map[string]properties.ProbeScript{},
		Remove:    map[string]properties.RemoveScript{},
	}
	for _, dev := range properties.DeviceNames {
		m := properties.MatchResult(weighted(t, properties.MatchWeights, fmt.Sprintf("match %s %s", name, dev)))
		if m != properties.MatchNo {
			d.Match[dev] = m
		}
		if m != properties.MatchYes {
			continue
		}
		pr := properties.ProbeScript{Result: properties.Outcome(weighted(t, properties.OutcomeWeights, fmt.Sprintf("probe %s %s", name, dev)))}
		if pr.Result == properties.ProbeDefer { // on another device: a device cannot supply itself
			others := slices.DeleteFunc(slices.Clone(properties.DeviceNames), func(n string) bool { return n == dev })
			pr.Until = others[fair(t, len(others), "defer until")]
		}
		pr.Actions = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) properties.Action {
			a := properties.Action{Kind: properties.ActionKind(weighted(t, properties.ActionWeights, "action"))}
			switch a.Kind {
			case properties.ActChild, properties.ActDevresRef:
				a.Name = properties.DeviceNames[fair(t, len(properties.DeviceNames), "device")]
			case properties.ActSubDriver:
				a.Name = "sub" + name
			case properties.ActWaitGate:
				a.Name = properties.GateNames[fair(t, len(properties.GateNames), "gate")]
			}
			return a
		}), 0, 2).Draw(t, "actions")
		if pr.Result != properties.ProbeOK || len(pr.Actions) > 0 {
			d.Probe[dev] = pr
		}
		var r properties.RemoveScript
		if fair(t, 8, "remove waits") == 7 {
			r.Gate = properties.GateNames[fair(t, len(properties.GateNames), "remove gate")]
		}
		r.UseDevres = rapid.Bool().Draw(t, "remove uses devres")
		if r != (properties.RemoveScript{}) {
			d.Remove[dev] = r
		}
	}
	return d
}

// drawClient draws the operations of client c, as a rapid slice so that
// shrinking removes single operations, down to none: an empty client keeps
// the task ids of the others, which the schedule's preemptions name. It
// keeps a rough account of the client's devices (devices: how many it
// has before its first operation, the prelude's for client 1) so that most
// operations name something that exists; the executor skips the rest
// (deterministically), so any operation may be removed.
func drawClient(t *rapid.T, p *properties.Program, kinds []properties.OpKind, c, devices, maxOps int, created *[]string) []properties.Op {
	lookupName := func(t *rapid.T) string {
		if len(*created) > 0 && rapid.Bool().Draw(t, "created") {
			return (*created)[index(t, len(*created), "created")]
		}
		return properties.DeviceNames[fair(t, len(properties.DeviceNames), "name")]
	}
	op := rapid.Custom(func(t *rapid.T) properties.Op {
		o := properties.Op{Kind: drawOpKind(t, kinds), Dev: -1, Parent: -1, Ref: -1}
		if tw, ok := lookupTwin[o.Kind]; ok && len(*created) > 0 && rapid.Bool().Draw(t, "by name") {
			o.Kind = tw
		}
		// An operation that needs what does not exist creates a device
		// instead, registered with odds 1/2 (drawn for every operation, so
		// that no later draw depends on this one's kind).
		register := rapid.Bool().Draw(t, "registered")
		if (o.Kind.OnDevice() && devices == 0) ||
			(needsDriver(o.Kind) && len(p.Drivers) == 0) ||
			(needsModule(o.Kind) && len(p.Modules) == 0) {
			o.Kind = properties.OpNewDevice
			if register {
				o.Kind = properties.OpNewAndRegister
			}
		}
		switch o.Kind {
		case properties.OpNewDevice, properties.OpNewAndRegister:
			o.Dev = devices
			devices++
			o.Name = properties.DeviceNames[fair(t, len(properties.DeviceNames), "name")]
			*created = append(*created, o.Name)
			if o.Dev > 0 && rapid.Bool().Draw(t, "has parent") {
				o.Parent = index(t, o.Dev, "parent")
			}
			return o
		case properties.OpFind, properties.OpLookupUnbind:
			o.Name = lookupName(t)
		case properties.OpLookupDevres:
			o.Name = lookupName(t)
			if rapid.Bool().Draw(t, "ref") {
				o.Ref = 0
			}
		case properties.OpSetOverride:
			o.Name = properties.Overrides[fair(t, len(properties.Overrides), "override")]
		case properties.OpLookupOverride:
			o.Name = lookupName(t)
			o.Driver = properties.Overrides[fair(t, len(properties.Overrides), "override")]
		case properties.OpLookupBind:
			o.Name = lookupName(t)
			fallthrough
		case properties.OpDriverRegister, properties.OpDriverUnregister, properties.OpBind:
			o.Driver = p.Drivers[index(t, len(p.Drivers), "driver")].Name
		case properties.OpModuleLoad, properties.OpModuleUnload:
			o.Module = p.Modules[0].Name
		case properties.OpOpenGate:
			o.Name = properties.GateNames[fair(t, len(properties.GateNames), "gate")]
		}
		if o.Kind.OnDevice() {
			o.Dev = index(t, devices, "device")
		}
		if o.Kind == properties.OpDevres && rapid.Bool().Draw(t, "ref") {
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
var lookupTwin = map[properties.OpKind]properties.OpKind{properties.OpSetOverride: properties.OpLookupOverride, properties.OpBind: properties.OpLookupBind, properties.OpUnbind: properties.OpLookupUnbind,
	properties.OpDevres: properties.OpLookupDevres}

func needsDriver(k properties.OpKind) bool {
	return k == properties.OpDriverRegister || k == properties.OpDriverUnregister || k == properties.OpBind || k == properties.OpLookupBind
}

func needsModule(k properties.OpKind) bool {
	return k == properties.OpModuleLoad || k == properties.OpModuleUnload
}

// index draws an index below n (n > 0) with equal odds. Its draw does not
// depend on n: rapid redraws a value above its range's maximum, so a range
// that depends on earlier draws (how many devices a client created, how
// many drivers there are) would shift every later draw once shrinking
// lowered it, and rapid could not shrink past that point.
func index(t *rapid.T, n int, label string) int { return fair(t, n, label) }

// drawOpKind draws an operation kind among kinds with the weights above;
// shrinking moves toward the first of them. The draw's range is the same
// for every kinds (see index).
//
// Programs are drawn in the manner of swarm testing (Groce et al., "Swarm
// Testing", ISSTA 2012): half of them use only a few (up to 8) operation
// kinds, which makes the dense programs that deep bugs need (many
// registrations, or many driver operations) far likelier than uniform
// mixes do.
func drawOpKind(t *rapid.T, kinds []properties.OpKind) properties.OpKind {
	ws := make([]int, len(kinds))
	for i, k := range kinds {
		ws[i] = k.Weight()
	}
	return kinds[weighted(t, ws, "op")]
}

// fairBits is the number of fair bits fair draws: enough that the odds of
// n values (n ≤ 2^fairBits / 8) differ by less than an eighth.
const fairBits = 10

// fair draws an integer in [0, n) with equal odds, shrinking toward 0. Its
// bits are drawn one by one as Bools, which rapid draws fair, unlike its
// integer ranges (biased toward small values: 42% of IntRange(0, 115)
// lands in 0-9), so that the distribution is the one written here. The
// draw does not depend on n (see index).
func fair(t *rapid.T, n int, label string) int {
	x := 0
	for range fairBits {
		x <<= 1
		if rapid.Bool().Draw(t, label) {
			x |= 1
		}
	}
	return x * n >> fairBits
}

// weighted draws an index of weights with odds proportional to them,
// shrinking toward index 0.
func weighted(t *rapid.T, weights []int, label string) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := fair(t, total, label)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
