package shrink

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/devstress/devstress/sched"
)

// TaskRef names a task by its name and, among the tasks of that name, its
// rank in spawn order (from 1): "deferred-worker" may run several times.
// The zero TaskRef is no task: the start of the run.
type TaskRef struct {
	Name string
	Nth  int
}

// String renders the reference as in a file: the quoted name, then [n]
// when n > 1.
func (r TaskRef) String() string {
	if r.Nth > 1 {
		return fmt.Sprintf("%q[%d]", r.Name, r.Nth)
	}
	return strconv.Quote(r.Name)
}

// Key names a scheduling choice of a run so that it survives edits of the
// program: the task that stopped (its name, not its id), the point it
// stopped at and how many times it had stopped there, this time included.
//
// At a preemptive choice (the task could continue) Point is the yield
// point, "lock <m>" or "wait <c>" and Seen is the runtime's count of the
// task's arrivals there (sched.Choice.Seen). When the task blocked or
// exited, Point is "block" or "exit" and Seen counts such choices of the
// task that had several candidates. The first choice of a run, before any
// task ran, is Point "start" with no task.
type Key struct {
	Task  TaskRef
	Point string
	Seen  int
}

// Switch is one non-boring scheduling choice: at At, run To instead of
// what the canonical schedule runs.
type Switch struct {
	At Key
	To TaskRef
}

// String renders the switch as a file line:
//
//	at "client1" Y-DEFER-ADD #1 -> "client2"
//	at "client1" "lock dev:a" #2 -> "attach a#1"
//	at start -> "client2"
func (s Switch) String() string {
	if s.At.Point == pointStart && s.At.Task == (TaskRef{}) && s.At.Seen == 1 {
		return "at start -> " + s.To.String()
	}
	return fmt.Sprintf("at %s %s #%d -> %s", s.At.Task, word(s.At.Point), s.At.Seen, s.To)
}

// pointStart is the Key.Point of the first choice of a run.
const pointStart = "start"

// Schedule is a run's schedule as switches keyed by Key: every choice no
// switch names is the boring one (index 0: keep the current task; when it
// blocked or exited, the lowest-id runnable task). It is unordered in
// meaning; files list it in the order the run met it.
type Schedule []Switch

// Strategy returns a strategy that replays the schedule. At each choice it
// computes the choice's Key; when a switch names it and its target is
// runnable, it runs the target, otherwise it makes the boring choice. It
// answers decisions 0: faults come from the program's fault plan, which
// properties.Execute applies around it.
func (s Schedule) Strategy() *Replayer {
	r := &Replayer{at: make(map[Key]TaskRef, len(s)), used: map[Key]bool{}}
	for _, sw := range s {
		r.at[sw.At] = sw.To
	}
	return r
}

// Replayer is the strategy of a Schedule (see Schedule.Strategy). It is
// used by one run; Unused tells afterwards which switches the run never met.
type Replayer struct {
	keys keyer
	at   map[Key]TaskRef
	used map[Key]bool
}

// Choose implements sched.Strategy.
func (r *Replayer) Choose(c sched.Choice) (int, error) {
	k := r.keys.key(c)
	to, ok := r.at[k]
	if !ok {
		return 0, nil
	}
	for i, id := range c.Candidates {
		if r.keys.ref(c, id) == to {
			r.used[k] = true
			return i, nil
		}
	}
	return 0, nil // the target cannot run here: the program changed
}

// Decide implements sched.Strategy: 0, the fault plan answers the rest.
func (r *Replayer) Decide(string, int) (int, error) { return 0, nil }

// ChoosesLocally implements sched.Local: the replayer draws nothing.
func (r *Replayer) ChoosesLocally(sched.Choice) bool { return true }

// DecidesLocally implements sched.Local.
func (r *Replayer) DecidesLocally(string, int) bool { return true }

// Unused returns the switches of the schedule the run never took, in the
// schedule's order: their key was never reached, or their target could not
// run there.
func (r *Replayer) Unused(s Schedule) Schedule {
	var out Schedule
	for _, sw := range s {
		if !r.used[sw.At] {
			out = append(out, sw)
		}
	}
	return out
}

// keyer computes the Keys of a run's choices. Recording and replaying use
// the same one, so they count alike.
type keyer struct {
	refs   []TaskRef      // by id - 1, extended as tasks appear
	counts map[Key]int    // non-preemptive choices so far, by task and point (Seen 0)
	nth    map[string]int // tasks so far by name
}

// ref names task id of choice c.
func (k *keyer) ref(c sched.Choice, id sched.TaskID) TaskRef {
	if k.nth == nil {
		k.nth = map[string]int{}
	}
	for len(k.refs) < len(c.Tasks) {
		name := c.Tasks[len(k.refs)].Name
		k.nth[name]++
		k.refs = append(k.refs, TaskRef{Name: name, Nth: k.nth[name]})
	}
	if id < 1 || int(id) > len(k.refs) {
		return TaskRef{}
	}
	return k.refs[id-1]
}

// key is the Key of choice c. It must be called once per choice, in order.
func (k *keyer) key(c sched.Choice) Key {
	if c.Preemptive {
		return Key{Task: k.ref(c, c.Current), Point: c.Point, Seen: c.Seen}
	}
	if k.counts == nil {
		k.counts = map[Key]int{}
	}
	key := Key{Task: k.ref(c, c.Current), Point: c.Point}
	if c.Current == sched.NoTask {
		key.Point = pointStart
	}
	k.counts[key]++
	key.Seen = k.counts[key]
	return key
}

// word renders a point name as one token of a line: bare when it is one,
// quoted otherwise.
func word(s string) string {
	if isToken(s) {
		return s
	}
	return strconv.Quote(s)
}

// isToken reports whether s can be written bare: non-empty, and no space,
// quote, or character the line syntax uses.
func isToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t\r\n\"'`()[],;:=#") && s != "->"
}

// parseSwitch reads a switch line after its "at", as Switch.String writes
// it.
func parseSwitch(s string) (Switch, error) {
	bad := &lineErr{ErrCorrupt, fmt.Sprintf("at %q: expected `at \"<task>\" <point> #<n> -> \"<task>\"` or `at start -> \"<task>\"`", s)}
	ts, err := lex(s)
	if err != nil {
		return Switch{}, bad
	}
	var sw Switch
	if len(ts) > 0 && ts[0] == (token{tokWord, pointStart}) {
		sw.At = Key{Point: pointStart, Seen: 1}
		ts = ts[1:]
	} else {
		var ok bool
		if sw.At.Task, ts, ok = taskRef(ts); !ok || len(ts) < 3 {
			return Switch{}, bad
		}
		if ts[0].kind == tokPunct || ts[1] != (token{tokPunct, "#"}) || ts[2].kind != tokWord {
			return Switch{}, bad
		}
		sw.At.Point = ts[0].text
		n, err := strconv.Atoi(ts[2].text)
		if err != nil || n < 1 || strconv.Itoa(n) != ts[2].text {
			return Switch{}, bad
		}
		sw.At.Seen = n
		ts = ts[3:]
	}
	if len(ts) == 0 || ts[0] != (token{tokPunct, "->"}) {
		return Switch{}, bad
	}
	var ok bool
	if sw.To, ts, ok = taskRef(ts[1:]); !ok || len(ts) > 0 {
		return Switch{}, bad
	}
	return sw, nil
}

// taskRef reads a TaskRef: a quoted name, then [n] when n > 1.
func taskRef(ts []token) (TaskRef, []token, bool) {
	if len(ts) == 0 || ts[0].kind != tokString || ts[0].text == "" {
		return TaskRef{}, ts, false
	}
	r := TaskRef{Name: ts[0].text, Nth: 1}
	ts = ts[1:]
	if len(ts) >= 3 && ts[0] == (token{tokPunct, "["}) && ts[2] == (token{tokPunct, "]"}) {
		n, err := strconv.Atoi(ts[1].text)
		if err != nil || n < 2 || strconv.Itoa(n) != ts[1].text {
			return TaskRef{}, ts, false
		}
		r.Nth = n
		ts = ts[3:]
	}
	return r, ts, true
}
