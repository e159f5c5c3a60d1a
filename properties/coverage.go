package properties

import (
	"fmt"
	"sort"
	"strings"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// Reach is what one execution reached, as counts by key. A key is a
// behaviour ("bind", "unbind", "remove", "deferral", "retry", "unload in
// flight", "shared device", "bound child", "gate before registered",
// "empty program") or a
// prefixed item: "op:<kind>" and "skip:<kind>" (operations issued, and
// those whose precondition did not hold), "row:<row>" (outcome-table rows,
// §7.3, as sut.OutcomeRows names them), "path:<path>" (attach paths of the
// probe attempts, see AttachPaths), "fault:<point>" (injected fault points
// hit, §13, with F-ASYNC-FULL for an entry run inline over MaxPending),
// "state:<outcome>" (state outcomes of §13 the clients saw, and §4.1's
// second add), "yield:<point>" and "preempt:<point>" (yield points
// reached, and those a task was preempted at), "event:<kind>" (the core's
// events) and "stress:<mode>" (the core's stress modes and MaxPending).
type Reach map[string]int

// AttachPaths names the paths a probe attempt can come from (§6): A is the
// device side (DeviceAdd, a registration job), A-reprobe the device side
// from Reprobe, A-async the attach job's pass 2, B the driver side
// (DriverRegister, ModuleLoad), B-async the driver attach job, C the
// deferred worker's retry, D a manual Bind. An entry run inline by the
// synchronous fallback counts as the path that scheduled it.
var AttachPaths = []string{"A", "A-reprobe", "A-async", "B", "B-async", "C", "D"}

// Measure returns what the execution of verdict v under options opt
// reached. It reads the program, the clients' results and the trace; a
// verdict without a trace (a run that never started) reaches only its
// operations.
func Measure(v *Verdict, opt Options) Reach {
	r := Reach{}
	if v.Program.Ops() == 0 {
		r["empty program"]++
	}
	for i, ops := range v.Program.Clients {
		for j, o := range ops {
			r["op:"+o.Kind.String()]++
			if i >= len(v.Results) || j >= len(v.Results[i]) {
				continue
			}
			switch res := v.Results[i][j]; {
			case res == skip:
				r["skip:"+o.Kind.String()]++
			case stateOutcomes[stateKey{o.Kind, res}] != "":
				r["state:"+stateOutcomes[stateKey{o.Kind, res}]]++
			}
		}
	}
	for _, m := range opt.stressModes() {
		r["stress:"+m]++
	}
	if v.Program.MaxPending > 0 {
		r["stress:MaxPending"]++
	}
	if v.Trace != nil {
		m := newMeter(v.Trace, r)
		for _, rec := range v.Trace.Records {
			m.record(rec)
		}
		r["shared device"] += m.sharedDevices()
	}
	return r
}

// stateKey is an operation kind and the result a client saw.
type stateKey struct {
	kind   OpKind
	result string
}

// stateOutcomes names the state outcomes of spec §13 (and §4.1's second
// add) that an operation's result shows.
var stateOutcomes = map[stateKey]string{
	{OpNewAndRegister, "ErrExist"}: "F-ADD-KOBJ name claimed", {OpRegister, "ErrExist"}: "F-ADD-KOBJ name claimed",
	{OpNewAndRegister, "ErrNoDev"}: "F-ADD-KOBJ parent gone", {OpRegister, "ErrNoDev"}: "F-ADD-KOBJ parent gone",
	{OpRegister, "ErrInval"}: "second add", {OpModuleLoad, "ErrExist"}: "F-MOD-DUP",
	{OpModuleUnload, "ErrInval"}: "F-MOD-ABSENT",
}

// stressModes names the stress modes the options turn on, by their
// sut.Stress fields.
func (o Options) stressModes() []string {
	var ms []string
	for _, m := range StressModes {
		if *m.Field(&o) {
			ms = append(ms, m.Ident)
		}
	}
	return ms
}

// meter walks one trace and counts into a Reach.
type meter struct {
	r         Reach
	names     map[sched.TaskID]string
	cur       sched.TaskID
	lastPoint map[sched.TaskID]string   // the task's last yield point
	lastFault map[sched.TaskID]string   // the task's last fault hit
	calls     map[sched.TaskID][]string // API calls in progress, innermost last
	parent    map[string]string         // device → parent handle
	bound     map[string]bool
	phase     map[string]string // device → its last phase (EvPhase)
	pending   map[int]bool      // async entries scheduled in a task of their own, not ended
	probing   int               // Probe callbacks running
	touchedBy map[string]map[string]bool
}

func newMeter(tr *sched.Trace, r Reach) *meter {
	m := &meter{r: r, names: map[sched.TaskID]string{}, lastPoint: map[sched.TaskID]string{},
		lastFault: map[sched.TaskID]string{}, calls: map[sched.TaskID][]string{}, parent: map[string]string{},
		bound: map[string]bool{}, phase: map[string]string{}, pending: map[int]bool{}, touchedBy: map[string]map[string]bool{}}
	for _, ti := range tr.Tasks {
		m.names[ti.ID] = ti.Name
	}
	return m
}

func (m *meter) record(rec sched.Record) {
	switch rec.Kind {
	case sched.KindSpawn:
		m.names[sched.TaskID(rec.Value)] = rec.Name
	case sched.KindRun:
		if rec.Value == 1 && m.cur != 0 {
			m.r["preempt:"+m.lastPoint[m.cur]]++
		}
		m.cur = rec.Task
	case sched.KindYield:
		m.r["yield:"+rec.Name]++
		m.lastPoint[rec.Task] = rec.Name
	case sched.KindEvent:
		if ev, ok := rec.Event.(sut.Event); ok {
			m.event(rec.Task, ev)
		}
	}
}

func (m *meter) event(t sched.TaskID, ev sut.Event) {
	m.r["event:"+ev.Kind.String()]++
	switch ev.Kind {
	case sut.EvCall:
		m.callEvent(t, ev)
	case sut.EvReturn:
		if n := len(m.calls[t]); n > 0 {
			m.calls[t] = m.calls[t][:n-1]
		}
	case sut.EvNewDevice:
		m.parent[ev.Device] = ev.Label
	case sut.EvPhase:
		m.phase[ev.Device] = ev.Label
	case sut.EvFault:
		m.r["fault:"+ev.Label]++
		m.lastFault[t] = ev.Label
	case sut.EvAsyncSchedule:
		if !ev.Flag {
			m.pending[ev.Count] = true
		} else if m.lastFault[t] != "F-ASYNC-SYNC" {
			m.r["fault:F-ASYNC-FULL"]++
		}
		m.lastFault[t] = ""
	case sut.EvAsyncEnd:
		delete(m.pending, ev.Count)
	case sut.EvProbeStart:
		m.probing++
	case sut.EvProbeReturn:
		m.probing--
	case sut.EvAttempt:
		m.r["row:"+ev.Label]++
		m.r["path:"+m.path(t)]++
	case sut.EvBound:
		m.r["bind"]++
		m.bound[ev.Device] = true
		if m.parent[ev.Device] != "" {
			m.r["bound child"]++
		}
	case sut.EvUnbound:
		if m.bound[ev.Device] {
			m.r["unbind"]++
			m.bound[ev.Device] = false
		}
	case sut.EvRemoveStart:
		m.r["remove"]++
	case sut.EvDeferredAdd:
		if ev.Flag {
			m.r["deferral"]++
		}
	case sut.EvDeferredPop:
		m.r["retry"]++
	}
}

// callEvent counts an API call: a module unload or driver unregistration
// while async entries or probes are in flight, a kill-gated unregister of
// a device not Registered when it is called (its add pending, running or
// failed: §4.3's losers), and which clients name which devices.
func (m *meter) callEvent(t sched.TaskID, ev sut.Event) {
	m.calls[t] = append(m.calls[t], ev.Label)
	if (ev.Label == "TryUnregister" || ev.Label == "UnregisterAsync") && m.phase[ev.Device] != sut.PhaseRegistered.String() &&
		m.phase[ev.Device] != sut.PhaseDeleted.String() {
		m.r["gate before registered"]++
	}
	if (ev.Label == "ModuleUnload" || ev.Label == "DriverUnregister") && (len(m.pending) > 0 || m.probing > 0) {
		m.r["unload in flight"]++
	}
	if name := m.names[t]; ev.Device != "" && strings.HasPrefix(name, "client") {
		if m.touchedBy[ev.Device] == nil {
			m.touchedBy[ev.Device] = map[string]bool{}
		}
		m.touchedBy[ev.Device][name] = true
	}
}

// path classifies the probe attempt task t is making (see AttachPaths):
// by the task for the core's own tasks, else by the innermost API call
// that probes.
func (m *meter) path(t sched.TaskID) string {
	name := m.names[t]
	switch {
	case name == "deferred-worker":
		return "C"
	case strings.HasPrefix(name, "attach "):
		return "A-async"
	case strings.HasPrefix(name, "driver-attach "):
		return "B-async"
	}
	calls := m.calls[t]
	for i := len(calls) - 1; i >= 0; i-- {
		switch calls[i] {
		case "Bind":
			return "D"
		case "Reprobe":
			return "A-reprobe"
		case "DriverRegister", "ModuleLoad":
			return "B"
		case "DeviceAdd", "RegisterSync", "NewAndRegister", "UnblockProbing":
			return "A"
		}
	}
	return "A"
}

// sharedDevices counts the devices that two or more clients named in API
// calls.
func (m *meter) sharedDevices() int {
	n := 0
	for _, by := range m.touchedBy {
		if len(by) > 1 {
			n++
		}
	}
	return n
}

// Coverage sums the reach of many executions: Total counts every
// occurrence of a key, Programs the executions that reached it at least
// once.
type Coverage struct {
	Executions int
	Total      map[string]int
	Programs   map[string]int
}

// NewCoverage returns an empty coverage.
func NewCoverage() *Coverage {
	return &Coverage{Total: map[string]int{}, Programs: map[string]int{}}
}

// Add counts one execution's reach.
func (c *Coverage) Add(r Reach) {
	c.Executions++
	for k, n := range r {
		c.Total[k] += n
		if n > 0 {
			c.Programs[k]++
		}
	}
}

// Merge adds o's executions and counts to c.
func (c *Coverage) Merge(o *Coverage) {
	c.Executions += o.Executions
	for k, n := range o.Total {
		c.Total[k] += n
	}
	for k, n := range o.Programs {
		c.Programs[k] += n
	}
}

// Share returns the fraction of executions that reached key.
func (c *Coverage) Share(key string) float64 {
	if c.Executions == 0 {
		return 0
	}
	return float64(c.Programs[key]) / float64(c.Executions)
}

// Expected lists the keys a campaign is expected to reach: every
// operation kind, outcome row, attach path, injected fault point, state
// outcome, the core's named yield points, every event kind of the core, every stress
// mode, and the behaviours after a bind.
func Expected() []string {
	var ks []string
	for k := range opKinds {
		ks = append(ks, "op:"+k.String())
	}
	for _, row := range sut.OutcomeRows {
		ks = append(ks, "row:"+row)
	}
	for _, p := range AttachPaths {
		ks = append(ks, "path:"+p)
	}
	for _, f := range append(FaultPoints[:len(FaultPoints):len(FaultPoints)], "F-ASYNC-FULL") {
		ks = append(ks, "fault:"+f)
	}
	for _, y := range sut.YieldPoints {
		ks = append(ks, "yield:"+y)
	}
	for _, st := range []string{"F-ADD-KOBJ name claimed", "F-ADD-KOBJ parent gone", "second add", "F-MOD-DUP", "F-MOD-ABSENT"} {
		ks = append(ks, "state:"+st)
	}
	for k := sut.EvCall; k <= sut.EvAttempt; k++ {
		ks = append(ks, "event:"+k.String())
	}
	for _, m := range StressModes {
		ks = append(ks, "stress:"+m.Ident)
	}
	return append(ks, "stress:MaxPending", "bind", "unbind", "remove", "deferral", "retry",
		"unload in flight", "shared device", "bound child", "gate before registered")
}

// Missing returns the expected keys no execution reached.
func (c *Coverage) Missing() []string {
	var out []string
	for _, k := range Expected() {
		if c.Programs[k] == 0 {
			out = append(out, k)
		}
	}
	return out
}

// String renders the coverage as a report: for each group, each key with
// the share of executions that reached it and its total count.
func (c *Coverage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coverage of %d executions (share of executions reaching it, total count):\n", c.Executions)
	groups := map[string][]string{}
	for k := range c.Programs {
		g, _, ok := strings.Cut(k, ":")
		if !ok {
			g = "behaviour"
		}
		groups[g] = append(groups[g], k)
	}
	for _, g := range sortedKeys(groups) {
		ks := groups[g]
		sort.Strings(ks)
		fmt.Fprintf(&b, "  %s:\n", g)
		for _, k := range ks {
			fmt.Fprintf(&b, "    %-32s %6.2f%% %8d\n", strings.TrimPrefix(k, g+":"), 100*c.Share(k), c.Total[k])
		}
	}
	if miss := c.Missing(); len(miss) > 0 {
		fmt.Fprintf(&b, "  never reached: %s\n", strings.Join(miss, ", "))
	}
	return b.String()
}
