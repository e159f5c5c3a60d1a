package shrink

import (
	"slices"
	"strconv"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// analysis is what the reports (Report, HTML) show of one replay: which
// tasks, drivers and devices took part, which trace records tell the
// story, and each device's reference count over time. It is computed once
// from the verdict and serves both renderings.
type analysis struct {
	// records are the trace's records up to the violation's step (all of
	// them when the run passed or the step is not known); cut counts the
	// records after it.
	records []sched.Record
	cut     int
	// major says, for each of records, whether the lanes show it: a
	// notable record of a task with a lane, or the fail record.
	major []bool
	// lanes are the tasks with a notable record besides their runs and
	// exit, in the trace's order; left are the others.
	lanes []sched.TaskInfo
	left  []sched.TaskInfo
	// fail is the index in records of the runtime's fail record, -1 when
	// the violation has none (a check at quiescence, or the model's).
	fail int
	// program is the file's program with only the drivers that took part:
	// named by an operation or by an event of the trace.
	program properties.Program
	// devices are the devices the trace created, in creation order.
	devices []deviceHistory
}

// deviceHistory is one device's reference count over the run.
type deviceHistory struct {
	handle string
	// points are the count's values: the creation, then every get and put.
	points []refPoint
	// holders are the labels held at the end (at the violation).
	holders []string
	// released and freed are the steps of the release and of the free of
	// the device object, -1 when they did not happen.
	released, freed int
}

// refPoint is one value of a reference count: set at step by task's
// op ("new", "get", "put") of the holder label.
type refPoint struct {
	step  int
	task  sched.TaskID
	op    string
	label string
	count int
}

// stepKnown reports whether f is a failure with a step: the oracles that
// judge a run after it ended (a leaked goroutine, the model's comparison
// of results, a hang) leave it 0.
func stepKnown(f *properties.Failure) bool { return f != nil && f.Step > 0 }

// violationStep is the step of f as the reports write it: its number, or
// "end" when it is not known.
func violationStep(f *properties.Failure) string {
	if !stepKnown(f) {
		return "end"
	}
	return strconv.Itoa(f.Step)
}

// count is the device's reference count at the end (at the violation).
func (d deviceHistory) count() int { return d.points[len(d.points)-1].count }

// analyze analyses v, the replay of f.
func analyze(f File, v *properties.Verdict) analysis {
	a := analysis{fail: -1}
	var trace sched.Trace
	if v.Trace != nil {
		trace = *v.Trace
	}
	a.records = trace.Records
	if stepKnown(v.Failure) {
		n := len(a.records)
		for n > 0 && a.records[n-1].Step > v.Failure.Step {
			n--
		}
		a.records, a.cut = a.records[:n], len(a.records)-n
	}
	for i, r := range a.records {
		if r.Kind == sched.KindFail {
			a.fail = i
		}
	}
	a.major = notable(a.records)
	a.lanes, a.left = lanes(trace.Tasks, a.records, a.major)
	inLane := map[sched.TaskID]bool{}
	for _, t := range a.lanes {
		inLane[t.ID] = true
	}
	for i, r := range a.records {
		switch r.Kind {
		case sched.KindFail:
		case sched.KindSpawn:
			a.major[i] = inLane[r.Task] && inLane[sched.TaskID(r.Value)]
		default:
			a.major[i] = a.major[i] && inLane[r.Task]
		}
	}
	a.program = f.Program
	a.program.Drivers = takingPart(f.Program, a.records)
	a.devices = devices(a.records)
	return a
}

// lanes splits tasks into those with a notable record other than a run
// or an exit (spawns do not count), and the others.
func lanes(tasks []sched.TaskInfo, records []sched.Record, notable []bool) (shown, left []sched.TaskInfo) {
	busy := map[sched.TaskID]bool{}
	for i, r := range records {
		switch r.Kind {
		case sched.KindSpawn, sched.KindRun, sched.KindExit:
		default:
			busy[r.Task] = busy[r.Task] || notable[i]
		}
	}
	for _, t := range tasks {
		if busy[t.ID] {
			shown = append(shown, t)
		} else {
			left = append(left, t)
		}
	}
	return shown, left
}

// notable says which records tell the story, whichever task made them.
// The details are: a run that preempts nothing (the lane changes anyway);
// counter updates; a decision that took the default answer 0 (no fault);
// a yield point where no preemption followed; a lock taken and released
// by the same task within one step, which no other task can observe; and
// the core's own lock events, which repeat the runtime's lock records of
// its "dev:" mutexes. Spawns are notable here; analyze keeps only those
// of a task with a lane by a task with a lane.
func notable(records []sched.Record) []bool {
	major := make([]bool, len(records))
	for i, r := range records {
		switch {
		case r.Kind == sched.KindRun:
			major[i] = r.Value == 1
		case r.Kind == sched.KindAdd:
		case r.Kind == sched.KindDecide:
			major[i] = r.Value != 0
		case r.Kind == sched.KindYield:
			major[i] = i+1 < len(records) && records[i+1].Kind == sched.KindRun && records[i+1].Value == 1
		case r.Kind == sched.KindLock, r.Kind == sched.KindUnlock:
			major[i] = !lockedWithinStep(records, i)
		case r.Kind == sched.KindEvent && (event(r).Kind == sut.EvLock || event(r).Kind == sut.EvUnlock):
		default:
			major[i] = true
		}
	}
	return major
}

// lockedWithinStep reports whether records[i], a lock or an unlock, is
// half of a pair of the same task on the same mutex within one step.
func lockedWithinStep(records []sched.Record, i int) bool {
	r := records[i]
	want, dir := sched.KindUnlock, 1
	if r.Kind == sched.KindUnlock {
		want, dir = sched.KindLock, -1
	}
	for j := i + dir; j >= 0 && j < len(records) && records[j].Step == r.Step; j += dir {
		o := records[j]
		if o.Task == r.Task && o.Name == r.Name && (o.Kind == sched.KindLock || o.Kind == sched.KindUnlock) {
			return o.Kind == want
		}
	}
	return false
}

// event returns the core's event of a KindEvent record.
func event(r sched.Record) sut.Event {
	ev, _ := r.Event.(sut.Event)
	return ev
}

// takingPart returns p's drivers that an operation or an event names, in
// p's order.
func takingPart(p properties.Program, records []sched.Record) []properties.Driver {
	named := map[string]bool{}
	for _, ops := range p.Clients {
		for _, op := range ops {
			named[op.Driver] = true
		}
	}
	for _, r := range records {
		if r.Kind == sched.KindEvent {
			named[event(r).Driver] = true
		}
	}
	var ds []properties.Driver
	for _, d := range p.Drivers {
		if named[d.Name] {
			ds = append(ds, d)
		}
	}
	return ds
}

// devices follows each device the records create through its gets, puts,
// relabels, release and free.
func devices(records []sched.Record) []deviceHistory {
	var hs []deviceHistory
	at := map[string]int{}
	for _, r := range records {
		if r.Kind != sched.KindEvent {
			continue
		}
		ev := event(r)
		if ev.Kind == sut.EvNewDevice {
			at[ev.Device] = len(hs)
			hs = append(hs, deviceHistory{handle: ev.Device, released: -1, freed: -1, holders: []string{"Owner"},
				points: []refPoint{{step: r.Step, task: ev.Task, op: "new", label: "Owner", count: 1}}})
			continue
		}
		if ev.Kind == sut.EvFree && ev.Object != sut.ObjDevice {
			continue // the device's private part, devres, ...: not the device
		}
		i, ok := at[ev.Device]
		if !ok {
			continue
		}
		h := &hs[i]
		switch ev.Kind {
		case sut.EvGet:
			h.holders = append(h.holders, ev.Label)
			h.points = append(h.points, refPoint{step: r.Step, task: ev.Task, op: "get", label: ev.Label, count: ev.Count})
		case sut.EvPut:
			if j := slices.Index(h.holders, ev.Label); j >= 0 {
				h.holders = slices.Delete(h.holders, j, j+1)
			}
			h.points = append(h.points, refPoint{step: r.Step, task: ev.Task, op: "put", label: ev.Label, count: ev.Count})
		case sut.EvRelabel:
			if j := slices.Index(h.holders, ev.Label); j >= 0 {
				h.holders[j] = ev.To
			}
		case sut.EvRelease:
			h.released = r.Step
		case sut.EvFree:
			h.freed = r.Step
		}
	}
	return hs
}
