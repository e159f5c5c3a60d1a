package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// ErrOutOfRange is Encode's error for an input the target's decoder does
// not produce (a name outside its vocabulary, an operation the target
// does not draw, a second module, more records than it reads...).
var ErrOutOfRange = errors.New("fuzz: the input is outside the decoder's range")

// Encode returns bytes that t.Decode decodes to in: the inverse of Decode
// on its range, used to build seed corpora from counterexample files and
// generated programs. Programs, stress modes and schedules in the range
// round-trip exactly (up to nil versus empty slices); any other input is
// refused with ErrOutOfRange, which Encode checks by decoding its output.
// in.Options.Bug must be zero: the target's run chooses the variant.
func (t *Target) Encode(in Input) ([]byte, error) {
	if in.Options.Bug != sut.BugNone || in.Options.MaxSteps != 0 {
		return nil, fmt.Errorf("%w: options other than stress modes (%#v)", ErrOutOfRange, in.Options)
	}
	e := encoder{t: t}
	if err := e.program(in.Program); err != nil {
		return nil, err
	}
	for i, m := range properties.StressModes {
		if *m.Field(&in.Options) {
			e.header[3] |= 1 << i
		}
	}
	if len(e.records) > maxRecords*recordLen {
		return nil, fmt.Errorf("%w: %d records, at most %d", ErrOutOfRange, len(e.records)/recordLen, maxRecords)
	}
	e.header[0] = byte(len(e.records) / recordLen)
	if len(in.Schedule) > maxDecisions {
		return nil, fmt.Errorf("%w: %d decisions, at most %d", ErrOutOfRange, len(in.Schedule), maxDecisions)
	}
	schedule := bytes.TrimRight(binary.LittleEndian.AppendUint64(nil, in.Seed), "\x00")
	if !in.Walk {
		e.header[5] |= bytesBit
		schedule = pairs(in.Schedule)
	}
	out := slices.Concat(e.header[:], e.records, schedule)
	if got := t.Decode(out); !SameInput(got, in) {
		return nil, fmt.Errorf("%w: it decodes to\n%s\nnot\n%s", ErrOutOfRange, got.Program, in.Program)
	}
	return out, nil
}

// pairs encodes decisions as the [gap, choice] pairs decisions reads: a
// run of zeros longer than a gap holds is cut by pairs [maxGap-1, 0].
func pairs(ds []byte) []byte {
	var out []byte
	zeros := 0
	for _, d := range ds {
		if d == 0 && zeros < maxGap-1 {
			zeros++
			continue
		}
		out = append(out, byte(zeros), d)
		zeros = 0
	}
	if zeros > 0 {
		out = append(out, byte(zeros-1), 0)
	}
	return out
}

// encoder builds the header and records of one input.
type encoder struct {
	t       *Target
	header  [headerLen]byte
	records []byte
}

func (e *encoder) record(what, x, y, z byte) { e.records = append(e.records, what, x, y, z) }

// kind is the first byte of a record of kind k.
func (e *encoder) kind(k recordKind) (byte, error) {
	i := slices.Index(e.t.what, k)
	if i < 0 {
		return 0, fmt.Errorf("%w: target %s does not draw %s", ErrOutOfRange, e.t.Name, k.op)
	}
	return e.t.records.first[i], nil
}

func (e *encoder) program(p properties.Program) error {
	for _, d := range p.Drivers {
		if err := e.driver(d); err != nil {
			return err
		}
	}
	switch {
	case len(p.Modules) > 1:
		return fmt.Errorf("%w: %d modules", ErrOutOfRange, len(p.Modules))
	case len(p.Modules) == 1:
		e.header[1] |= 1 << 3
		if p.Modules[0].AsyncProbe {
			e.header[1] |= 1 << 4
		}
		for _, name := range p.Modules[0].Drivers {
			e.header[1] |= 1 << (5 + max(0, slices.Index(properties.DriverNames, name)))
		}
	}
	if p.MaxPending < 0 || p.MaxPending > 2 {
		return fmt.Errorf("%w: max pending %d", ErrOutOfRange, p.MaxPending)
	}
	e.header[2] |= byte(p.MaxPending) << 6
	fault, err := e.kind(recordKind{op: -1, script: scriptFault})
	if err != nil {
		return err
	}
	for _, f := range p.Faults {
		e.record(fault, byte(max(0, slices.Index(properties.FaultPoints, f.Point))), byte(f.Nth-1), 0)
	}
	return e.clients(p.Clients)
}

// driver encodes a driver's existence, probe type and scripts.
func (e *encoder) driver(d properties.Driver) error {
	i := slices.Index(properties.DriverNames, d.Name)
	if i < 0 {
		return fmt.Errorf("%w: driver %s", ErrOutOfRange, d.Name)
	}
	e.header[1] |= 1 << i
	e.header[2] |= byte(d.ProbeType&3) << (2 * i)
	match, _ := e.kind(recordKind{op: -1, script: scriptMatch})
	action, _ := e.kind(recordKind{op: -1, script: scriptAction})
	remove, _ := e.kind(recordKind{op: -1, script: scriptRemove})
	for dev, name := range properties.DeviceNames {
		x := byte(i + 3*dev)
		pr := d.Probe[name]
		if m, ok := d.Match[name]; !ok || m != properties.MatchYes || pr.Result != properties.ProbeOK {
			o := others(dev)
			until := max(0, slices.Index(o[:], pr.Until))
			e.record(match, x+9*byte(until), matchScale.first[m&3], outcomeScale.first[pr.Result%5])
		}
		for _, a := range pr.Actions {
			var z int
			switch a.Kind {
			case properties.ActChild, properties.ActDevresRef:
				z = slices.Index(properties.DeviceNames, a.Name)
			case properties.ActWaitGate:
				z = slices.Index(properties.GateNames, a.Name)
			}
			e.record(action, x, actionScale.first[a.Kind%6], byte(max(0, z)))
		}
		if r, ok := d.Remove[name]; ok {
			var z byte
			if r.UseDevres {
				z = 1
			}
			e.record(remove, x, byte(slices.Index(properties.GateNames, r.Gate)+1), z)
		}
	}
	return nil
}

// clients encodes the clients: those right after the first that run its
// last operations as copies of them, the others operation by operation.
func (e *encoder) clients(clients [][]properties.Op) error {
	if len(clients) == 0 || len(clients) > 3 {
		return fmt.Errorf("%w: %d clients", ErrOutOfRange, len(clients))
	}
	e.header[3] |= byte(len(clients)) << 4
	copies := copiesOf(clients)
	e.header[3] |= byte(len(copies)) << 6
	for i, n := range copies {
		e.header[4] |= byte(n) << (4 * i)
	}
	for c, ops := range clients {
		if c >= 1 && c <= len(copies) {
			continue
		}
		for _, o := range ops {
			if err := e.op(c, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// copiesOf returns the lengths of the clients right after the first that
// run its last operations (at most 15 of them).
func copiesOf(clients [][]properties.Op) []int {
	first := clients[0]
	var lengths []int
	for _, c := range clients[1:] {
		n := len(c)
		if n > 15 || n > len(first) || !reflect.DeepEqual(normalOps(c), normalOps(first[len(first)-n:])) {
			break
		}
		lengths = append(lengths, n)
	}
	return lengths
}

// op encodes one operation of client c.
func (e *encoder) op(c int, o properties.Op) error {
	what, err := e.kind(recordKind{op: o.Kind})
	if err != nil {
		return err
	}
	var y, z int
	switch o.Kind {
	case properties.OpNewDevice, properties.OpNewAndRegister:
		y, z = slices.Index(properties.DeviceNames, o.Name), o.Parent+1
	case properties.OpFind, properties.OpLookupUnbind:
		y = slices.Index(properties.DeviceNames, o.Name)
	case properties.OpLookupDevres:
		y, z = slices.Index(properties.DeviceNames, o.Name), o.Ref+1
	case properties.OpSetOverride:
		y, z = o.Dev, slices.Index(properties.Overrides, o.Name)
	case properties.OpLookupOverride:
		y, z = slices.Index(properties.DeviceNames, o.Name), slices.Index(properties.Overrides, o.Driver)
	case properties.OpLookupBind:
		y, z = slices.Index(properties.DeviceNames, o.Name), slices.Index(properties.DriverNames, o.Driver)
	case properties.OpBind:
		y, z = o.Dev, slices.Index(properties.DriverNames, o.Driver)
	case properties.OpDriverRegister, properties.OpDriverUnregister:
		y = slices.Index(properties.DriverNames, o.Driver)
	case properties.OpOpenGate:
		y = slices.Index(properties.GateNames, o.Name)
	case properties.OpDevres:
		y, z = o.Dev, o.Ref+1
	default:
		y = o.Dev
	}
	e.record(what, byte(c), byte(max(0, y)), byte(max(0, z)))
	return nil
}

// SameInput reports whether two inputs are the same, nil and empty slices
// alike.
func SameInput(a, b Input) bool {
	return reflect.DeepEqual(normalProgram(a.Program), normalProgram(b.Program)) &&
		a.Options == b.Options && string(a.Schedule) == string(b.Schedule) && a.Walk == b.Walk && a.Seed == b.Seed
}

// normalProgram is p with empty slices nil and nil maps empty, in a copy.
func normalProgram(p properties.Program) properties.Program {
	q := properties.Program{MaxPending: p.MaxPending, Modules: nilIfEmpty(p.Modules), Faults: nilIfEmpty(p.Faults)}
	for _, d := range p.Drivers {
		n := properties.Driver{Name: d.Name, ProbeType: d.ProbeType, Module: d.Module,
			Match: map[string]properties.MatchResult{}, Probe: map[string]properties.ProbeScript{}, Remove: map[string]properties.RemoveScript{}}
		for k, v := range d.Match {
			n.Match[k] = v
		}
		for k, v := range d.Probe {
			v.Actions = nilIfEmpty(v.Actions)
			n.Probe[k] = v
		}
		for k, v := range d.Remove {
			n.Remove[k] = v
		}
		q.Drivers = append(q.Drivers, n)
	}
	for i := range q.Modules {
		q.Modules[i].Drivers = nilIfEmpty(q.Modules[i].Drivers)
	}
	for _, c := range p.Clients {
		q.Clients = append(q.Clients, normalOps(c))
	}
	return q
}

func normalOps(ops []properties.Op) []properties.Op { return nilIfEmpty(ops) }

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
