package sched

// cMutex is the controlled runtime's mutex.
type cMutex struct {
	c        *Controlled
	name     string
	holder   *task
	lockedAt int
	point    blockPoint
}

// NewMutex implements Runtime.
func (c *Controlled) NewMutex(name string) Mutex { return &cMutex{c: c, name: name} }

func (m *cMutex) Lock() {
	t := m.c.running()
	if t == nil {
		m.c.misuse("Lock of %s outside a task", m.name)
	}
	if m.holder == t {
		m.c.Fail(&RelockError{Step: m.c.step, Task: t.id, Mutex: m.name, LockedAt: m.lockedAt})
	}
	m.c.block(t, m, &m.point, "lock", m.name)
}

func (m *cMutex) Unlock() {
	t := m.c.running()
	if m.holder == nil || m.holder != t {
		m.c.misuse("Unlock of %s, which the caller does not hold", m.name)
	}
	m.holder = nil
	m.c.record(KindUnlock, m.name, 0, nil)
}

func (m *cMutex) ready(*task) bool { return m.holder == nil }
func (m *cMutex) acquire(t *task, step int) {
	m.holder, m.lockedAt = t, step
}
func (m *cMutex) record() (Kind, string) { return KindLock, m.name }
func (m *cMutex) wait(t *task) Wait {
	w := Wait{Task: t.id, Name: t.name, Kind: "lock", On: m.name}
	if m.holder != nil {
		w.Holder = m.holder.id
	}
	return w
}

// cCompletion is the controlled runtime's completion and gate.
type cCompletion struct {
	c     *Controlled
	name  string
	gate  bool
	done  bool
	point blockPoint
}

// NewCompletion implements Runtime.
func (c *Controlled) NewCompletion(name string) Completion {
	return &cCompletion{c: c, name: name}
}

// NewGate implements Runtime.
func (c *Controlled) NewGate(name string) Completion {
	return &cCompletion{c: c, name: name, gate: true}
}

// Complete marks the completion done; completing it again changes nothing.
func (p *cCompletion) Complete() {
	p.c.running()
	if !p.done {
		p.done = true
		p.c.record(KindComplete, p.name, 0, nil)
	}
}

func (p *cCompletion) Wait() {
	t := p.c.running()
	if t == nil {
		p.c.misuse("Wait on %s outside a task", p.name)
	}
	p.c.block(t, p, &p.point, "wait", p.name)
}

func (p *cCompletion) Done() bool             { return p.done }
func (p *cCompletion) ready(*task) bool       { return p.done }
func (p *cCompletion) acquire(*task, int)     {}
func (p *cCompletion) record() (Kind, string) { return KindWait, p.name }
func (p *cCompletion) wait(t *task) Wait {
	kind := "completion"
	if p.gate {
		kind = "gate"
	}
	return Wait{Task: t.id, Name: t.name, Kind: kind, On: p.name}
}

// cCounter is the controlled runtime's counter.
type cCounter struct {
	c     *Controlled
	name  string
	value int
	point blockPoint
}

// NewCounter implements Runtime.
func (c *Controlled) NewCounter(name string) Counter { return &cCounter{c: c, name: name} }

func (n *cCounter) Add(delta int) {
	n.c.running()
	if n.value+delta < 0 {
		n.c.misuse("counter %s would go negative (%d%+d)", n.name, n.value, delta)
	}
	n.value += delta
	n.c.record(KindAdd, n.name, n.value, nil)
}

func (n *cCounter) Wait() {
	t := n.c.running()
	if t == nil {
		n.c.misuse("Wait on counter %s outside a task", n.name)
	}
	n.c.block(t, n, &n.point, "wait", n.name)
}

func (n *cCounter) Value() int             { return n.value }
func (n *cCounter) ready(*task) bool       { return n.value == 0 }
func (n *cCounter) acquire(*task, int)     {}
func (n *cCounter) record() (Kind, string) { return KindWait, n.name }
func (n *cCounter) wait(t *task) Wait {
	return Wait{Task: t.id, Name: t.name, Kind: "counter", On: n.name, Value: n.value}
}
