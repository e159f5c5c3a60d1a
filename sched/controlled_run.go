package sched

import "fmt"

// Run runs tasks until none is runnable. It returns nil when every task has
// finished, or when some blocked task waits on a closed gate (the run is
// parked: see Parked); more tasks may then be spawned, gates opened and Run
// called again. Otherwise it returns the
// failure (a *DeadlockError, *RelockError, *BudgetError, *PanicError,
// *MisuseError, *DivergenceError, the strategy's error, the observer's
// error or the error a task passed to Fail), after ending every task; the
// runtime is then closed.
func (c *Controlled) Run() (err error) {
	c.checkOpen()
	if c.inTask {
		panic("sched: Run called from inside a task")
	}
	defer func() {
		if p := recover(); p != nil {
			c.Close() // the strategy panicked (a rapid draw): end every task first
			panic(p)
		}
		if err != nil {
			c.Close()
		}
	}()
	// The caller holds the baton here and after every receive from back.
	for {
		if err := c.pending; err != nil {
			c.pending = nil
			return err
		}
		if t := c.asking; t != nil {
			c.asking = nil
			v, err := c.decideFor(t)
			if err != nil {
				return err
			}
			t.decValue = v
			c.inTask = true
			t.resume <- struct{}{}
			<-c.back
			continue
		}
		next, _, err := c.next(true)
		if err != nil {
			return err
		}
		if next == nil {
			return c.stuck()
		}
		c.beginStep(next)
		next.resume <- struct{}{}
		<-c.back
	}
}

// decideFor answers t's Decide on the caller's goroutine, recording the
// decision in t's lane.
func (c *Controlled) decideFor(t *task) (int, error) {
	c.inTask = true
	defer func() { c.inTask = false }()
	return c.decide(t.decPoint, t.decN)
}

// pass is called by task t, holding the baton, when its step ends (t.req
// says how). It processes the end of the step and chooses the next task
// when the strategy may be asked here. It returns true when t itself runs
// the next step (the caller continues at once); otherwise the baton has
// gone to another task or to the goroutine that called Run, and t must not
// touch the runtime until it is resumed.
func (c *Controlled) pass(t *task) bool {
	c.inTask = false
	err := c.endStep(t)
	if err == nil {
		var next *task
		var ask bool
		next, ask, err = c.next(false)
		if err == nil && !ask && next != nil {
			c.beginStep(next)
			if next == t {
				return true
			}
			next.resume <- struct{}{}
			return false
		}
	}
	// An error, no runnable task, or a question for the caller.
	c.pending = err
	c.back <- struct{}{}
	return false
}

// endStep processes how the current step of t ended and runs the observer.
func (c *Controlled) endStep(t *task) error {
	switch t.req {
	case reqBlock:
		t.state = stateWaiting
	case reqExit:
		c.recordFor(t.id, KindExit, "", 0, nil)
		c.exit(t)
	case reqPanic:
		c.exit(t)
		return &PanicError{Step: c.step, Task: t.id, Name: t.name, Value: t.panicValue, Stack: t.panicStack}
	case reqFail:
		c.recordFor(t.id, KindFail, t.failErr.Error(), 0, nil)
		return t.failErr
	}
	if c.observe != nil {
		return c.observe(c.trace.Records[c.stepStart:])
	}
	return nil
}

// next returns the task to run next, or nil when none is runnable. When the
// choice needs the strategy and onCaller is false, it returns ask = true
// unless the strategy answers such choices anywhere (Local).
func (c *Controlled) next(onCaller bool) (next *task, ask bool, err error) {
	cands := c.cands[:0]
	prev := c.current
	preemptive := prev != nil && prev.state != stateDone && c.runnable(prev)
	if preemptive {
		cands = append(cands, prev.id)
	}
	for _, t := range c.live {
		if t != prev && c.runnable(t) {
			cands = append(cands, t.id)
		}
	}
	c.cands = cands
	if len(cands) == 0 {
		return nil, false, nil
	}
	if c.step >= c.maxSteps {
		return nil, false, &BudgetError{Steps: c.maxSteps}
	}
	if len(cands) == 1 {
		return c.tasks[cands[0]-1], false, nil
	}
	ch := Choice{Step: c.step + 1, Current: NoTask, Preemptive: preemptive, Candidates: cands, Tasks: c.trace.Tasks}
	if prev != nil {
		ch.Current, ch.Point, ch.Reached = prev.id, prev.point, prev.reached
		if preemptive {
			ch.Seen = prev.seen[prev.pointID]
		} else {
			ch.Point = "block"
			if prev.state == stateDone {
				ch.Point = "exit"
			}
		}
	}
	if !onCaller && !choosesLocally(c.strategy, ch) {
		return nil, true, nil
	}
	i, err := c.strategy.Choose(ch)
	if err != nil {
		return nil, false, c.stamp(err)
	}
	if i < 0 || i >= len(cands) {
		return nil, false, &MisuseError{Step: c.step, Msg: fmt.Sprintf("strategy chose candidate %d of %d at %s", i, len(cands), ch.Point)}
	}
	c.decisions = append(c.decisions, Decision{Point: ch.Point, N: len(cands), Value: i})
	return c.tasks[cands[i]-1], false, nil
}

// beginStep makes t the running task of a new step: it records a switch,
// lets t pass the blocker it stopped at, and marks t running. The caller
// then resumes t, or continues if it is t.
func (c *Controlled) beginStep(t *task) {
	prev := c.current
	c.step++
	c.stepStart = len(c.trace.Records)
	c.current, c.inTask = t, true
	if prev != t {
		preempted := prev != nil && prev.state != stateDone && c.runnable(prev)
		c.record(KindRun, "", boolInt(preempted), nil)
	}
	if t.state == stateWaiting {
		t.blocker.acquire(t, c.step)
		k, name := t.blocker.record()
		c.record(k, name, 0, nil)
		t.blocker = nil
	}
	t.state = stateReady
}

func (c *Controlled) runnable(t *task) bool {
	switch t.state {
	case stateReady:
		return true
	case stateWaiting:
		return t.blocker.ready(t)
	}
	return false
}

// stuck ends a Run in which no task is runnable. If some blocked task waits
// on a closed gate, the run is parked: the other blocked tasks may wait for
// it, through locks and counters the runtime cannot attribute, and opening
// the gates will tell (a deadlock that does not go through a gate remains
// and is reported by the next Run). Otherwise it is a deadlock.
func (c *Controlled) stuck() error {
	var waits []Wait
	gate := false
	for _, t := range c.live {
		if t.state == stateWaiting {
			w := t.blocker.wait(t)
			waits = append(waits, w)
			gate = gate || w.Kind == "gate"
		}
	}
	if len(waits) > 0 && !gate {
		return &DeadlockError{Step: c.step, Waits: waits}
	}
	return nil
}

// exit removes t from the live tasks.
func (c *Controlled) exit(t *task) {
	t.state = stateDone
	for i, l := range c.live {
		if l == t {
			c.live = append(c.live[:i], c.live[i+1:]...)
			break
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
