package sched

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// fMutex is the free runtime's mutex: a channel of capacity one, so that an
// abort can interrupt a waiting Lock. holder detects relocking; it is only
// compared with the caller's own id.
type fMutex struct {
	versioned
	f    *Free
	name string
	ch   chan struct{}
	held atomic.Int64
}

func (m *fMutex) heldBy() TaskID { return TaskID(m.held.Load()) }
func (m *fMutex) level() int     { return 0 }

// NewMutex implements Runtime.
func (f *Free) NewMutex(name string) Mutex {
	return &fMutex{f: f, name: name, ch: make(chan struct{}, 1)}
}

func (m *fMutex) Lock() {
	t := m.f.self()
	var id int64
	if t != nil {
		id = int64(t.id)
		if m.held.Load() == id {
			m.f.Fail(&RelockError{Task: t.id, Mutex: m.name})
		}
		m.f.maybeYield(t)
	}
	v := m.version()
	select {
	case m.ch <- struct{}{}:
	default:
		t.block("lock", m.name, m, v)
		select {
		case m.ch <- struct{}{}:
		case <-m.f.abort:
			runtime.Goexit()
		}
		t.unblock()
	}
	m.held.Store(id)
	m.f.record(t, KindLock, m.name, 0, nil)
}

func (m *fMutex) Unlock() {
	t := m.f.self()
	m.held.Store(0)
	m.f.record(t, KindUnlock, m.name, 0, nil)
	select {
	case <-m.ch:
	default:
		m.f.misuse(t, "Unlock of %s, which is not locked", m.name)
	}
	// After the release: a waiter that read the version before this found
	// the mutex held and must see a change, or the deadlock watch could
	// count it as waiting still once it can take the mutex.
	m.changed()
}

// misuse fails the run from inside a task, or panics outside one.
func (f *Free) misuse(t *freeTask, format string, args ...any) {
	err := &MisuseError{Msg: fmt.Sprintf(format, args...)}
	if t == nil {
		panic(err)
	}
	f.Fail(err)
}

// fCompletion is the free runtime's completion and gate.
type fCompletion struct {
	versioned
	f          *Free
	kind, name string // kind: "completion" or "gate"
	once       sync.Once
	done       chan struct{}
}

func (p *fCompletion) heldBy() TaskID { return NoTask }
func (p *fCompletion) level() int     { return 0 }

// NewCompletion implements Runtime.
func (f *Free) NewCompletion(name string) Completion {
	return &fCompletion{f: f, kind: "completion", name: name, done: make(chan struct{})}
}

// NewGate implements Runtime. In the free runtime a gate is a completion:
// tasks that wait on a gate nobody opens, with every other task blocked or
// ended, are a deadlock.
func (f *Free) NewGate(name string) Completion {
	return &fCompletion{f: f, kind: "gate", name: name, done: make(chan struct{})}
}

func (p *fCompletion) Complete() {
	t := p.f.self()
	p.once.Do(func() {
		p.f.record(t, KindComplete, p.name, 0, nil)
		close(p.done)
		p.changed() // after the close, as in Unlock

	})
}

func (p *fCompletion) Wait() {
	t := p.f.self()
	p.f.maybeYield(t)
	v := p.version()
	select {
	case <-p.done:
	default:
		t.block(p.kind, p.name, p, v)
		select {
		case <-p.done:
		case <-p.f.abort:
			runtime.Goexit()
		}
		t.unblock()
	}
	p.f.record(t, KindWait, p.name, 0, nil)
}

func (p *fCompletion) Done() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// fCounter is the free runtime's counter. zero is closed while the value is
// 0 and replaced when it leaves 0.
type fCounter struct {
	versioned
	f     *Free
	name  string
	mu    sync.Mutex
	value int
	zero  chan struct{}
}

// NewCounter implements Runtime.
func (f *Free) NewCounter(name string) Counter {
	z := make(chan struct{})
	close(z)
	return &fCounter{f: f, name: name, zero: z}
}

func (n *fCounter) Add(delta int) {
	t := n.f.self()
	n.mu.Lock()
	old := n.value
	if old+delta < 0 {
		n.mu.Unlock()
		n.f.misuse(t, "counter %s would go negative (%d%+d)", n.name, old, delta)
		return
	}
	n.value += delta
	n.changed()
	switch {
	case old == 0 && n.value > 0:
		n.zero = make(chan struct{})
	case old > 0 && n.value == 0:
		close(n.zero)
	}
	v := n.value
	n.mu.Unlock()
	n.f.record(t, KindAdd, n.name, v, nil)
}

func (n *fCounter) Wait() {
	t := n.f.self()
	n.f.maybeYield(t)
	v := n.version()
	n.mu.Lock()
	z := n.zero
	n.mu.Unlock()
	select {
	case <-z:
	default:
		t.block("counter", n.name, n, v)
		select {
		case <-z:
		case <-n.f.abort:
			runtime.Goexit()
		}
		t.unblock()
	}
	n.f.record(t, KindWait, n.name, 0, nil)
}

func (n *fCounter) heldBy() TaskID { return NoTask }
func (n *fCounter) level() int     { return n.Value() }

func (n *fCounter) Value() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.value
}
