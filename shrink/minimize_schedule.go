package shrink

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// run is what Minimize learns from one replay of a candidate: the
// verdict, the switches the run never took, and the preemptive choices it
// met, where a switch could have run another task.
type run struct {
	v       *properties.Verdict
	unused  Schedule
	choices []choicePoint
}

// choicePoint is a choice of a run where another task could have run: its
// Key, and the tasks that were runnable there besides the one that
// continued, by increasing id. A free one (at the start, after a block or
// an exit) is no preemption.
type choicePoint struct {
	at     Key
	others []TaskRef
	free   bool
}

// preemptive is cps without its free choices.
func preemptive(cps []choicePoint) []choicePoint {
	return slices.DeleteFunc(slices.Clone(cps), func(cp choicePoint) bool { return cp.free })
}

// tracer is a Schedule's Replayer that also notes the run's preemptive
// choices, keyed as the Replayer keys them.
type tracer struct {
	*Replayer
	keys    keyer
	choices []choicePoint
}

// Choose implements sched.Strategy.
func (t *tracer) Choose(c sched.Choice) (int, error) {
	k := t.keys.key(c)
	if len(c.Candidates) > 1 {
		cp := choicePoint{at: k, free: !c.Preemptive}
		for _, id := range c.Candidates[1:] {
			cp.others = append(cp.others, t.keys.ref(c, id))
		}
		t.choices = append(t.choices, cp)
	}
	return t.Replayer.Choose(c)
}

// replayTraced replays f as replay does, noting its preemptive choices.
func replayTraced(f File) run {
	if f.Sequential {
		v, unused := replay(f)
		return run{v: v, unused: unused}
	}
	t := &tracer{Replayer: f.Schedule.Strategy()}
	v := properties.Execute(f.Program, t, f.Options)
	return run{v: v, unused: t.Unused(f.Schedule), choices: t.choices}
}

// The schedule passes lower the preemptions of the current counterexample
// where deleting switches cannot: they search for another schedule, for
// the current program or for an edited one. A candidate schedule is built
// from a baseline run, the program under the schedule's free switches
// alone (none preemptive): every preemptive choice that run meets is a
// place where one switch can run another task, and a schedule of the
// free switches and that one switch replays the baseline up to it, so the
// switch is taken. The candidates come in a canonical order (see
// singleSwitches) and each search is capped, so that the result depends on
// the input and the budget only.

const (
	// rescheduleCap bounds the single-switch schedules tried for the
	// current program in one re-schedule pass.
	rescheduleCap = 192
	// editScheduleCap bounds the schedules tried for one edited program
	// (its baseline run included) in the edit-then-re-schedule pass.
	editScheduleCap = 10
	// editPairCap bounds the two-switch schedules tried for one edited
	// program, when the current schedule has three or more preemptions.
	editPairCap = 128
	// editFreePairCap bounds the schedules of a free switch and a
	// preemption tried for one edited program, when the current schedule
	// has two or more preemptions.
	editFreePairCap = 12
	// editDeletionPairCap bounds the two-switch schedules tried for one
	// deletion, when the current schedule has two or more preemptions.
	editDeletionPairCap = 48
	// pairSeconds bounds the second switches tried after one first
	// switch in a two-switch search.
	pairSeconds = 6
)

// schedules runs the schedule passes once, in this order, and reports
// whether one of them kept a candidate: re-schedule, retarget, then edit
// and re-schedule.
func (m *minimizer) schedules() bool {
	before := m.stats.Accepted
	m.reschedule()
	m.retarget()
	m.editReschedule()
	return m.stats.Accepted > before
}

// preemptions counts the preemptive switches of a schedule.
func preemptions(s Schedule) int {
	n := 0
	for _, sw := range s {
		if sw.Preemptive() {
			n++
		}
	}
	return n
}

// free is s without its preemptive switches.
func free(s Schedule) Schedule {
	var out Schedule
	for _, sw := range s {
		if !sw.Preemptive() {
			out = append(out, sw)
		}
	}
	return out
}

// baseline replays c under the free switches of its schedule alone, as a
// candidate (it is kept when it fails with the invariant: it has no
// preemption). It returns the run's preemptive choices, and false when the
// budget is spent or the candidate was kept. Baselines are remembered by
// text, so a program's baseline is replayed once.
func (m *minimizer) baseline(what string, c File) ([]choicePoint, bool) {
	c.Schedule = free(c.Schedule)
	text, err := m.key(c)
	if err != nil {
		m.stats.Invalid++
		return nil, false
	}
	if cps, ok := m.baselines[text]; ok {
		return cps, true
	}
	if m.exhausted() {
		return nil, false
	}
	g, err := Parse(strings.NewReader(text))
	if err != nil {
		m.stats.Invalid++
		return nil, false
	}
	m.replayed[text] = true
	m.stats.Tried++
	r := m.cfg.replay(g)
	if r.v.Failure != nil && r.v.Failure.Invariant == m.want {
		m.accept(what+" without preemptions", g, r)
		return nil, false
	}
	m.baselines[text] = r.choices
	return r.choices, true
}

// singleSwitches lists the switches one can add to a baseline run's
// schedule: each preemptive choice the run met, with each task that could
// have run there instead. They come in a canonical order, which ranks a
// choice by its likeness to the switches of ref (the schedule being
// replaced): first the choices of a task at a point some switch of ref
// names (the same task and point, at any arrival), then those at a point
// some switch names (for any task), then the choices of clients, then
// the rest, each in the order the run met them. At a choice the target of
// a switch of ref like it comes first, then the clients, then the other
// tasks, each in spawn order.
func singleSwitches(cps []choicePoint, ref Schedule) []Switch {
	type ranked struct {
		rank int
		sw   Switch
	}
	var out []ranked
	for _, cp := range preemptive(cps) {
		rank := 3
		var likeTo []TaskRef
		for _, sw := range ref {
			if !sw.Preemptive() {
				continue
			}
			switch {
			case sw.At.Task == cp.at.Task && sw.At.Point == cp.at.Point:
				rank = 0
				likeTo = append(likeTo, sw.To)
			case sw.At.Point == cp.at.Point:
				rank = min(rank, 1)
				likeTo = append(likeTo, sw.To)
			}
		}
		if rank == 3 && isClient(cp.at.Task) {
			rank = 2
		}
		targets := slices.Clone(cp.others)
		slices.SortStableFunc(targets, func(a, b TaskRef) int {
			return cmp.Compare(targetRank(a, likeTo), targetRank(b, likeTo))
		})
		for _, t := range targets {
			out = append(out, ranked{rank, Switch{At: cp.at, To: t}})
		}
	}
	slices.SortStableFunc(out, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	sws := make([]Switch, len(out))
	for i, r := range out {
		sws[i] = r.sw
	}
	return sws
}

// targetRank orders the tasks a switch may run: those of like first, then
// clients, then the others.
func targetRank(t TaskRef, like []TaskRef) int {
	switch {
	case slices.Contains(like, t):
		return 0
	case isClient(t):
		return 1
	}
	return 2
}

// isClient reports whether a task is one of the program's clients.
func isClient(t TaskRef) bool {
	n, ok := strings.CutPrefix(t.Name, "client")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(n)
	return err == nil && clientName(i-1) == t.Name
}

// searchSchedules tries program c under its free switches plus each
// switch of singleSwitches in turn, and then, when c has free switches,
// under that switch alone, up to limit candidates (its baseline
// included), and keeps the first that fails with the invariant. ref is
// the schedule being replaced, which ranks the switches. It reports
// whether a candidate was kept.
func (m *minimizer) searchSchedules(what string, c File, ref Schedule, limit int) bool {
	before := m.stats.Accepted
	cps, ok := m.baseline(what, c)
	if !ok {
		return m.stats.Accepted > before
	}
	base := free(c.Schedule)
	left := limit - 1
	for _, sw := range singleSwitches(cps, ref) {
		scheds := []Schedule{append(slices.Clone(base), sw)}
		if len(base) > 0 {
			scheds = append(scheds, Schedule{sw})
		}
		for _, s := range scheds {
			if left <= 0 || m.exhausted() {
				return false
			}
			left--
			g := cloneFile(c)
			g.Schedule = s
			if m.try(fmt.Sprintf("%s, schedule %s", what, sw), g) {
				return true
			}
		}
	}
	return false
}

// searchPairs tries program c under its free switches plus two switches,
// up to limit candidates, and keeps the first that fails with the
// invariant: each first switch of firstSwitches of the baseline run (a
// free one, and with both a preemptive one too; that schedule replayed
// when no search replayed it yet), then each of the first pairSeconds
// preemptive switches of singleSwitches at the choices the run under the
// first met after it. A free first switch replaces a free switch of c at
// the same choice. ref ranks the switches as in searchSchedules. It
// reports whether a candidate was kept.
func (m *minimizer) searchPairs(what string, c File, ref Schedule, limit int, both bool) bool {
	before := m.stats.Accepted
	cps, ok := m.baseline(what, c)
	if !ok {
		return m.stats.Accepted > before
	}
	base := free(c.Schedule)
	left := limit
	for _, sw1 := range firstSwitches(cps, ref, both) {
		g := cloneFile(c)
		g.Schedule = append(slices.DeleteFunc(slices.Clone(base), func(s Switch) bool { return s.At == sw1.At }), sw1)
		text, err := m.key(g)
		if err != nil {
			continue
		}
		after, ok := m.traces[text]
		if !ok {
			if left <= 0 || m.exhausted() {
				return false
			}
			left--
			if m.try(fmt.Sprintf("%s, schedule %s", what, sw1), g) {
				return true
			}
			if after, ok = m.traces[text]; !ok {
				continue // not replayed (refused, or replayed before)
			}
		}
		k := slices.IndexFunc(after, func(cp choicePoint) bool { return cp.at == sw1.At })
		if k < 0 {
			continue // the switch was not taken
		}
		for n, sw2 := range singleSwitches(after[k+1:], ref) {
			if n == pairSeconds {
				break
			}
			if left <= 0 || m.exhausted() {
				return false
			}
			left--
			h := cloneFile(c)
			h.Schedule = append(slices.Clone(g.Schedule), sw2)
			if m.try(fmt.Sprintf("%s, schedule %s, %s", what, sw1, sw2), h) {
				return true
			}
		}
	}
	return false
}

// firstSwitches lists the first switches of searchPairs: those of
// singleSwitches at the first arrival of their task at their point (the
// same switch at a later arrival comes only as a second switch), those at
// a yield point of the core (Y-...) before those at a lock or another
// point, each in singleSwitches' order. A pair's first switch is there to
// let another task run before the one that races (an override set before
// a match, say), so that the second can make the race.
func firstSwitches(cps []choicePoint, ref Schedule, both bool) []Switch {
	var frees []Switch
	for _, cp := range cps {
		if cp.free {
			for _, t := range cp.others {
				frees = append(frees, Switch{At: cp.at, To: t})
			}
		}
	}
	if !both {
		return frees
	}
	type at struct {
		task  TaskRef
		point string
		to    TaskRef
	}
	seen := map[at]bool{}
	var out []Switch
	for _, sw := range singleSwitches(cps, ref) {
		k := at{sw.At.Task, sw.At.Point, sw.To}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, sw)
	}
	yield := func(sw Switch) int {
		if strings.HasPrefix(sw.At.Point, "Y-") {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b Switch) int { return cmp.Compare(yield(a), yield(b)) })
	return append(frees, out...)
}

// reschedule searches, for the current program, a schedule of one
// preemption when the current one has two or more (searchSchedules,
// capped at rescheduleCap candidates).
func (m *minimizer) reschedule() {
	if preemptions(m.cur.Schedule) < 2 || m.exhausted() {
		return
	}
	if m.searchSchedules("re-schedule", m.edit(), m.cur.Schedule, rescheduleCap) {
		return
	}
	// Then without the free switches, when there are some.
	if len(free(m.cur.Schedule)) > 0 {
		c := m.edit()
		c.Schedule = nil
		if m.searchSchedules("re-schedule without free switches", c, m.cur.Schedule, rescheduleCap) {
			return
		}
	}
	// Then with another client first: a free switch at the start.
	for k := 1; k < len(m.cur.Program.Clients) && !m.exhausted(); k++ {
		c := m.edit()
		c.Schedule = slices.DeleteFunc(c.Schedule, func(sw Switch) bool { return sw.At.Point == pointStart })
		to := TaskRef{Name: clientName(k), Nth: 1}
		c.Schedule = append(Schedule{{At: Key{Point: pointStart, Seen: 1}, To: to}}, c.Schedule...)
		if m.searchSchedules(fmt.Sprintf("re-schedule from %s", to), c, m.cur.Schedule, rescheduleCap) {
			return
		}
	}
	// Then a free switch and a preemption, or, with three or more, two
	// preemptions.
	m.searchPairs("re-schedule", m.edit(), m.cur.Schedule, rescheduleCap, preemptions(m.cur.Schedule) >= 3)
}

// retarget tries each preemptive switch with another target, one that was
// runnable at its choice in the current run, without one of the other
// preemptive switches: two switches become one that runs another task.
func (m *minimizer) retarget() {
	for i := 0; i < len(m.cur.Schedule) && !m.exhausted(); i++ {
		if m.retargetOne(i) {
			i = -1 // the schedule changed: start again
		}
	}
}

// retargetOne tries switch i of the current schedule as retarget does,
// and reports whether a candidate was kept.
func (m *minimizer) retargetOne(i int) bool {
	cur := m.cur.Schedule
	sw := cur[i]
	if !sw.Preemptive() || preemptions(cur) < 2 {
		return false
	}
	k := slices.IndexFunc(m.curRun.choices, func(cp choicePoint) bool { return cp.at == sw.At })
	if k < 0 {
		return false
	}
	for _, to := range m.curRun.choices[k].others {
		for j, other := range cur {
			if to == sw.To || j == i || !other.Preemptive() || m.exhausted() {
				continue
			}
			c := m.edit()
			c.Schedule[i].To = to
			c.Schedule = slices.Delete(c.Schedule, j, j+1)
			if m.try(fmt.Sprintf("retarget %s to %s without %s", sw, to, other), c) {
				return true
			}
		}
	}
	return false
}

// programEdit is an edited program for editReschedule: a copy of the
// current counterexample, its schedule adapted (clients renamed).
type programEdit struct {
	what string
	f    File
	// split is set for a split of a client, searched with two
	// preemptions when the schedule has three or more; deletion for an
	// edit that deletes from the program, searched with two preemptions
	// when the schedule has two or more.
	split, deletion bool
}

// programEdits lists the edits editReschedule tries, in this order: drop
// each client, each operation (with what uses its device), each fault-plan
// entry, each driver (with the operations naming it); and, when the schedule has two or more
// preemptions, split a client: move one of its devices (its creation and
// the operations using it) or one of its operations that uses no device
// to a new last client.
func (m *minimizer) programEdits() []programEdit {
	var out []programEdit
	cl := m.cur.Program.Clients
	for i := range cl {
		c := m.edit()
		c.Program.Clients = slices.Delete(c.Program.Clients, i, i+1)
		c.Schedule = renameClients(c.Schedule, i)
		out = append(out, programEdit{what: fmt.Sprintf("drop client %d", i+1), f: c, deletion: true})
	}
	for i, ops := range cl {
		for j, o := range ops {
			drop := make([]bool, len(ops))
			drop[j] = true
			c := m.edit()
			c.Program.Clients[i] = removeOps(ops, drop)
			out = append(out, programEdit{what: fmt.Sprintf("client %d: drop %s", i+1, o), f: c, deletion: true})
		}
	}
	for k, ft := range m.cur.Program.Faults {
		c := m.edit()
		c.Program.Faults = slices.Delete(c.Program.Faults, k, k+1)
		out = append(out, programEdit{what: fmt.Sprintf("drop fault %s hit %d", ft.Point, ft.Nth), f: c, deletion: true})
	}
	for _, d := range m.cur.Program.Drivers {
		c := m.edit()
		p := &c.Program
		p.Drivers = slices.DeleteFunc(p.Drivers, func(e properties.Driver) bool { return e.Name == d.Name })
		for j := range p.Modules {
			p.Modules[j].Drivers = slices.DeleteFunc(p.Modules[j].Drivers, func(n string) bool { return n == d.Name })
		}
		dropOps(p, func(o properties.Op) bool { return namesDriver(o) && o.Driver == d.Name })
		out = append(out, programEdit{what: "drop driver " + d.Name, f: c, deletion: true})
	}
	if preemptions(m.cur.Schedule) < 2 {
		return out
	}
	for i, ops := range cl {
		for j, o := range ops {
			if !o.Kind.Creates() && len(deviceRefs(o)) > 0 {
				continue // moves with its device
			}
			mark := make([]bool, len(ops))
			mark[j] = true
			group, _, _ := dropClosure(ops, mark)
			rest := make([]bool, len(ops))
			for k := range group {
				rest[k] = !group[k]
			}
			moved, kept := removeOps(ops, rest), removeOps(ops, group)
			if len(kept) == 0 || len(moved) != countTrue(group) {
				continue // nothing left, or an operation of the device uses another
			}
			c := m.edit()
			c.Program.Clients[i] = kept
			c.Program.Clients = append(c.Program.Clients, moved)
			out = append(out, programEdit{what: fmt.Sprintf("move client %d's %s to a new client %d", i+1, o, len(cl)+1), f: c, split: true})
		}
	}
	return append(out, m.moveEdits()...)
}

// moveEdits lists the moves of one operation that creates no device, in
// this order: each operation, client by client, to each other place in
// its own client where the devices it uses are created before it, from
// the first; then each operation that uses none of its client's devices
// (a driver operation, a lookup form) to each place in each other client,
// from the first client and place. The program keeps its operations,
// only their order or their task changes: the interleaving a failure
// needs may then come with fewer preemptions (an override set by the
// task that later matches against it, say, rather than by another task
// the schedule must switch to in between).
func (m *minimizer) moveEdits() []programEdit {
	var out []programEdit
	cl := m.cur.Program.Clients
	for i, ops := range cl {
		at := creations(ops)
		for j, o := range ops {
			if o.Kind.Creates() {
				continue
			}
			first := 0 // the first place after the creations o needs
			for _, d := range deviceRefs(o) {
				if d < len(at) {
					first = max(first, at[d]+1)
				}
			}
			rest := slices.Delete(slices.Clone(ops), j, j+1)
			for k := first; k <= len(rest); k++ {
				if k == j {
					continue // its own place
				}
				c := m.edit()
				c.Program.Clients[i] = slices.Insert(slices.Clone(rest), k, o)
				out = append(out, programEdit{what: fmt.Sprintf("client %d: move %s to place %d", i+1, o, k+1), f: c})
			}
		}
	}
	for i, ops := range cl {
		for j, o := range ops {
			if o.Kind.Creates() || len(deviceRefs(o)) > 0 {
				continue
			}
			for t, dst := range cl {
				if t == i {
					continue
				}
				for k := 0; k <= len(dst); k++ {
					c := m.edit()
					c.Program.Clients[i] = slices.Delete(slices.Clone(ops), j, j+1)
					c.Program.Clients[t] = slices.Insert(slices.Clone(dst), k, o)
					out = append(out, programEdit{what: fmt.Sprintf("move client %d's %s to client %d, place %d", i+1, o, t+1, k+1), f: c})
				}
			}
		}
	}
	return out
}

// countTrue counts the marks set.
func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// editReschedule tries each of programEdits with other schedules, when
// the current schedule has a preemption. Under the current schedule a
// deletion was tried by the deleting passes, and may have lost the
// failure only because the schedule no longer fits the edited program
// (its keys name other arrivals, or the interleaving it needs is
// another). The searches come in four sweeps over the edits, each only
// when the one before kept nothing:
//
//   - each edit under the free switches and one preemption
//     (searchSchedules, at most editScheduleCap candidates per edit);
//   - with three or more preemptions, each split under two preemptions
//     (searchPairs, at most editPairCap candidates per split);
//   - with two or more preemptions, each edit under one free switch the
//     baseline run could take (at the start, after a block or an exit)
//     and one preemption after it (searchPairs without two preemptions,
//     at most editFreePairCap candidates per edit);
//   - with two or more preemptions, each deletion (not a split or a
//     move) under two switches, two preemptions among them (searchPairs,
//     at most editDeletionPairCap candidates per deletion): a fault that
//     made the failure by one path may leave it to another, unfaulted,
//     that needs other switches.
//
// A kept candidate has fewer preemptions than the current file, or one
// and a smaller program, or two, no more than the file has, and a
// smaller program, so it is no larger in any count of Size but its
// clients (a split, tried only when it lowers the preemptions). After a
// kept candidate the edits are listed again, from the first sweep.
func (m *minimizer) editReschedule() {
	for restart := true; restart && !m.exhausted(); {
		restart = false
		p := preemptions(m.cur.Schedule)
		if p == 0 {
			return
		}
		edits := m.programEdits()
		sweeps := []func(programEdit) bool{
			func(e programEdit) bool { return m.searchSchedules(e.what, e.f, e.f.Schedule, editScheduleCap) },
			func(e programEdit) bool {
				return p >= 3 && e.split && m.searchPairs(e.what, e.f, e.f.Schedule, editPairCap, true)
			},
			func(e programEdit) bool {
				return p >= 2 && m.searchPairs(e.what, e.f, e.f.Schedule, editFreePairCap, false)
			},
			func(e programEdit) bool {
				return p >= 2 && e.deletion && m.searchPairs(e.what, e.f, e.f.Schedule, editDeletionPairCap, true)
			},
		}
		for _, sweep := range sweeps {
			for _, e := range edits {
				if m.exhausted() {
					return
				}
				if sweep(e) {
					restart = true
					break
				}
			}
			if restart {
				break
			}
		}
	}
}
