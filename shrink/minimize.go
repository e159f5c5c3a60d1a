package shrink

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/devstress/devstress/properties"
)

// DefaultBudget is Minimize's default bound on candidate replays.
const DefaultBudget = 5000

// MinimizeOption configures Minimize.
type MinimizeOption func(*minimizeConfig)

type minimizeConfig struct {
	budget int
	logf   func(format string, args ...any)
	// replay runs a file (tests count the replays through it).
	replay func(File) run
}

// Budget bounds the number of candidates Minimize replays (default
// DefaultBudget). The bound is counted in replays, not in time, so that
// the same file and budget give the same result on any machine.
func Budget(n int) MinimizeOption {
	return func(c *minimizeConfig) { c.budget = n }
}

// Logf makes Minimize report each accepted candidate through logf (for
// example testing.T.Logf).
func Logf(logf func(format string, args ...any)) MinimizeOption {
	return func(c *minimizeConfig) { c.logf = logf }
}

// Size is the size of a counterexample. Spec §14.6 sizes a counterexample
// as (operations, faults, preemptions): Ops, Faults and Preemptions here.
// Switches counts every switch of the schedule, the free ones (after a
// block or exit, or at the start) included; the rest is what else the
// file declares.
type Size struct {
	Ops, Faults, Preemptions, Switches, Drivers, Modules, Clients int
}

// SizeOf measures f.
func SizeOf(f File) Size {
	s := Size{
		Ops: f.Program.Ops(), Faults: len(f.Program.Faults), Switches: len(f.Schedule),
		Drivers: len(f.Program.Drivers), Modules: len(f.Program.Modules), Clients: len(f.Program.Clients),
	}
	for _, sw := range f.Schedule {
		if sw.Preemptive() {
			s.Preemptions++
		}
	}
	return s
}

// Spec is the size as spec §14.6 counts it: (operations, faults,
// preemptions).
func (s Size) Spec() [3]int { return [3]int{s.Ops, s.Faults, s.Preemptions} }

func (s Size) String() string {
	return fmt.Sprintf("(%d, %d, %d) with %d switches, %d drivers, %d modules, %d clients",
		s.Ops, s.Faults, s.Preemptions, s.Switches, s.Drivers, s.Modules, s.Clients)
}

// Preemptive reports whether the switch is a preemption (spec §14.6): a
// switch away from a task that could have continued, not one made when it
// blocked or exited, nor the first choice of the run.
func (s Switch) Preemptive() bool {
	return s.At.Point != pointStart && s.At.Point != "block" && s.At.Point != "exit"
}

// Stats tells what Minimize did.
type Stats struct {
	// Tried counts the candidates replayed (at most the budget), Accepted
	// those kept. Invalid counts candidates refused without a replay (the
	// format could not express them or Parse refused them), Repeated those
	// skipped because the same candidate was replayed before.
	Tried, Accepted, Invalid, Repeated int
	// Rounds counts the rounds of all passes.
	Rounds int
	// Exhausted is set when the whole budget was spent: the result may not
	// be a fixpoint of the passes.
	Exhausted bool
	// Before and After are the sizes of the input and of the result.
	Before, After Size
}

func (s Stats) String() string {
	out := fmt.Sprintf("%s -> %s: %d candidates tried, %d accepted, %d invalid, %d repeated, %d rounds",
		s.Before, s.After, s.Tried, s.Accepted, s.Invalid, s.Repeated, s.Rounds)
	if s.Exhausted {
		out += ", budget exhausted"
	}
	return out
}

// ErrNotFailing is Minimize's error when the input does not replay to a
// failure of the invariant it expects.
var ErrNotFailing = errors.New("shrink: the counterexample does not fail as it expects")

// Minimize returns a smaller counterexample that fails like f: a File that
// replays to a failure of the same invariant as f.Expect (its step and
// digest may differ; the result's Expect and Digest are those of its own
// replay, so Check passes on it).
//
// Minimize works on the File alone, whatever found it (rapid, a random
// walk, a fuzzer, a person): it edits the file, replays each candidate
// and keeps it when it still fails with that invariant. The passes, in
// this order, repeat until a round keeps no smaller candidate or the
// budget is spent:
//
//   - drop whole clients (the later clients' tasks are renamed in the
//     schedule, whose switches naming the dropped one go);
//   - delta debugging over each client's operations: keep one chunk
//     alone, or remove one, with smaller chunks each time none goes, down
//     to single operations. Removing a NewDevice or
//     NewAndRegister removes the operations on that device (its devres
//     references and children included) and renumbers the later devices,
//     so a candidate means what it says;
//   - drop fault-plan entries, and lower a fault's hit to the lowest that
//     still fails;
//   - drop drivers, with the operations and module entries naming them;
//   - drop modules (with their loads and unloads), a module's drivers one
//     at a time, and make a module synchronous;
//   - delta debugging over the schedule's switches, down to dropping them
//     one at a time;
//   - clear stress modes, MaxPending and MaxSteps;
//   - simplify driver scripts: drop match entries, probe scripts, probe
//     actions, remove scripts and their parts, and make probe results ok;
//   - move each switch to a later arrival of its task at its point
//     (#n -> #n+1) while that keeps the failure, which no decision-level
//     shrinker can do. Moves alone start another round only when they
//     made the file smaller (other switches were then never taken).
//
// When a round of these keeps nothing (a local minimum of deletion), the
// transformations run once, in this order, and another round follows when
// one was kept:
//
//   - merge clients: a later client's operations appended to an earlier
//     client's, or else put before them, its devices renumbered after the
//     other's (switches naming it go, the later clients' tasks are
//     renamed, as when a client is dropped);
//   - simplify each operation to a simpler form: RegisterAsync(d) ->
//     RegisterSync(d) (its Wait(d) goes), UnregisterAsync(d) ->
//     Unregister(d) or TryUnregister(d), TryUnregister(d) ->
//     Unregister(d), a lookup form (Bind(FindDevice(n), A), ...) -> the
//     direct form on the client's own device named n, a devres reference
//     -> plain, a device's parent -> none;
//   - fuse NewDevice(n[, p]) with the device's first RegisterSync or
//     RegisterAsync (and Wait) into NewAndRegister(n[, p]), in the place
//     of the first or else of the second.
//
// When the transformations keep nothing either, the schedule passes run
// once, in this order, and another round follows when one was kept. They
// search for a schedule rather than edit the one there is: a candidate
// schedule is the free switches (at the start, after a block or an exit)
// and one preemptive switch, `at "<task>" <point> #<n> -> "<task>"`, at a
// preemptive choice that the program's baseline run (under the free
// switches alone) reached, to a task runnable there; the baseline itself,
// with no preemption, is a candidate too. The switches come in a canonical
// order: first at the task and point of a switch of the schedule being
// replaced, then at its point for another task, then at a client's
// choices, then the rest, each in the order the run met them, and at a
// choice the replaced switch's target first, then the clients, then the
// other tasks. A two-switch candidate adds to the free switches a first
// switch, one the baseline run met (a free one, at the start or after a
// block or an exit, to another task runnable there; with three or more
// preemptions in the current file, then a preemptive one too, at the
// first arrival of its task at its point, yield points before locks),
// and a second, preemptive, at a choice the run under the first met
// after it (at most 6 per first switch, in the canonical order):
//
//   - re-schedule: with two or more preemptions, the current program under
//     one-switch schedules (at most 192 candidates), then with no free
//     switches, then with each later client first (a free switch at the
//     start), at most 192 candidates each; then under two-switch
//     schedules (at most 192): a free switch and a preemption, or, with
//     three or more preemptions, two preemptions;
//   - retarget: with two or more preemptions, a switch to another task
//     runnable at its choice, without one of the other preemptive
//     switches (two switches become one);
//   - edit then re-schedule: with a preemption, each deletion (drop a
//     client, an operation, a fault, a driver) and, with two or more preemptions,
//     each split of a client (one of its devices, with the operations
//     using it, or one operation that uses no device, moved to a new last
//     client) and each move of an operation that creates no device (to
//     another place in its client after the devices it uses are created,
//     or, when it uses none of its client's devices, to any place in
//     another client), under one-switch schedules, at most 10 candidates
//     per edit, its baseline included: an edit that lost the failure
//     only because the schedule no longer fits the program survives, and
//     a moved operation can make one preemption do the work of two (the
//     override set by the task that then matches, say). When no edit is
//     kept so, with three or more preemptions each split is tried under
//     two-switch schedules with two preemptions (at most 128 candidates
//     per split), and then, with two or more, each edit under a free
//     switch and a preemption (at most 12 per edit), and then each
//     deletion under two switches with up to two preemptions (at most 48
//     per deletion): without a fault, the failure may come by another
//     path that needs other preemptions. After a kept edit the edits
//     are listed again.
//
// Their candidates have fewer preemptions than the current file (two at
// most, and two only when it has three or more), or one and a smaller
// program, or two, no more than the file has, and a smaller program: they are taken only where they lower the preemptions or
// delete from the program (a split or a move, which delete nothing, only
// when they lower the preemptions), so the counts of spec §14.6 never
// rise.
//
// Up to the first local minimum the candidates are those of the deletions
// alone, and later rounds never make a count of Size larger but the
// clients and the switches (a split lowers the preemptions; a free switch
// is no preemption), so the result is no larger in (operations, faults,
// preemptions) than the deletions alone would give. Every kept
// transformation lowers the clients, the operations or the forms'
// complexity, and every kept schedule candidate the preemptions or the
// program, which no pass raises but a split or a move (which lower the
// preemptions), so the rounds end.
//
// A switch that a candidate's replay never takes is dropped from it (the
// run is the same without it). A candidate the format cannot express, or
// that Parse refuses (a reference to a dropped driver, say), is not
// replayed; nor is one replayed before.
//
// The work is bounded by the number of candidate replays (Budget, default
// DefaultBudget), not by time, and passes and candidates come in a fixed
// order: the same input and budget give the same result on every machine.
// Minimize replays f itself once more, to check it; it fails with
// ErrNotFailing when f expects a pass or its replay does not fail with
// f.Expect's invariant, and when f cannot be written as a file.
func Minimize(f File, opts ...MinimizeOption) (File, Stats, error) {
	cfg := minimizeConfig{budget: DefaultBudget, replay: replayTraced}
	for _, o := range opts {
		o(&cfg)
	}
	m, err := newMinimizer(f, cfg)
	if err != nil {
		return f, m.stats, err
	}
	for !m.exhausted() {
		m.stats.Rounds++
		before := m.stats.Accepted
		m.dropClients()
		for i := range m.cur.Program.Clients {
			m.ddminClient(i)
		}
		m.faults()
		m.drivers()
		m.modules()
		m.ddminSchedule()
		m.options()
		m.scripts()
		progress := m.stats.Accepted > before
		size := SizeOf(m.cur)
		m.moveSwitches()
		if !progress && SizeOf(m.cur) == size && !m.transform() && !m.schedules() {
			break
		}
	}
	m.stats.After = SizeOf(m.cur)
	m.stats.Exhausted = m.exhausted()
	return m.cur, m.stats, nil
}

// newMinimizer starts minimizing f: it replays f once (not counted as a
// candidate) and fails as Minimize does when f does not fail as it
// expects.
func newMinimizer(f File, cfg minimizeConfig) (*minimizer, error) {
	m := &minimizer{cfg: cfg, want: f.Expect.Invariant, replayed: map[string]bool{}, baselines: map[string][]choicePoint{}, traces: map[string][]choicePoint{}}
	m.stats.Before = SizeOf(f)
	if f.Expect.Pass() {
		return m, fmt.Errorf("%w: it expects a pass", ErrNotFailing)
	}
	start, err := m.normal(f)
	if err != nil {
		return m, fmt.Errorf("shrink: minimizing: %w", err)
	}
	r := cfg.replay(start)
	if r.v.Failure == nil || r.v.Failure.Invariant != m.want {
		return m, fmt.Errorf("%w: want %s, got %s", ErrNotFailing, m.want, expectOf(r.v))
	}
	m.adopt(start, r)
	return m, nil
}

// minimizer holds the current counterexample of a minimization.
type minimizer struct {
	cfg      minimizeConfig
	want     string // the invariant
	cur      File   // fails with want; Expect and Digest from its replay
	curKey   string // cur's text as a candidate
	curRun   run    // cur's replay
	replayed map[string]bool
	// baselines holds the preemptive choices of the baseline runs of the
	// schedule passes, by candidate text.
	baselines map[string][]choicePoint
	// traces holds the preemptive choices of the candidates replayed
	// that did not fail with the invariant, by candidate text.
	traces map[string][]choicePoint
	stats  Stats
}

// exhausted reports whether the budget is spent.
func (m *minimizer) exhausted() bool { return m.stats.Tried >= m.cfg.budget }

// normal is f as candidates are: with the target expectation and no
// digest, through its text, so that equal candidates have equal texts.
func (m *minimizer) normal(f File) (File, error) {
	text, err := m.key(f)
	if err != nil {
		return File{}, err
	}
	return Parse(strings.NewReader(text))
}

// key is the text of candidate f, which identifies it.
func (m *minimizer) key(f File) (string, error) {
	f.Expect, f.Digest = Expect{Invariant: m.want}, ""
	return format(f)
}

// adopt makes g, whose replay was r, the current counterexample, without
// the switches r never took.
func (m *minimizer) adopt(g File, r run) {
	for _, sw := range r.unused {
		g.Schedule = slices.DeleteFunc(g.Schedule, func(s Switch) bool { return s.At == sw.At })
	}
	g.Expect, g.Digest = expectOf(r.v), r.v.Trace.Digest()
	m.curRun = r
	m.cur = g
	m.curKey, _ = m.key(g)
}

// try replays candidate c and makes it current when it fails with the
// invariant. what says what the candidate changed, for the log.
func (m *minimizer) try(what string, c File) bool {
	if m.exhausted() {
		return false
	}
	text, err := m.key(c)
	if err != nil {
		m.stats.Invalid++
		return false
	}
	if text == m.curKey || m.replayed[text] {
		m.stats.Repeated++
		return false
	}
	g, err := Parse(strings.NewReader(text))
	if err != nil {
		m.stats.Invalid++
		return false
	}
	m.replayed[text] = true
	m.stats.Tried++
	r := m.cfg.replay(g)
	if r.v.Failure == nil || r.v.Failure.Invariant != m.want {
		m.traces[text] = r.choices
		return false
	}
	m.accept(what, g, r)
	return true
}

// accept makes candidate g, whose replay r failed with the invariant, the
// current counterexample, and logs it.
func (m *minimizer) accept(what string, g File, r run) {
	m.stats.Accepted++
	m.adopt(g, r)
	if m.cfg.logf != nil {
		m.cfg.logf("minimize: candidate %d: %s: %s", m.stats.Tried, what, SizeOf(m.cur))
	}
}

// edit returns a deep copy of the current counterexample for a candidate.
func (m *minimizer) edit() File { return cloneFile(m.cur) }

// dropClients tries the program without each client.
func (m *minimizer) dropClients() {
	for i := 0; i < len(m.cur.Program.Clients) && !m.exhausted(); {
		c := m.edit()
		c.Program.Clients = slices.Delete(c.Program.Clients, i, i+1)
		c.Schedule = renameClients(c.Schedule, i)
		if !m.try(fmt.Sprintf("drop client %d", i+1), c) {
			i++
		}
	}
}

// clientName is the task name of client i (from 0), as properties names it.
func clientName(i int) string { return fmt.Sprintf("client%d", i+1) }

// renameClients adapts a schedule to the removal of client i: switches
// naming it go, the later clients' tasks take the name of the one before.
func renameClients(s Schedule, i int) Schedule {
	gone := clientName(i)
	rename := func(r TaskRef) TaskRef {
		if n, ok := strings.CutPrefix(r.Name, "client"); ok {
			if j, err := strconv.Atoi(n); err == nil && clientName(j-1) == r.Name && j-1 > i {
				r.Name = clientName(j - 2)
			}
		}
		return r
	}
	var out Schedule
	for _, sw := range s {
		if sw.At.Task.Name == gone || sw.To.Name == gone {
			continue
		}
		sw.At.Task, sw.To = rename(sw.At.Task), rename(sw.To)
		out = append(out, sw)
	}
	return out
}

// ddmin runs delta debugging over a list the current counterexample
// holds, of length size(): with the list cut into n chunks (n = 2 first),
// it tries keeping each chunk alone, then removing each chunk; it goes on
// from the first candidate kept (with 2 chunks, or n-1), and doubles n when
// none is, until single elements fail to go. with builds the candidate
// keeping the elements marked in keep, and says what it changed.
func (m *minimizer) ddmin(size func() int, with func(keep []bool) (File, string)) {
	n := 2
	for !m.exhausted() {
		l := size()
		if l == 0 {
			return
		}
		n = min(n, l)
		chunk := func(k int, in bool) []bool {
			keep := make([]bool, l)
			for j := range keep {
				keep[j] = (j >= k*l/n && j < (k+1)*l/n) == in
			}
			return keep
		}
		reduced := false
		for k := 0; k < n && !reduced && n > 2; k++ {
			if c, what := with(chunk(k, true)); m.try(what, c) {
				reduced, n = true, 2
			}
		}
		for k := 0; k < n && !reduced; k++ {
			if c, what := with(chunk(k, false)); m.try(what, c) {
				reduced, n = true, max(n-1, 2)
			}
		}
		switch {
		case reduced:
		case n >= l:
			return
		default:
			n = min(2*n, l)
		}
	}
}

// ddminClient runs ddmin over client i's operations.
func (m *minimizer) ddminClient(i int) {
	m.ddmin(func() int {
		if i >= len(m.cur.Program.Clients) {
			return 0
		}
		return len(m.cur.Program.Clients[i])
	}, func(keep []bool) (File, string) {
		c := m.edit()
		ops := c.Program.Clients[i]
		drop := make([]bool, len(keep))
		var gone []string
		for j, k := range keep {
			drop[j] = !k
			if !k {
				gone = append(gone, ops[j].String())
			}
		}
		c.Program.Clients[i] = removeOps(ops, drop)
		return c, fmt.Sprintf("client %d: drop %s", i+1, strings.Join(gone, "; "))
	})
}

// ddminSchedule runs ddmin over the schedule's switches.
func (m *minimizer) ddminSchedule() {
	m.ddmin(func() int { return len(m.cur.Schedule) }, func(keep []bool) (File, string) {
		c := m.edit()
		c.Schedule = nil
		dropped := 0
		for j, sw := range m.cur.Schedule {
			if keep[j] {
				c.Schedule = append(c.Schedule, sw)
			} else {
				dropped++
			}
		}
		return c, fmt.Sprintf("drop %d of %d switches", dropped, len(m.cur.Schedule))
	})
}

// deviceRefs are the device indices an operation uses (not the one it
// creates).
func deviceRefs(o properties.Op) []int {
	var refs []int
	if o.Kind.OnDevice() {
		refs = append(refs, o.Dev)
	}
	if o.Kind.Creates() && o.Parent >= 0 {
		refs = append(refs, o.Parent)
	}
	if o.Kind == properties.OpDevres && o.Ref >= 0 {
		refs = append(refs, o.Ref)
	}
	return refs
}

// dropClosure extends drop to the operations that use a device whose
// creation is dropped, transitively. It returns the extended marks, the
// device slot each operation creates (or -1) and the slots that go.
func dropClosure(ops []properties.Op, drop []bool) ([]bool, []int, map[int]bool) {
	drop = slices.Clone(drop)
	slot := make([]int, len(ops)) // the device each op creates, or -1
	n := 0
	for i, o := range ops {
		slot[i] = -1
		if o.Kind.Creates() {
			slot[i] = n
			n++
		}
	}
	gone := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for i, o := range ops {
			if !drop[i] && slices.ContainsFunc(deviceRefs(o), func(d int) bool { return gone[d] }) {
				drop[i], changed = true, true
			}
			if drop[i] && slot[i] >= 0 && !gone[slot[i]] {
				gone[slot[i]], changed = true, true
			}
		}
	}
	return drop, slot, gone
}

// removeOps removes the operations marked in drop from a client's ops,
// together with every operation that uses a device whose creation goes,
// and renumbers the remaining devices in creation order.
func removeOps(ops []properties.Op, drop []bool) []properties.Op {
	drop, slot, gone := dropClosure(ops, drop)
	renumber := func(d int) int {
		if d < 0 {
			return d
		}
		shift := 0
		for g := range gone {
			if g < d {
				shift++
			}
		}
		return d - shift
	}
	var out []properties.Op
	for i, o := range ops {
		if drop[i] {
			continue
		}
		switch {
		case o.Kind.Creates():
			o.Dev = renumber(slot[i])
			o.Parent = renumber(o.Parent)
		case o.Kind.OnDevice():
			o.Dev = renumber(o.Dev)
			if o.Kind == properties.OpDevres {
				o.Ref = renumber(o.Ref)
			}
		}
		out = append(out, o)
	}
	return out
}

// faults tries the program without each fault-plan entry, then each entry
// at a lower hit, the lowest first.
func (m *minimizer) faults() {
	for i := 0; i < len(m.cur.Program.Faults) && !m.exhausted(); {
		c := m.edit()
		c.Program.Faults = slices.Delete(c.Program.Faults, i, i+1)
		if !m.try(fmt.Sprintf("drop fault %s hit %d", m.cur.Program.Faults[i].Point, m.cur.Program.Faults[i].Nth), c) {
			i++
		}
	}
	for i := 0; i < len(m.cur.Program.Faults); i++ {
		for nth := 1; nth < m.cur.Program.Faults[i].Nth && !m.exhausted(); nth++ {
			c := m.edit()
			c.Program.Faults[i].Nth = nth
			if m.try(fmt.Sprintf("fault %s hit %d", c.Program.Faults[i].Point, nth), c) {
				break
			}
		}
	}
}

// drivers tries the program without each driver, and without the
// operations and module entries that name it.
func (m *minimizer) drivers() {
	for i := 0; i < len(m.cur.Program.Drivers) && !m.exhausted(); {
		name := m.cur.Program.Drivers[i].Name
		c := m.edit()
		p := &c.Program
		p.Drivers = slices.Delete(p.Drivers, i, i+1)
		for j := range p.Modules {
			p.Modules[j].Drivers = slices.DeleteFunc(p.Modules[j].Drivers, func(d string) bool { return d == name })
		}
		dropOps(p, func(o properties.Op) bool { return namesDriver(o) && o.Driver == name })
		if !m.try("drop driver "+name, c) {
			i++
		}
	}
}

// dropOps removes from every client of p the operations for which drop
// holds.
func dropOps(p *properties.Program, drop func(properties.Op) bool) {
	for j, ops := range p.Clients {
		flags := make([]bool, len(ops))
		for k, o := range ops {
			flags[k] = drop(o)
		}
		p.Clients[j] = removeOps(ops, flags)
	}
}

// namesDriver reports whether an operation's Driver names a program
// driver (LookupSetOverride's is an override string).
func namesDriver(o properties.Op) bool {
	switch o.Kind {
	case properties.OpBind, properties.OpLookupBind, properties.OpDriverRegister, properties.OpDriverUnregister:
		return true
	}
	return false
}

// modules tries the program without each module (and its loads and
// unloads; its drivers are then registered by nobody unless an operation
// does), without each driver of a module, and with each module
// synchronous.
func (m *minimizer) modules() {
	for i := 0; i < len(m.cur.Program.Modules) && !m.exhausted(); {
		name := m.cur.Program.Modules[i].Name
		c := m.edit()
		p := &c.Program
		p.Modules = slices.Delete(p.Modules, i, i+1)
		for j := range p.Drivers {
			if p.Drivers[j].Module == name {
				p.Drivers[j].Module = ""
			}
		}
		dropOps(p, func(o properties.Op) bool {
			return (o.Kind == properties.OpModuleLoad || o.Kind == properties.OpModuleUnload) && o.Module == name
		})
		if !m.try("drop module "+name, c) {
			i++
		}
	}
	for i := 0; i < len(m.cur.Program.Modules); i++ {
		for j := 0; j < len(m.cur.Program.Modules[i].Drivers) && !m.exhausted(); {
			mod := m.cur.Program.Modules[i]
			c := m.edit()
			c.Program.Modules[i].Drivers = slices.Delete(c.Program.Modules[i].Drivers, j, j+1)
			if !m.try(fmt.Sprintf("module %s: drop driver %s", mod.Name, mod.Drivers[j]), c) {
				j++
			}
		}
		if m.cur.Program.Modules[i].AsyncProbe {
			c := m.edit()
			c.Program.Modules[i].AsyncProbe = false
			m.try(fmt.Sprintf("module %s sync", m.cur.Program.Modules[i].Name), c)
		}
	}
}

// moveSwitches moves each switch to its task's next arrival at its point
// while that keeps the failure.
func (m *minimizer) moveSwitches() {
	for i := 0; i < len(m.cur.Schedule) && !m.exhausted(); i++ {
		for !m.exhausted() {
			sw := m.cur.Schedule[i]
			if sw.At.Point == pointStart {
				break
			}
			c := m.edit()
			c.Schedule[i].At.Seen++
			if !m.try(fmt.Sprintf("move %s to #%d", sw, sw.At.Seen+1), c) || i >= len(m.cur.Schedule) ||
				m.cur.Schedule[i].At != c.Schedule[i].At {
				break // refused, or taken by no run and dropped
			}
		}
	}
}

// options tries the run without each stress mode, MaxPending and MaxSteps.
func (m *minimizer) options() {
	type knob struct {
		what string
		on   func(File) bool
		off  func(*File)
	}
	var knobs []knob
	for _, mode := range properties.StressModes {
		knobs = append(knobs, knob{mode.Name,
			func(f File) bool { return *mode.Field(&f.Options) },
			func(f *File) { *mode.Field(&f.Options) = false }})
	}
	knobs = append(knobs,
		knob{"max-pending", func(f File) bool { return f.Program.MaxPending != 0 }, func(f *File) { f.Program.MaxPending = 0 }},
		knob{"max-steps", func(f File) bool { return f.Options.MaxSteps != 0 }, func(f *File) { f.Options.MaxSteps = 0 }})
	for _, k := range knobs {
		if k.on(m.cur) && !m.exhausted() {
			c := m.edit()
			k.off(&c)
			m.try("clear "+k.what, c)
		}
	}
}

// scripts simplifies each driver's tables: drops match entries, probe
// scripts (a name without one probes ok with no action), probe actions
// one at a time, makes results ok, and drops remove scripts or their
// gate or devres use.
func (m *minimizer) scripts() {
	for i := 0; i < len(m.cur.Program.Drivers) && !m.exhausted(); i++ {
		d := func() properties.Driver { return m.cur.Program.Drivers[i] }
		for _, dev := range slices.Sorted(maps.Keys(d().Match)) {
			c := m.edit()
			delete(c.Program.Drivers[i].Match, dev)
			m.try(fmt.Sprintf("driver %s: no match %s", d().Name, dev), c)
		}
		for _, dev := range slices.Sorted(maps.Keys(d().Probe)) {
			c := m.edit()
			delete(c.Program.Drivers[i].Probe, dev)
			if m.try(fmt.Sprintf("driver %s: no probe script for %s", d().Name, dev), c) {
				continue
			}
			for j := 0; j < len(d().Probe[dev].Actions) && !m.exhausted(); {
				c := m.edit()
				pr := c.Program.Drivers[i].Probe[dev]
				a := pr.Actions[j]
				pr.Actions = slices.Delete(pr.Actions, j, j+1)
				c.Program.Drivers[i].Probe[dev] = pr
				if !m.try(fmt.Sprintf("driver %s: probe %s without %s", d().Name, dev, a), c) {
					j++
				}
			}
			if d().Probe[dev].Result != properties.ProbeOK {
				c := m.edit()
				pr := c.Program.Drivers[i].Probe[dev]
				pr.Result, pr.Until = properties.ProbeOK, ""
				c.Program.Drivers[i].Probe[dev] = pr
				m.try(fmt.Sprintf("driver %s: probe %s ok", d().Name, dev), c)
			}
		}
		for _, dev := range slices.Sorted(maps.Keys(d().Remove)) {
			c := m.edit()
			delete(c.Program.Drivers[i].Remove, dev)
			if m.try(fmt.Sprintf("driver %s: no remove script for %s", d().Name, dev), c) {
				continue
			}
			if d().Remove[dev].Gate != "" {
				c := m.edit()
				r := c.Program.Drivers[i].Remove[dev]
				r.Gate = ""
				c.Program.Drivers[i].Remove[dev] = r
				m.try(fmt.Sprintf("driver %s: remove %s without wait", d().Name, dev), c)
			}
			if d().Remove[dev].UseDevres {
				c := m.edit()
				r := c.Program.Drivers[i].Remove[dev]
				r.UseDevres = false
				c.Program.Drivers[i].Remove[dev] = r
				m.try(fmt.Sprintf("driver %s: remove %s without devres", d().Name, dev), c)
			}
		}
	}
}

// cloneFile copies f deeply: a candidate's edits leave f alone.
func cloneFile(f File) File {
	p := f.Program
	p.Drivers = slices.Clone(p.Drivers)
	for i, d := range p.Drivers {
		d.Match = cloneMap(d.Match)
		d.Probe = cloneMap(d.Probe)
		for k, pr := range d.Probe {
			pr.Actions = slices.Clone(pr.Actions)
			d.Probe[k] = pr
		}
		d.Remove = cloneMap(d.Remove)
		p.Drivers[i] = d
	}
	p.Modules = slices.Clone(p.Modules)
	for i := range p.Modules {
		p.Modules[i].Drivers = slices.Clone(p.Modules[i].Drivers)
	}
	p.Clients = slices.Clone(p.Clients)
	for i := range p.Clients {
		p.Clients[i] = slices.Clone(p.Clients[i])
	}
	p.Faults = slices.Clone(p.Faults)
	f.Program = p
	f.Schedule = slices.Clone(f.Schedule)
	return f
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
