package shrink

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/devstress/devstress/properties"
)

// This file holds Minimize's transformations: the passes that change the
// program's shape rather than delete from it (merge clients, simplify an
// operation, fuse a creation with its registration). They run only when
// a round of the deleting passes keeps nothing, so that up to then the
// candidates, and the result when the deletions suffice, are those of the
// deletions alone; and every accepted transformation lowers a measure
// that the deleting passes never raise (the clients, the operations, the
// complexity of the operations' forms), so rounds still end.

// transform runs the transformation passes once, in a fixed order, and
// reports whether one of them kept a candidate.
func (m *minimizer) transform() bool {
	before := m.stats.Accepted
	m.mergeClients()
	for i := range m.cur.Program.Clients {
		m.simplifyOps(i)
		m.fuseOps(i)
	}
	return m.stats.Accepted > before
}

// mergeClients tries the program with a later client j's operations moved
// into an earlier client i: appended to i's, or else put before them. The
// moved devices are renumbered after those the other client creates;
// switches naming client j go, the later clients' tasks take the name of
// the one before (as when a client is dropped). When the merge changes
// the order in which the program creates devices of a name, and so their
// handles (a#1, a#2: "register a#1", "lock dev:a#2"), each order is tried
// with the schedule's handles as the program order gives them, and then
// as they were. Pairs come in order: i from the first client, j from i+1.
func (m *minimizer) mergeClients() {
	for i := 0; i < len(m.cur.Program.Clients); i++ {
		for j := i + 1; j < len(m.cur.Program.Clients) && !m.exhausted(); {
			if !m.merge(i, j) {
				j++
			}
		}
	}
}

// merge tries client j merged into client i, as mergeClients does.
func (m *minimizer) merge(i, j int) bool {
	old := deviceHandles(m.cur.Program.Clients)
	for _, before := range []bool{false, true} {
		c := m.edit()
		cl := c.Program.Clients
		what := fmt.Sprintf("merge client %d after client %d", j+1, i+1)
		if before {
			cl[i] = concatOps(cl[j], cl[i])
			what = fmt.Sprintf("merge client %d before client %d", j+1, i+1)
		} else {
			cl[i] = concatOps(cl[i], cl[j])
		}
		c.Program.Clients = slices.Delete(cl, j, j+1)
		c.Schedule = renameClients(c.Schedule, j)

		// The handles the devices get in the merged program's order.
		moved := slices.Concat(old[i], old[j])
		if before {
			moved = slices.Concat(old[j], old[i])
		}
		order := slices.Concat(old[:i], [][]string{moved}, old[i+1:j], old[j+1:])
		rename := map[string]string{}
		was := slices.Concat(order...)
		for k, h := range handlesInOrder(order) {
			if was[k] != h {
				rename[was[k]] = h
			}
		}
		if len(rename) > 0 {
			r := c
			r.Schedule = renameHandles(c.Schedule, rename)
			if m.try(what+" (handles renumbered)", r) {
				return true
			}
		}
		if m.try(what, c) {
			return true
		}
	}
	return false
}

// concatOps is one client's operations a followed by b's, whose devices
// are renumbered after the ones a creates.
func concatOps(a, b []properties.Op) []properties.Op {
	n := devicesCreated(a)
	out := slices.Clone(a)
	for _, o := range b {
		out = append(out, mapDevices(o, func(d int) int { return d + n }))
	}
	return out
}

// devicesCreated counts the device slots a client's operations create.
func devicesCreated(ops []properties.Op) int {
	n := 0
	for _, o := range ops {
		if o.Kind.Creates() {
			n++
		}
	}
	return n
}

// mapDevices renumbers the device indices of an operation (the device it
// creates or acts on, its parent, its devres target) through f; a
// negative index (none) stays, and so does a lookup's Ref, which is no
// device index.
func mapDevices(o properties.Op, f func(int) int) properties.Op {
	g := func(d int) int {
		if d < 0 {
			return d
		}
		return f(d)
	}
	switch {
	case o.Kind.Creates():
		o.Dev, o.Parent = g(o.Dev), g(o.Parent)
	case o.Kind.OnDevice():
		o.Dev = g(o.Dev)
		if o.Kind == properties.OpDevres {
			o.Ref = g(o.Ref)
		}
	}
	return o
}

// variant is a candidate client: its operations and what changed.
type variant struct {
	ops  []properties.Op
	what string
}

// simplifyOps replaces client i's operations, one at a time from the
// first, by simpler forms (simpler lists them), keeping the first that
// still fails; a kept form is then simplified further.
func (m *minimizer) simplifyOps(i int) {
	for j := 0; i < len(m.cur.Program.Clients) && j < len(m.cur.Program.Clients[i]) && !m.exhausted(); {
		kept := false
		for _, v := range simpler(m.cur.Program.Clients[i], j) {
			c := m.edit()
			c.Program.Clients[i] = v.ops
			if m.try(fmt.Sprintf("client %d: %s", i+1, v.what), c) {
				kept = true
				break
			}
		}
		if !kept {
			j++
		}
	}
}

// simpler lists the simpler forms of operation j of a client, as the
// client's operations with that one replaced, the simplest first:
//
//   - RegisterAsync(d) -> RegisterSync(d), without the Wait(d)s after it
//     (they would wait for nothing);
//   - UnregisterAsync(d) -> Unregister(d), then -> TryUnregister(d);
//     TryUnregister(d) -> Unregister(d);
//   - a lookup form (Bind, Unbind, SetOverride, DevresAdd of
//     FindDevice(n)) -> the same operation on each device named n that
//     the client created before it, the first first;
//   - DevresAdd(d, ref(e)) -> DevresAdd(d, plain), and the lookup form
//     likewise;
//   - NewDevice(n, p) -> NewDevice(n), and NewAndRegister likewise.
//
// Each form is simpler in a fixed order (sync before async, direct before
// lookup, fewer references before more), so no sequence of replacements
// comes back to a form it left.
func simpler(ops []properties.Op, j int) []variant {
	o := ops[j]
	with := func(repl properties.Op, what string) variant {
		out := slices.Clone(ops)
		out[j] = repl
		return variant{out, fmt.Sprintf("%s -> %s", o, what)}
	}
	var vs []variant
	switch o.Kind {
	case properties.OpRegisterAsync:
		r := o
		r.Kind = properties.OpRegister
		v := with(r, r.String())
		drop := make([]bool, len(ops))
		for k := j + 1; k < len(ops); k++ {
			drop[k] = ops[k].Kind == properties.OpWait && ops[k].Dev == o.Dev
		}
		if slices.Contains(drop, true) {
			v.ops = removeOps(v.ops, drop) // no creation goes: nothing renumbered
			v.what += fmt.Sprintf(" without Wait(d%d)", o.Dev)
		}
		vs = append(vs, v)
	case properties.OpUnregisterAsync, properties.OpTryUnregister:
		forms := []properties.OpKind{properties.OpUnregister}
		if o.Kind == properties.OpUnregisterAsync {
			forms = append(forms, properties.OpTryUnregister)
		}
		for _, k := range forms {
			r := o
			r.Kind = k
			vs = append(vs, with(r, r.String()))
		}
	case properties.OpLookupBind, properties.OpLookupUnbind, properties.OpLookupOverride, properties.OpLookupDevres:
		for d, c := range creations(ops[:j]) {
			if ops[c].Name != o.Name {
				continue
			}
			r := properties.Op{Dev: d, Parent: -1, Ref: -1}
			switch o.Kind {
			case properties.OpLookupBind:
				r.Kind, r.Driver = properties.OpBind, o.Driver
			case properties.OpLookupUnbind:
				r.Kind = properties.OpUnbind
			case properties.OpLookupOverride:
				r.Kind, r.Name = properties.OpSetOverride, o.Driver
			case properties.OpLookupDevres:
				r.Kind = properties.OpDevres
				if o.Ref >= 0 {
					r.Ref = d
				}
			}
			vs = append(vs, with(r, r.String()))
		}
		if o.Kind == properties.OpLookupDevres && o.Ref >= 0 {
			r := o
			r.Ref = -1
			vs = append(vs, with(r, r.String()))
		}
	case properties.OpDevres:
		if o.Ref >= 0 {
			r := o
			r.Ref = -1
			vs = append(vs, with(r, r.String()))
		}
	case properties.OpNewDevice, properties.OpNewAndRegister:
		if o.Parent >= 0 {
			r := o
			r.Parent = -1
			vs = append(vs, with(r, r.String()))
		}
	}
	return vs
}

// creations lists, by device index, the index of the operation that
// creates each device of a client's operations.
func creations(ops []properties.Op) []int {
	var at []int
	for k, o := range ops {
		if o.Kind.Creates() {
			at = append(at, k)
		}
	}
	return at
}

// fuseOps fuses client i's NewDevice(n[, p]) with the first later
// RegisterSync or RegisterAsync of that device (and that one's Wait(d)s)
// into one NewAndRegister(n[, p]): at the place of the NewDevice, or else,
// when no operation between the two uses the device, at the place of the
// registration (the devices created in between are renumbered).
func (m *minimizer) fuseOps(i int) {
	for j := 0; i < len(m.cur.Program.Clients) && j < len(m.cur.Program.Clients[i]) && !m.exhausted(); j++ {
		for _, v := range fusions(m.cur.Program.Clients[i], j) {
			c := m.edit()
			c.Program.Clients[i] = v.ops
			if m.try(fmt.Sprintf("client %d: %s", i+1, v.what), c) {
				break
			}
		}
	}
}

// fusions lists the fusions of operation j of a client, when it is a
// NewDevice, as fuseOps describes them: in its place first.
func fusions(ops []properties.Op, j int) []variant {
	o := ops[j]
	if o.Kind != properties.OpNewDevice {
		return nil
	}
	reg := slices.IndexFunc(ops[j+1:], func(r properties.Op) bool {
		return (r.Kind == properties.OpRegister || r.Kind == properties.OpRegisterAsync) && r.Dev == o.Dev
	})
	if reg < 0 {
		return nil
	}
	reg += j + 1
	fused := o
	fused.Kind = properties.OpNewAndRegister
	drop := make([]bool, len(ops))
	drop[reg] = true
	if ops[reg].Kind == properties.OpRegisterAsync {
		for k := reg + 1; k < len(ops); k++ {
			drop[k] = ops[k].Kind == properties.OpWait && ops[k].Dev == o.Dev
		}
	}
	what := fmt.Sprintf("fuse %s and %s", o, ops[reg])

	here := slices.Clone(ops)
	here[j] = fused
	vs := []variant{{removeOps(here, drop), what + " at the first"}}

	// At the registration: no operation between may use the device.
	for _, b := range ops[j+1 : reg] {
		if slices.Contains(deviceRefs(b), o.Dev) {
			return vs
		}
	}
	between := devicesCreated(ops[j+1 : reg])
	if between == 0 {
		return vs // the same as in its place
	}
	renumber := func(d int) int {
		switch {
		case d == o.Dev:
			return d + between
		case d > o.Dev && d <= o.Dev+between:
			return d - 1
		}
		return d
	}
	var later []properties.Op
	for k, b := range ops {
		switch {
		case k == j || (drop[k] && k != reg):
		case k == reg:
			later = append(later, mapDevices(fused, renumber))
		default:
			later = append(later, mapDevices(b, renumber))
		}
	}
	return append(vs, variant{later, what + " at the second"})
}

// deviceHandles is, for each client, the handles of the devices it
// creates (by device index) when the program creates them in order,
// client after client: a device named n is n#k, the kth of that name.
// The handles a run gives may differ (the clients interleave, probes
// create children); this is the guess mergeClients renumbers.
func deviceHandles(clients [][]properties.Op) [][]string {
	seen := map[string]int{}
	out := make([][]string, len(clients))
	for i, ops := range clients {
		out[i] = []string{}
		for _, o := range ops {
			if o.Kind.Creates() {
				seen[o.Name]++
				out[i] = append(out[i], fmt.Sprintf("%s#%d", o.Name, seen[o.Name]))
			}
		}
	}
	return out
}

// handlesInOrder renumbers handles (name#k) in the order given, client
// after client: the kth of a name becomes name#k.
func handlesInOrder(clients [][]string) []string {
	seen := map[string]int{}
	var out []string
	for _, hs := range clients {
		for _, h := range hs {
			name := h[:strings.LastIndexByte(h, '#')]
			seen[name]++
			out = append(out, fmt.Sprintf("%s#%d", name, seen[name]))
		}
	}
	return out
}

// renameHandles renames device handles in a schedule's task names and
// points, all at once (rename may be a permutation): a handle is renamed
// where it stands as a whole word, so a#1 is not the start of a#12, nor
// the end of ba#1.
func renameHandles(s Schedule, rename map[string]string) Schedule {
	olds := slices.SortedFunc(maps.Keys(rename), func(a, b string) int { return len(b) - len(a) })
	word := func(b byte) bool {
		return b == '_' || b == '#' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
	}
	repl := func(t string) string {
		var b strings.Builder
		for k := 0; k < len(t); {
			matched := false
			if k == 0 || !word(t[k-1]) {
				for _, h := range olds {
					end := k + len(h)
					if strings.HasPrefix(t[k:], h) && (end == len(t) || t[end] < '0' || t[end] > '9') {
						b.WriteString(rename[h])
						k, matched = end, true
						break
					}
				}
			}
			if !matched {
				b.WriteByte(t[k])
				k++
			}
		}
		return b.String()
	}
	out := slices.Clone(s)
	for k := range out {
		out[k].At.Task.Name = repl(out[k].At.Task.Name)
		out[k].At.Point = repl(out[k].At.Point)
		out[k].To.Name = repl(out[k].To.Name)
	}
	return out
}
