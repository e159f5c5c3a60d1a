package properties

import (
	"fmt"
	"strings"

	"github.com/devstress/devstress/model"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// ExecuteSequential checks the implementation against the reference model
// operation by operation (the model's operation level, spec §14.7): the
// program's first client runs alone, and after each operation the core
// drains its async work in the model's order (pending entries by cookie,
// each to completion, then the deferred worker, until quiescent). Every
// result the client sees must equal the model's, and so must the state
// after every operation. All the checks of Execute apply as well.
func ExecuteSequential(p Program, opt Options) *Verdict {
	if len(p.Clients) == 0 {
		p.Clients = [][]Op{nil}
	}
	p.Clients = p.Clients[:1]
	d := &drain{}
	v, w := runControlled(p, d, opt, func(w *world, c *sched.Controlled) {
		w.boundary = true
		d.c, d.w = c, w
	})
	v.Executor = Sequential
	if v.Failure == nil {
		v.Failure = compareWithModel(p, opt, w)
	}
	return v
}

// compareWithModel runs the client's operations on the model and compares
// each result and the state after each operation with the implementation's.
func compareWithModel(p Program, opt Options, w *world) *Failure {
	mb := &modelBackend{s: newModel(p, opt)}
	mc := &client{b: mb, sh: newShared(noLock{}), driverModule: driverModules(p)}
	impl := w.clients[0]
	for i, o := range p.Clients[0] {
		got := mc.do(o)
		if mb.stopped != "" {
			return nil // the model cannot follow further; nothing left to compare
		}
		if i >= len(impl.results) {
			return &Failure{Invariant: InvResultMismatch,
				Msg: fmt.Sprintf("op %d (%s): the model runs it, the implementation never returned", i+1, o)}
		}
		if got != impl.results[i] {
			return &Failure{Invariant: InvResultMismatch,
				Msg: fmt.Sprintf("op %d (%s): implementation %s, model %s", i+1, o, impl.results[i], got)}
		}
		if i < len(w.snapshots) {
			if diff := diffSnapshots(w.snapshots[i], mb.s.Snapshot()); diff != "" {
				return &Failure{Invariant: InvStateMismatch,
					Msg: fmt.Sprintf("after op %d (%s): %s", i+1, o, diff)}
			}
		}
	}
	return nil
}

// diffSnapshots names the first difference between the implementation's
// state and the model's, "" when they are equal. The two snapshot types
// have the same fields, so their %+v renderings compare line by line.
func diffSnapshots(impl sut.Snapshot, mod model.Snapshot) string {
	a, b := snapshotLines(impl.Devices, impl.Drivers, impl.Pending, impl.Active, impl.TriggerCount, impl.ProbeCount, impl.DeferAll, impl.Modules),
		snapshotLines(mod.Devices, mod.Drivers, mod.Pending, mod.Active, mod.TriggerCount, mod.ProbeCount, mod.DeferAll, mod.Modules)
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("implementation %s; model %s", orNone(x), orNone(y))
		}
	}
	return ""
}

func snapshotLines[D, R any](devices []D, drivers []R, pending, active []string, trigger, probe int, deferAll bool, modules []string) []string {
	var lines []string
	for _, d := range devices {
		lines = append(lines, fmt.Sprintf("device %+v", d))
	}
	for _, d := range drivers {
		lines = append(lines, fmt.Sprintf("driver %+v", d))
	}
	return append(lines,
		"pending ["+strings.Join(pending, " ")+"]",
		"active ["+strings.Join(active, " ")+"]",
		fmt.Sprintf("triggerCount %d", trigger),
		fmt.Sprintf("probeCount %d", probe),
		fmt.Sprintf("deferAll %v", deferAll),
		"modules ["+strings.Join(modules, " ")+"]")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// drain is the strategy of the sequential property: it keeps the client
// running through an operation and, at each operation boundary or when the
// client blocks, runs the core's other tasks in the model's order: async
// entries by cookie (their tasks are spawned in cookie order), then the
// client if it is inside an operation, then the deferred worker, then
// delayed releases and teardown. Faults come from the fault plan around
// it.
type drain struct {
	c          *sched.Controlled
	w          *world
	atBoundary bool
}

// Drain rank: lower runs first.
const (
	rankEntry = iota
	rankClientInOp
	rankWorker
	rankRelease
	rankTeardown
	rankClientAtBoundary
)

func (d *drain) Choose(ch sched.Choice) (int, error) {
	client := d.w.ids[0]
	if ch.Current == client {
		d.atBoundary = ch.Point == "op-boundary"
		if ch.Preemptive && !d.atBoundary {
			return 0, nil
		}
	} else if ch.Preemptive {
		return 0, nil // every other task runs to its end or its block
	}
	best, bestRank := 0, -1
	for i, id := range ch.Candidates {
		r := d.rank(id)
		if bestRank < 0 || r < bestRank || (r == bestRank && id < ch.Candidates[best]) {
			best, bestRank = i, r
		}
	}
	return best, nil
}

func (d *drain) rank(id sched.TaskID) int {
	if id == d.w.ids[0] {
		if d.atBoundary {
			return rankClientAtBoundary
		}
		return rankClientInOp
	}
	name := d.c.Trace().Tasks[id-1].Name
	switch {
	case name == "deferred-worker":
		return rankWorker
	case strings.HasPrefix(name, "release "):
		return rankRelease
	case name == "teardown":
		return rankTeardown
	}
	return rankEntry
}

func (d *drain) Decide(string, int) (int, error) { return 0, nil }

// ChoosesLocally and DecidesLocally: the drain draws nothing.
func (d *drain) ChoosesLocally(sched.Choice) bool { return true }
func (d *drain) DecidesLocally(string, int) bool  { return true }
