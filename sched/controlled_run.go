package sched

import "fmt"

// Run runs tasks until none is runnable. It returns nil when every task has
// finished or the only blocked ones wait on gates (see Parked); more tasks
// may then be spawned and Run called again. Otherwise it returns the
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
	for {
		next, err := c.pick()
		if err != nil {
			return err
		}
		if next == nil {
			return c.stuck()
		}
		if c.step >= c.maxSteps {
			return &BudgetError{Steps: c.maxSteps}
		}
		if err := c.runStep(next); err != nil {
			return err
		}
	}
}

// pick returns the task to run next, or nil when none is runnable.
func (c *Controlled) pick() (*task, error) {
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
	switch len(cands) {
	case 0:
		return nil, nil
	case 1:
		return c.tasks[cands[0]-1], nil
	}
	ch := Choice{Step: c.step + 1, Current: NoTask, Preemptive: preemptive, Candidates: cands}
	if prev != nil {
		ch.Current, ch.Point, ch.Reached = prev.id, prev.point, prev.reached
		if !preemptive {
			ch.Point = "block"
			if prev.state == stateDone {
				ch.Point = "exit"
			}
		}
	}
	i, err := c.strategy.Choose(ch)
	if err != nil {
		return nil, c.stamp(err)
	}
	if i < 0 || i >= len(cands) {
		return nil, &MisuseError{Step: c.step, Msg: fmt.Sprintf("strategy chose candidate %d of %d at %s", i, len(cands), ch.Point)}
	}
	c.decisions = append(c.decisions, Decision{Point: ch.Point, N: len(cands), Value: i})
	return c.tasks[cands[i]-1], nil
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

// stuck ends a Run in which no task is runnable: fine if every blocked task
// waits on a gate, a deadlock otherwise.
func (c *Controlled) stuck() error {
	var waits []Wait
	deadlock := false
	for _, t := range c.live {
		if t.state == stateWaiting {
			w := t.blocker.wait(t)
			waits = append(waits, w)
			deadlock = deadlock || w.Kind != "gate"
		}
	}
	if deadlock {
		return &DeadlockError{Step: c.step, Waits: waits}
	}
	return nil
}

// runStep runs t until it hands control back at a scheduling point, serving
// its decisions on the way, and processes where it stopped.
func (c *Controlled) runStep(t *task) error {
	preempted := c.current != nil && c.current != t && c.current.state != stateDone && c.runnable(c.current)
	c.step++
	c.stepStart = len(c.trace.Records)
	c.current, c.inTask = t, true
	c.record(KindRun, "", boolInt(preempted), nil)
	if t.state == stateWaiting {
		t.blocker.acquire(t, c.step)
		k, name := t.blocker.record()
		c.record(k, name, 0, nil)
		t.blocker = nil
	}
	t.state = stateReady
	t.resume <- struct{}{}
	for {
		<-c.back
		if t.req != reqDecide {
			break
		}
		c.inTask = true // the decision is the task's: record it in its lane
		v, err := c.decide(t.decPoint, t.decN)
		if err != nil {
			c.inTask = false
			return err
		}
		t.decValue = v
		t.resume <- struct{}{}
	}
	c.inTask = false
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
		if err := c.observe(c.trace.Records[c.stepStart:]); err != nil {
			return err
		}
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
