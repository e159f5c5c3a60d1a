package sched

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Controlled is the runtime that runs exactly one task at a time. Every task
// is a goroutine parked on its own channel. At each scheduling point (Yield,
// Lock, a wait, exit) the Strategy says which runnable task goes next. The
// same program and the same decisions give the same trace.
//
// Control moves like a baton: exactly one goroutine, a task's or the one
// that called Run, holds it and touches the runtime's state; channel
// hand-offs pass it on. A task that reaches a scheduling point asks the
// strategy itself when the strategy allows it (see Local), so a step that
// continues the same task costs no hand-off and a switch costs one. Every
// other question (a rapid draw, for example) is passed to the goroutine
// that called Run, where rapid allows draws.
//
// Run never hangs on the code under test's account: a deadlock, a relock, a
// panic in a task or an exhausted step budget end the run with an error, and
// every goroutine of the run has exited when Run returns, also when Run is
// left by a panic of the strategy (rapid's draws panic while shrinking). A
// task that loops forever without reaching a scheduling point cannot be
// stopped: write code under test so that loops yield.
//
// A Controlled is not safe for use by several goroutines outside its tasks;
// create, spawn, Run and inspect it from one goroutine.
type Controlled struct {
	strategy Strategy
	maxSteps int
	observe  func(step []Record) error

	tasks   []*task       // by id - 1
	live    []*task       // tasks that have not exited, by id
	current *task         // the task running now (inTask) or that ran last
	inTask  bool          // a task's goroutine is running the code under test
	back    chan struct{} // passes the baton to the goroutine that called Run
	asking  *task         // a task waiting for the caller to answer its Decide
	pending error         // the failure that ends the run, passed to the caller
	wg      sync.WaitGroup
	aborted bool // set before the parked tasks are released to exit

	step      int
	stepStart int // index in trace.Records where the current step began
	trace     Trace
	decisions []Decision
	closed    bool
	cands     []TaskID
	points    map[string]int // the scheduling points reached so far, by name: their index in task.seen
}

type taskState uint8

const (
	stateReady   taskState = iota // may run: never started, or yielded
	stateWaiting                  // stopped at a lock or wait; runnable when blocker allows
	stateDone
)

// request is what a task asks of the scheduler when it hands control back.
type request uint8

const (
	reqYield request = iota
	reqBlock         // stopped at t.blocker
	reqExit
	reqPanic
	reqFail
)

type task struct {
	id     TaskID
	name   string
	fn     func()
	resume chan struct{}
	state  taskState

	req     request
	point   string
	pointID int     // point's index in seen
	reached int     // scheduling points reached (yields and blocks)
	seen    []int   // scheduling points reached, by index of their name (Controlled.points)
	blocker blocker // set with reqBlock and while stateWaiting

	decPoint string
	decN     int
	decValue int

	panicValue any
	panicStack string
	failErr    error
}

// blocker is a primitive a task can stop at: a mutex, a completion, a
// counter.
type blocker interface {
	// ready reports whether t may continue now.
	ready(t *task) bool
	// acquire is called when t is chosen to continue.
	acquire(t *task, step int)
	// wait describes t waiting on the blocker.
	wait(t *task) Wait
	// record is the trace record of t passing the blocker.
	record() (Kind, string)
}

// Option configures a runtime.
type Option func(*options)

type options struct {
	maxSteps int
	observe  func([]Record) error
}

// MaxSteps sets the step budget of a controlled run (default 100000).
// Exceeding it ends the run with a *BudgetError.
func MaxSteps(n int) Option { return func(o *options) { o.maxSteps = n } }

// Observe installs a function called after every step of a controlled run
// with the records of that step. It runs on whichever goroutine holds
// control at the end of the step (often the task's own), serialized with
// everything else in the run, so it may read the code under test's state
// but must not draw from a *rapid.T. A non-nil error ends the run with that
// error at that step. This is where per-step invariants are checked.
func Observe(f func(step []Record) error) Option { return func(o *options) { o.observe = f } }

func buildOptions(opts []Option) options {
	o := options{maxSteps: 100000}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// NewControlled returns a controlled runtime whose choices come from s.
func NewControlled(s Strategy, opts ...Option) *Controlled {
	o := buildOptions(opts)
	return &Controlled{
		strategy:  s,
		maxSteps:  o.maxSteps,
		observe:   o.observe,
		back:      make(chan struct{}),
		tasks:     make([]*task, 0, initialTasks),
		live:      make([]*task, 0, initialTasks),
		cands:     make([]TaskID, 0, initialTasks),
		trace:     Trace{Tasks: make([]TaskInfo, 0, initialTasks), Records: make([]Record, 0, recordsCap())},
		decisions: make([]Decision, 0, initialDecisions),
	}
}

// Initial capacities, from runs of generated programs, which spawn ~5
// tasks, record ~210 records, take ~60 decisions and reach ~20 distinct
// scheduling points: growing these from nothing was more than a tenth of
// a run's time.
const (
	initialTasks     = 8
	initialRecords   = 256
	initialDecisions = 64
	initialPoints    = 32
)

// recordsHint is the length of the trace the latest Controlled runtime
// closed. The runs of one campaign have similar lengths, so the next
// runtime starts its Records at that length and a quarter more: one
// allocation of about the right size instead of doubling up from
// initialRecords, which was a third of the bytes a run of the standard
// program allocated. It is a hint only: a capacity changes no behaviour.
var recordsHint atomic.Int64

// recordsCap is the initial capacity of a new runtime's Records.
func recordsCap() int {
	n := int(recordsHint.Load())
	return max(initialRecords, n+n/4)
}

// Go spawns a task. From outside Run it may be called before Run or between
// two Runs.
func (c *Controlled) Go(name string, fn func()) TaskID {
	c.checkOpen()
	t := &task{id: TaskID(len(c.tasks) + 1), name: name, fn: fn, resume: make(chan struct{})}
	parent := c.Self()
	c.tasks = append(c.tasks, t)
	c.live = append(c.live, t)
	c.trace.Tasks = append(c.trace.Tasks, TaskInfo{ID: t.id, Name: name, Parent: parent})
	c.record(KindSpawn, name, int(t.id), nil)
	c.wg.Add(1)
	go c.body(t)
	return t.id
}

// body is the goroutine of task t.
func (c *Controlled) body(t *task) {
	defer c.wg.Done()
	growStack(0)
	if _, ok := <-t.resume; !ok {
		return // the run was aborted before t ever ran
	}
	defer func() {
		if c.aborted {
			return // leaving by runtime.Goexit after an abort
		}
		if p := recover(); p != nil {
			t.req, t.panicValue, t.panicStack = reqPanic, p, string(debug.Stack())
		} else {
			t.req = reqExit
		}
		c.pass(t)
	}()
	t.fn()
}

// handBack ends t's step at a scheduling point, passes the baton on and
// waits until t is chosen again. It does not return if the run is aborted
// meanwhile.
func (c *Controlled) handBack(t *task) {
	if c.pass(t) {
		return
	}
	c.await(t)
}

// await parks t until it holds the baton again; after an abort it ends the
// goroutine instead.
func (c *Controlled) await(t *task) {
	if _, ok := <-t.resume; !ok {
		runtime.Goexit()
	}
}

// running returns the calling task, or nil when called outside any task.
// After an abort it ends the calling task's goroutine.
func (c *Controlled) running() *task {
	if c.aborted {
		runtime.Goexit()
	}
	if !c.inTask {
		return nil
	}
	return c.current
}

// Yield implements Runtime.
func (c *Controlled) Yield(point string) {
	t := c.running()
	if t == nil {
		return
	}
	c.record(KindYield, point, 0, nil)
	t.req = reqYield
	t.reach(point, c.pointID(point))
	c.handBack(t)
}

// pointID returns the index of the scheduling point named point, the same
// for every task of the runtime.
func (c *Controlled) pointID(point string) int {
	id, ok := c.points[point]
	if !ok {
		if c.points == nil {
			c.points = make(map[string]int, initialPoints)
		}
		id = len(c.points)
		c.points[point] = id
	}
	return id
}

// reach counts a scheduling point t reached, point, whose index is id.
func (t *task) reach(point string, id int) {
	t.point, t.pointID = point, id
	t.reached++
	if id >= len(t.seen) {
		t.seen = append(t.seen, make([]int, max(id+1, initialPoints)-len(t.seen))...)
	}
	t.seen[id]++
}

// A blockPoint is the scheduling point of a blocker's waits: its name,
// built on first use, and its index (Controlled.pointID).
type blockPoint struct {
	name string
	id   int
}

// block stops t at b until the scheduler lets it continue. p is b's
// scheduling point, named verb+" "+name.
func (c *Controlled) block(t *task, b blocker, p *blockPoint, verb, name string) {
	if p.name == "" {
		p.name = verb + " " + name
		p.id = c.pointID(p.name)
	}
	t.req, t.blocker = reqBlock, b
	t.reach(p.name, p.id)
	c.handBack(t)
}

// Decide implements Runtime.
func (c *Controlled) Decide(point string, n int) int {
	if n <= 1 {
		return 0
	}
	t := c.running()
	if t == nil {
		v, err := c.decide(point, n)
		if err != nil {
			panic(err)
		}
		return v
	}
	if decidesLocally(c.strategy, point, n) {
		v, err := c.decide(point, n)
		if err != nil {
			c.Fail(err)
		}
		return v
	}
	t.decPoint, t.decN = point, n
	c.asking, c.inTask = t, false
	c.back <- struct{}{}
	c.await(t)
	return t.decValue
}

// decide asks the strategy, checks and records the answer.
func (c *Controlled) decide(point string, n int) (int, error) {
	v, err := c.strategy.Decide(point, n)
	if err != nil {
		return 0, c.stamp(err)
	}
	if v < 0 || v >= n {
		return 0, &MisuseError{Step: c.step, Msg: fmt.Sprintf("strategy answered %d to decision %s, outside [0, %d)", v, point, n)}
	}
	c.decisions = append(c.decisions, Decision{Point: point, N: n, Value: v})
	c.record(KindDecide, point, v, nil)
	return v, nil
}

// Emit implements Runtime.
func (c *Controlled) Emit(ev Event) {
	c.running()
	c.record(KindEvent, "", 0, ev)
}

// Fail implements Runtime. Called from a task, it ends the run with err
// and does not return. Outside any task (before Run, or after Run returned
// nil, as a final check does) it cannot stop its caller: it records err in
// the trace and as the run's failure, which the next Run returns at once
// (the first such error wins), and returns.
func (c *Controlled) Fail(err error) {
	t := c.running()
	if t == nil {
		c.record(KindFail, err.Error(), 0, nil)
		if c.pending == nil {
			c.pending = err
		}
		return
	}
	t.req, t.failErr = reqFail, err
	c.pass(t)
	c.await(t)
}

// Self implements Runtime.
func (c *Controlled) Self() TaskID {
	if c.inTask {
		return c.current.id
	}
	return NoTask
}

// Step implements Runtime.
func (c *Controlled) Step() int { return c.step }

// misuse fails the run from inside a task, or panics outside one.
func (c *Controlled) misuse(format string, args ...any) {
	err := &MisuseError{Step: c.step, Msg: fmt.Sprintf(format, args...)}
	if c.running() == nil {
		panic(err)
	}
	c.Fail(err)
}

// record appends a record attributed to the running task, if any.
func (c *Controlled) record(k Kind, name string, v int, ev Event) {
	id := NoTask
	if c.inTask {
		id = c.current.id
	}
	c.recordFor(id, k, name, v, ev)
}

func (c *Controlled) recordFor(id TaskID, k Kind, name string, v int, ev Event) {
	c.trace.Records = append(c.trace.Records, Record{Step: c.step, Task: id, Kind: k, Name: name, Value: v, Event: ev})
}

func (c *Controlled) checkOpen() {
	if c.closed {
		panic("sched: use of a closed Controlled runtime")
	}
}

// stamp fills in the step of a strategy's error.
func (c *Controlled) stamp(err error) error {
	var d *DivergenceError
	if errors.As(err, &d) && d.Step == 0 {
		d.Step = c.step
	}
	return err
}

// Trace returns the trace recorded so far. It is the runtime's own record:
// do not modify it.
func (c *Controlled) Trace() *Trace { return &c.trace }

// Decisions returns every decision taken so far, in order. Replaying them
// with Replay reproduces the run exactly.
func (c *Controlled) Decisions() []Decision { return append([]Decision(nil), c.decisions...) }

// Parked returns the tasks that are blocked when Run has returned nil: some
// wait on closed gates, the others possibly through them.
func (c *Controlled) Parked() []Wait {
	var ws []Wait
	for _, t := range c.live {
		if t.state == stateWaiting {
			ws = append(ws, t.blocker.wait(t))
		}
	}
	return ws
}

// Close ends every task that has not finished and waits for their
// goroutines. It is safe to call more than once and after a failed Run.
func (c *Controlled) Close() {
	if c.closed {
		return
	}
	c.abort()
	c.closed = true
	recordsHint.Store(int64(len(c.trace.Records)))
}

// abort releases every parked task to exit and waits for all goroutines of
// the run.
func (c *Controlled) abort() {
	if !c.aborted {
		c.aborted = true
		for _, t := range c.live {
			close(t.resume)
		}
	}
	c.wg.Wait()
}

// growStack grows the calling goroutine's stack to 8 KiB at once, by
// placing a 4 KiB array on it: goroutines start with 2 KiB, and a task
// running the core's operations needs between 4 and 8 KiB, which the
// runtime reaches by doubling, copying the stack each time, deep in the
// task. Growing it while it is still empty costs one copy of a few frames;
// it saved about 12% of the instructions of a fuzz execution, where a
// 16 KiB stack saved less (its allocation and zeroing cost more). The
// index, unknown to the compiler, keeps the array on the stack.
//
//go:noinline
func growStack(i int) byte {
	var buf [4 << 10]byte
	buf[i] = 1
	return buf[i+1]
}
