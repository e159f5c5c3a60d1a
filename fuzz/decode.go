package fuzz

import (
	"slices"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// The layout of a fuzz input: a header of headerLen bytes, then up to
// maxRecords records of recordLen bytes (as many as the header's first
// byte says, and the data holds: a program is never longer than its
// bytes), then the schedule. A missing byte of the header or of the last
// record reads as 0.
//
// The header:
//
//	0  the number of records (with the prelude's operations, at most
//	   maxRecords count)
//	1  bits 0-2: drivers A, B, C exist; bit 3: the module M exists;
//	   bit 4: M probes asynchronously; bits 5-7: A, B, C are in M. Bits
//	   3-7 only in a target that loads modules: a driver in a module that
//	   is never loaded never registers.
//	2  bits 0-5: the probe types of A, B, C, two bits each (3: Default);
//	   bits 6-7: MaxPending (3: none)
//	3  bits 0-3: the stress modes (properties.StressModes, in order);
//	   bits 4-5: at least this many clients; bits 6-7: copies (3: none)
//	4  the lengths of the two copies, a nibble each
//	5  the prelude of client 1: bits 0-2 register A, B, C first (by M
//	   for a driver in it); bits 3-4: then register device a, b or c
//	   (0: none); bit 5: the schedule mode, set for the bytes (bytesBit)
//
// A record is four bytes [what, x, y, z]: what selects an operation kind
// of the target or a script entry, by weights (Target.records); x, y, z
// are its arguments:
//
//	operation  x: the client (x % 3); y, z: see decodeOp
//	match      x: driver x%3, device x/3%3, defer-until choice x/9%2;
//	           y: the match result; z: the probe result (a driver
//	           matches every device it has no match record for, so
//	           that most programs bind, and its probe succeeds)
//	action     x: driver and device as for match; y: the action; z: its name
//	remove     x: driver and device; y: the gate waited on (y%3, 0 none);
//	           z: bit 0, the remove uses the devres
//	fault      x: the fault point; y: the hit (1 + y%4)
//
// The schedule is a list of pairs [gap, choice]: gap % maxGap decisions
// answered 0 (keep the current task), then one answered choice (modulo the
// number of runnable tasks), and so on; a lone last byte is ignored, and
// every decision after the pairs is 0. So random bytes preempt a run a few
// times at random points (a run of a small program asks for some tens to
// hundreds of decisions), as a sparse set of preemptions does; a mutated
// gap moves one preemption, and a mutated choice changes where it goes.
//
// That is the schedule with bytesBit set in header byte 5. With it clear
// (the zero byte's mode, so that short and mostly-zero inputs, the
// fuzzer's first ones, explore schedules too) the schedule is instead a
// random walk (sched.RandomWalk: every decision drawn at random) whose
// seed is the schedule bytes, byte i xored into bits 8*(i%8) of the seed
// (0 without bytes): a mutated byte gives another walk, and the same
// bytes the same run.
//
// A copy (gen.Programs' copies) is a client that runs the last n operations
// of client 1, as gen.Programs makes them: the same operations
// racing on the same names. Records naming a copy's client are ignored.
const (
	headerLen  = 6
	recordLen  = 4
	maxRecords = 128
	// maxDecisions bounds the decisions a schedule gives (every later one
	// is 0): more than a run of MaxSteps steps per phase asks.
	maxDecisions = 1 << 16
	// maxGap bounds the decisions a pair of the schedule keeps before its
	// choice.
	maxGap = 64
	// bytesBit is the bit of header byte 5 that takes the schedule from
	// the bytes; clear, the schedule is a random walk.
	bytesBit = 1 << 5
)

// Decode decodes data for the target: any byte string gives an Input, the
// same one every time. It does not retain data. See the layout above.
func (t *Target) Decode(data []byte) Input {
	if t.decode != nil {
		return t.decode(data)
	}
	at := func(i int) byte {
		if i < len(data) {
			return data[i]
		}
		return 0
	}
	d := decoder{t: t}
	for i := range d.scripts {
		for j := range d.scripts[i] {
			d.scripts[i][j].match = properties.MatchYes
		}
	}
	drivers, probeTypes, clients, copies, prelude := at(1), at(2), at(3), at(4), at(5)
	d.present = drivers & 7
	if t.allows(properties.OpModuleLoad) {
		d.module = drivers&(1<<3) != 0 || drivers>>5 != 0
		d.members = drivers >> 5
		d.present |= d.members
	}

	var in Input
	for i, m := range properties.StressModes {
		*m.Field(&in.Options) = clients&(1<<i) != 0
	}
	d.copies = int(clients>>6) % 3
	d.clients = max(1, int(clients>>4&3), 1+d.copies)
	d.prelude(prelude)

	n := min(int(at(0)), maxRecords-len(d.ops[0]), (len(data)-headerLen+recordLen-1)/recordLen)
	for r := range n {
		base := headerLen + r*recordLen
		d.record(at(base), at(base+1), at(base+2), at(base+3))
	}
	end := min(len(data), headerLen+n*recordLen)
	if in.Walk = prelude&bytesBit == 0; in.Walk {
		in.Seed = seed(data[end:])
	} else {
		in.Schedule = decisions(data[end:])
	}

	p := &in.Program
	p.MaxPending = int(probeTypes>>6) % 3
	p.Faults = d.faults
	d.drivers(p, drivers, probeTypes)
	d.clientsOf(p, copies)
	return in
}

// drivers adds the drivers the header names, with their scripts from the
// records, probe types from header byte 2 and, when the target loads
// modules, the module of header byte 1.
func (d *decoder) drivers(p *properties.Program, drivers, probeTypes byte) {
	for i, name := range properties.DriverNames {
		if d.present&(1<<i) == 0 {
			continue
		}
		pt := properties.ProbeType(int(probeTypes>>(2*i)&3) % 3) // 3: Default
		p.Drivers = append(p.Drivers, d.driver(i, name, pt))
	}
	if d.module {
		m := properties.Module{Name: moduleName, AsyncProbe: drivers&(1<<4) != 0}
		for i := range p.Drivers {
			if d.members&(1<<slices.Index(properties.DriverNames, p.Drivers[i].Name)) != 0 {
				p.Drivers[i].Module = moduleName
				m.Drivers = append(m.Drivers, p.Drivers[i].Name)
			}
		}
		p.Modules = []properties.Module{m}
	}
	properties.AvoidProbeLoops(p.Drivers)
}

// clientsOf sets the program's clients: client 1, its copies (their
// lengths from header byte 4), then the clients the records filled.
func (d *decoder) clientsOf(p *properties.Program, copies byte) {
	p.Clients = make([][]properties.Op, d.clients)
	p.Clients[0] = d.ops[0]
	for c := 1; c < d.clients; c++ {
		if c <= d.copies {
			length := int(copies >> (4 * (c - 1)) & 15)
			first := p.Clients[0]
			p.Clients[c] = slices.Clone(first[len(first)-min(length, len(first)):])
			continue
		}
		p.Clients[c] = d.ops[c]
	}
	for c := range p.Clients {
		if len(p.Clients[c]) == 0 {
			p.Clients[c] = nil
		}
	}
}

// decisions expands the schedule's [gap, choice] pairs into one byte per
// decision, at most maxDecisions of them.
func decisions(pairs []byte) []byte {
	var ds []byte
	for i := 0; i+1 < len(pairs) && len(ds) < maxDecisions; i += 2 {
		ds = append(ds, make([]byte, pairs[i]%maxGap)...)
		ds = append(ds, pairs[i+1])
	}
	return ds[:min(len(ds), maxDecisions)]
}

// seed folds the schedule bytes into a random walk's seed: byte i is
// xored into bits 8*(i%8).
func seed(b []byte) uint64 {
	var s uint64
	for i, x := range b {
		s ^= uint64(x) << (8 * (i % 8))
	}
	return s
}

// decoder is the state of one Decode.
type decoder struct {
	t       *Target
	present byte // drivers A, B, C by bit
	members byte // drivers in the module
	module  bool
	copies  int
	clients int
	ops     [3][]properties.Op
	devices [3]int // devices each client has created
	scripts [3][3]script
	faults  []sched.Fault
}

// script is what the records say of one driver and device.
type script struct {
	match  properties.MatchResult
	probe  properties.ProbeScript
	remove properties.RemoveScript
}

func newOp(k properties.OpKind) properties.Op {
	return properties.Op{Kind: k, Dev: -1, Parent: -1, Ref: -1}
}

// prelude adds client 1's first operations: drivers registered (by the
// module, once, for a driver in it, in the targets that load modules),
// then a device.
func (d *decoder) prelude(b byte) {
	loaded := false
	for i, name := range properties.DriverNames {
		if b&(1<<i) == 0 {
			continue
		}
		d.present |= 1 << i
		switch {
		case d.members&(1<<i) == 0:
			o := newOp(properties.OpDriverRegister)
			o.Driver = name
			d.ops[0] = append(d.ops[0], o)
		case !loaded && d.t.allows(properties.OpModuleLoad):
			o := newOp(properties.OpModuleLoad)
			o.Module = moduleName
			d.ops[0] = append(d.ops[0], o)
			d.module, loaded = true, true
		}
	}
	if k := int(b >> 3 & 3); k > 0 {
		o := newOp(properties.OpNewAndRegister)
		o.Name, o.Dev = properties.DeviceNames[k-1], 0
		d.ops[0] = append(d.ops[0], o)
		d.devices[0] = 1
	}
}

// record decodes one record.
func (d *decoder) record(what, x, y, z byte) {
	k := d.t.what[d.t.records.of[what]]
	if k.script == scriptNone {
		d.op(k.op, int(x)%3, y, z)
		return
	}
	if k.script == scriptFault {
		d.faults = append(d.faults, sched.Fault{Point: properties.FaultPoints[int(x)%len(properties.FaultPoints)], Nth: 1 + int(y)%4, Value: 1})
		return
	}
	drv, dev := int(x)%3, int(x)/3%3
	d.present |= 1 << drv
	s := &d.scripts[drv][dev]
	switch k.script {
	case scriptMatch:
		s.match = properties.MatchResult(matchScale.of[y])
		s.probe.Result = properties.Outcome(outcomeScale.of[z])
		s.probe.Until = ""
		if s.probe.Result == properties.ProbeDefer {
			s.probe.Until = others(dev)[int(x)/9%2]
		}
	case scriptAction:
		a := properties.Action{Kind: properties.ActionKind(actionScale.of[y])}
		switch a.Kind {
		case properties.ActChild, properties.ActDevresRef:
			a.Name = properties.DeviceNames[int(z)%3]
		case properties.ActSubDriver:
			a.Name = "sub" + properties.DriverNames[drv]
		case properties.ActWaitGate:
			a.Name = properties.GateNames[int(z)%2]
		}
		s.probe.Actions = append(s.probe.Actions, a)
	case scriptRemove:
		s.remove = properties.RemoveScript{UseDevres: z&1 != 0}
		if g := int(y) % 3; g > 0 {
			s.remove.Gate = properties.GateNames[g-1]
		}
	}
}

// others are the device names other than properties.DeviceNames[dev], the devices a
// probe of it may defer until (a device cannot supply itself).
func others(dev int) [2]string {
	var o [2]string
	j := 0
	for i, n := range properties.DeviceNames {
		if i != dev {
			o[j] = n
			j++
		}
	}
	return o
}

// op decodes an operation record of client c (dropped for a copy's
// client, whose operations are client 1's). A device operation of a client
// without devices creates one instead, registered when z is odd, as
// gen.Programs does.
func (d *decoder) op(k properties.OpKind, c int, y, z byte) {
	if c >= 1 && c <= d.copies {
		return
	}
	d.clients = max(d.clients, c+1)
	devs := d.devices[c]
	if k.OnDevice() && devs == 0 {
		k = properties.OpNewDevice
		if z&1 != 0 {
			k = properties.OpNewAndRegister
		}
	}
	o := newOp(k)
	switch k {
	case properties.OpNewDevice, properties.OpNewAndRegister:
		o.Dev, o.Name = devs, properties.DeviceNames[int(y)%3]
		if z > 0 && devs > 0 {
			o.Parent = int(z-1) % devs
		}
		d.devices[c]++
	case properties.OpFind, properties.OpLookupUnbind:
		o.Name = properties.DeviceNames[int(y)%3]
	case properties.OpLookupDevres:
		o.Name = properties.DeviceNames[int(y)%3]
		if z&1 != 0 {
			o.Ref = 0
		}
	case properties.OpSetOverride:
		o.Name = properties.Overrides[int(z)%3]
	case properties.OpLookupOverride:
		o.Name, o.Driver = properties.DeviceNames[int(y)%3], properties.Overrides[int(z)%3]
	case properties.OpLookupBind:
		o.Name, o.Driver = properties.DeviceNames[int(y)%3], d.driver3(z)
	case properties.OpBind:
		o.Driver = d.driver3(z)
	case properties.OpDriverRegister, properties.OpDriverUnregister:
		o.Driver = d.driver3(y)
	case properties.OpModuleLoad, properties.OpModuleUnload:
		o.Module = moduleName
		d.module = true
	case properties.OpOpenGate:
		o.Name = properties.GateNames[int(y)%2]
	}
	if k.OnDevice() {
		o.Dev = int(y) % devs
	}
	if k == properties.OpDevres && z > 0 {
		o.Ref = int(z-1) % devs
	}
	d.ops[c] = append(d.ops[c], o)
}

// driver3 names the driver b%3, which exists from then on.
func (d *decoder) driver3(b byte) string {
	i := int(b) % 3
	d.present |= 1 << i
	return properties.DriverNames[i]
}

// driver builds driver i from its scripts.
func (d *decoder) driver(i int, name string, pt properties.ProbeType) properties.Driver {
	drv := properties.Driver{Name: name, ProbeType: pt,
		Match: map[string]properties.MatchResult{}, Probe: map[string]properties.ProbeScript{}, Remove: map[string]properties.RemoveScript{}}
	for dev, s := range d.scripts[i] {
		n := properties.DeviceNames[dev]
		if s.match != properties.MatchNo {
			drv.Match[n] = s.match
		}
		if s.probe.Result != properties.ProbeOK || len(s.probe.Actions) > 0 {
			drv.Probe[n] = s.probe
		}
		if s.remove != (properties.RemoveScript{}) {
			drv.Remove[n] = s.remove
		}
	}
	return drv
}
