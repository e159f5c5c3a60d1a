package sched

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Free is the runtime of real goroutines, for the race detector and goleak.
// Tasks run in parallel; mutexes, completions and counters are built on
// channels (which the race detector understands as synchronization, and
// which an abort can interrupt); at yield points and before blocking a task
// calls runtime.Gosched with a configurable probability; decisions come
// from a PRNG per task, seeded from the run's seed and the task's id.
//
// Free adds no synchronization between tasks beyond what the code under
// test asks for: no global lock, no shared counter. A run is not
// reproducible; a failure is reported with what the tasks recorded. Each
// task keeps its own records, so the trace has per-task order only (Step is
// the index within the task).
type Free struct {
	seed    uint64
	yields  []int   // a task Goscheds at a yield point with probability 1/n, n drawn from yields (0: never)
	rate    float64 // probability that a decision is not 0
	timeout time.Duration

	ids     goidTable
	nextID  atomic.Int64
	wg      sync.WaitGroup
	abort   chan struct{}
	aborted atomic.Bool

	mu      sync.Mutex // guards the fields below; used outside the tasks' hot paths
	tasks   []*freeTask
	pending []*freeTask // spawned before Run
	started bool
	failure error
}

type freeTask struct {
	id      TaskID
	name    string
	parent  TaskID
	fn      func()
	rng     randSource
	yield   int      // Gosched with probability 1/yield (0: never)
	records []Record // written only by the task's goroutine
	// waiting is what the task is blocked on (nil while it runs), ended
	// whether its function returned; the deadlock watch reads both.
	waiting atomic.Pointer[freeWait]
	ended   atomic.Bool
}

// randSource is the part of *rand.Rand the free runtime uses.
type randSource interface {
	IntN(n int) int
	Float64() float64
}

// HangError reports a free run that did not finish within its timeout: a
// livelock, or tasks blocked outside the runtime (a deadlock in the
// runtime's primitives is a *DeadlockError, reported at once).
type HangError struct {
	After time.Duration
	Stuck bool   // some goroutines did not stop even after the abort
	Stack string // all goroutines at the time of the timeout
}

func (e *HangError) Error() string {
	s := fmt.Sprintf("sched: free run did not finish within %v (livelock, or blocked outside the runtime)", e.After)
	if e.Stuck {
		s += "; some tasks could not be stopped"
	}
	return s
}

// FreeOption configures a Free runtime.
type FreeOption func(*Free)

// YieldProbability makes every task call runtime.Gosched at a yield point
// or before blocking with probability 1/n (0: never). By default each task
// draws its own from taskYields, so that in one run some tasks give way
// often while others run straight through their critical sections, as
// real goroutines on a loaded machine do.
func YieldProbability(n int) FreeOption { return func(f *Free) { f.yields = []int{max(n, 0)} } }

// taskYields are the n of the probabilities 1/n a task draws from by
// default: about half the tasks give way at every point, the others at one
// in two. BenchmarkFreeYields measured it against one probability of 1/2
// for every task: on four of the five kernels 22-56% more runs failed, on
// the fifth (check then act) about as many.
var taskYields = []int{1, 2}

// DecideRate sets the probability that Decide answers something other than
// 0 (default 1/8).
func DecideRate(p float64) FreeOption { return func(f *Free) { f.rate = p } }

// Timeout bounds a free run (default 10s); a run that takes longer is
// aborted and reported as a *HangError.
func Timeout(d time.Duration) FreeOption { return func(f *Free) { f.timeout = d } }

// NewFree returns a free runtime seeded with seed.
func NewFree(seed uint64, opts ...FreeOption) *Free {
	f := &Free{seed: seed, yields: taskYields, rate: 1.0 / 8, timeout: 10 * time.Second, abort: make(chan struct{})}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Go implements Runtime. Tasks spawned before Run start when Run is called;
// tasks spawned by tasks start at once.
func (f *Free) Go(name string, fn func()) TaskID {
	t := &freeTask{id: TaskID(f.nextID.Add(1)), name: name, parent: f.Self(), fn: fn}
	t.rng = newRand(f.seed + uint64(t.id)*0x9e3779b97f4a7c15)
	t.yield = f.yields[0]
	if len(f.yields) > 1 {
		t.yield = f.yields[t.rng.IntN(len(f.yields))]
	}
	f.mu.Lock()
	f.tasks = append(f.tasks, t)
	started := f.started
	if !started {
		f.pending = append(f.pending, t)
	}
	f.mu.Unlock()
	if started {
		f.start(t)
	}
	return t.id
}

func (f *Free) start(t *freeTask) {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		if !f.ids.put(t) {
			f.fail(&MisuseError{Msg: "free runtime: too many tasks"})
			return
		}
		defer func() {
			if p := recover(); p != nil && !f.aborted.Load() {
				f.fail(&PanicError{Task: t.id, Name: t.name, Value: p, Stack: string(debug.Stack())})
			}
		}()
		defer t.ended.Store(true)
		t.fn()
		t.records = append(t.records, Record{Step: len(t.records) + 1, Task: t.id, Kind: KindExit})
	}()
}

// Run starts the tasks spawned so far and waits until every task has
// finished. It returns the first failure (a *PanicError, *RelockError,
// *MisuseError, the error passed to Fail), a *DeadlockError as soon as
// every live task waits in the runtime's primitives for what none of them
// will do (with who waits for what), or a *HangError after the timeout
// (a livelock, or tasks blocked outside the runtime).
// Tasks spawned after the first Run start at once; a later Run waits for
// them and returns the run's first failure again, or one that Fail recorded
// outside a task since.
func (f *Free) Run() error {
	f.mu.Lock()
	f.started = true
	pending := f.pending
	f.pending = nil
	f.mu.Unlock()
	for _, t := range pending {
		f.start(t)
	}
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	watched := make(chan struct{})
	stopWatch := make(chan struct{})
	go func() { f.watchDeadlock(stopWatch); close(watched) }()
	defer func() { close(stopWatch); <-watched }()
	timer := time.NewTimer(f.timeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		buf := make([]byte, 1<<20)
		stack := string(buf[:runtime.Stack(buf, true)])
		f.stop()
		hang := &HangError{After: f.timeout, Stack: stack}
		select {
		case <-done:
		case <-time.After(time.Second):
			hang.Stuck = true
		}
		return hang
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failure
}

// Trace returns the records of every task, task by task. Call it after Run.
func (f *Free) Trace() *Trace {
	f.mu.Lock()
	defer f.mu.Unlock()
	tr := &Trace{}
	for _, t := range f.tasks {
		tr.Tasks = append(tr.Tasks, TaskInfo{ID: t.id, Name: t.name, Parent: t.parent})
		tr.Records = append(tr.Records, t.records...)
	}
	return tr
}

// fail records the first failure and makes every task stop at its next
// runtime call.
func (f *Free) fail(err error) {
	f.mu.Lock()
	if f.failure == nil {
		f.failure = err
	}
	f.mu.Unlock()
	f.stop()
}

func (f *Free) stop() {
	if f.aborted.CompareAndSwap(false, true) {
		close(f.abort)
	}
}

// self returns the calling task; after an abort it ends the calling
// goroutine.
func (f *Free) self() *freeTask {
	if f.aborted.Load() {
		runtime.Goexit()
	}
	return f.ids.get()
}

func (f *Free) record(t *freeTask, k Kind, name string, v int, ev Event) {
	if t != nil {
		t.records = append(t.records, Record{Step: len(t.records) + 1, Task: t.id, Kind: k, Name: name, Value: v, Event: ev})
	}
}

// maybeYield calls runtime.Gosched with the task's probability.
func (f *Free) maybeYield(t *freeTask) {
	if t != nil && t.yield > 0 && t.rng.IntN(t.yield) == 0 {
		runtime.Gosched()
	}
}

// Yield implements Runtime.
func (f *Free) Yield(point string) {
	t := f.self()
	f.record(t, KindYield, point, 0, nil)
	f.maybeYield(t)
}

// Decide implements Runtime.
func (f *Free) Decide(point string, n int) int {
	if n <= 1 {
		return 0
	}
	t := f.self()
	if t == nil || t.rng.Float64() >= f.rate {
		f.record(t, KindDecide, point, 0, nil)
		return 0
	}
	v := 1 + t.rng.IntN(n-1)
	f.record(t, KindDecide, point, v, nil)
	return v
}

// Emit implements Runtime.
func (f *Free) Emit(ev Event) { f.record(f.self(), KindEvent, "", 0, ev) }

// Fail implements Runtime. Called from a task, it stops the run with err
// and does not return. Outside any task (before Run, or after it returned,
// as a final check does) it records err as the run's failure without
// stopping the tasks, Run returns it (the first failure wins), and Fail
// returns.
func (f *Free) Fail(err error) {
	t := f.self()
	if t == nil {
		f.mu.Lock()
		if f.failure == nil {
			f.failure = err
		}
		f.mu.Unlock()
		return
	}
	f.record(t, KindFail, err.Error(), 0, nil)
	f.fail(err)
	runtime.Goexit()
}

// Self implements Runtime.
func (f *Free) Self() TaskID {
	if t := f.ids.get(); t != nil {
		return t.id
	}
	return NoTask
}

// Step implements Runtime; the free runtime has no global step order.
func (f *Free) Step() int { return 0 }

// Close stops the tasks that are still running at their next runtime call.
func (f *Free) Close() { f.stop() }
