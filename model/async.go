package model

import "strconv"

// domain is an async domain: the registered (global) one, or RegDomain, the
// exclusive domain of RegisterAsync and UnregisterAsync jobs (§1, §9).
type domain int

const (
	globalDomain domain = iota
	regDomain
)

type jobKind int

const (
	jobAttach       jobKind = iota // attachJob(d): path A pass 2
	jobDriverAttach                // driverAttachJob(d): path B's async probe
	jobRegister                    // RegisterAsync's job J1..J5
	jobUnregister                  // UnregisterAsync's job
)

// entry is one async entry (§9).
type entry struct {
	cookie int
	kind   jobKind
	dev    string
	parent string // jobDriverAttach: the parent it holds (AsyncAttachParent), if any
	domain domain
}

// schedule is AsyncSchedule(fn, dom): the entry takes the next cookie; it
// runs inline, as its own context, when F-ASYNC-SYNC fires or more than
// MaxPending entries are pending, and is queued otherwise.
func (s *State) schedule(e entry, dom domain) {
	s.lastCookie++
	e.cookie = s.lastCookie
	e.domain = dom
	inline := s.hit(FAsyncSync) != nil
	if !inline && s.cfg.MaxPending > 0 && len(s.queue)+s.running > s.cfg.MaxPending {
		inline = true
	}
	s.emit(Event{Kind: EvSchedule, Cookie: e.cookie, Flag: dom == regDomain, Inline: inline})
	if inline {
		s.runEntry(e)
		return
	}
	s.queue = append(s.queue, e)
}

// runEntry runs entry e to completion in its own context.
func (s *State) runEntry(e entry) {
	s.step("async entry " + strconv.Itoa(e.cookie))
	c := entryCtx(e.cookie)
	prev := s.cur
	s.cur = c
	defer func() { s.cur = prev }()
	s.emit(Event{Kind: EvEntryStart, Cookie: e.cookie})
	defer s.emit(Event{Kind: EvEntryEnd, Cookie: e.cookie})
	d := s.dev(e.dev)
	switch e.kind {
	case jobAttach:
		if !d.dead && d.driver == "" {
			s.scanDrivers(c, d, scanAsyncOnly)
		}
		s.put(d, asyncAttachLabel(e.cookie))
	case jobDriverAttach:
		drv := d.asyncDriver
		s.setAsyncDriver(d, "")
		if drv != "" {
			s.driverProbeDevice(c, drv, d)
		}
		s.put(d, asyncAttachLabel(e.cookie))
		if e.parent != "" {
			s.put(s.dev(e.parent), asyncAttachParentLabel(e.cookie))
		}
	case jobRegister:
		parent := d.parent // J1, read once before any put
		err := s.deviceAdd(c, d)
		d.reg.done, d.reg.err = true, err // J3
		s.emit(Event{Kind: EvComplete, Device: d.handle, Err: err})
		s.put(d, asyncRegisterLabel(e.cookie))
		if parent != "" {
			s.put(s.dev(parent), asyncRegisterParentLabel(e.cookie))
		}
	case jobUnregister:
		s.unregister(c, d)
		s.put(d, asyncUnregisterLabel(e.cookie))
	}
}

// runOne runs the lowest-id runnable task other than the client, as the
// canonical schedule does when the client blocks or after an operation
// (§14.6, §14.7): the oldest queued entry, else the deferred worker. It
// reports false when neither is runnable.
func (s *State) runOne() bool {
	if len(s.queue) > 0 {
		e := s.queue[0]
		s.queue = s.queue[1:]
		s.running++
		s.runEntry(e)
		s.running--
		return true
	}
	if s.workQueued {
		s.runWorker()
		return true
	}
	return false
}

// drain runs async entries and the deferred worker until quiescent.
func (s *State) drain() {
	for s.runOne() {
	}
}

// blockUntil is a blocking wait of the calling task: other tasks run in
// canonical order until done holds.
func (s *State) blockUntil(what string, done func() bool) {
	for !done() {
		if !s.runOne() {
			fail("hang: %s can never finish", what)
		}
	}
}

func (s *State) queued(dom domain) bool {
	for _, e := range s.queue {
		if e.domain == dom {
			return true
		}
	}
	return false
}

// asyncSynchronizeFull waits until no entry of the registered domain is
// pending (RegDomain entries are not covered, §9).
func (s *State) asyncSynchronizeFull() {
	s.blockUntil("AsyncSynchronizeFull", func() bool { return !s.queued(globalDomain) })
}

// asyncSynchronizeDomain waits until no entry of dom is pending.
func (s *State) asyncSynchronizeDomain(dom domain) {
	s.blockUntil("AsyncSynchronizeDomain", func() bool { return !s.queued(dom) })
}

// opRegisterAsync is §11: references for the job, then the job in RegDomain.
func (s *State) opRegisterAsync(_ string, h string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("RegisterAsync: %s", why)
	}
	if d.phase != Initialized || d.addRan || d.reg != nil || !d.holds(LabelOwner) {
		return invalid("RegisterAsync(%s) in phase %s", h, d.phase)
	}
	if why := s.parentGone(d); why != "" {
		return invalid("RegisterAsync(%s): %s", h, why)
	}
	cookie := s.lastCookie + 1
	d.reg = &regAsync{cookie: cookie}
	s.get(d, asyncRegisterLabel(cookie))
	if d.parent != "" {
		s.get(s.dev(d.parent), asyncRegisterParentLabel(cookie))
	}
	s.schedule(entry{kind: jobRegister, dev: h}, regDomain)
	return Result{}
}

// opCompletionWait is (*Completion).Wait: once, by the owner.
func (s *State) opCompletionWait(_ string, h string) Result {
	d := s.devs[h]
	if d == nil || d.reg == nil {
		return invalid("Wait(%s) without RegisterAsync", h)
	}
	if d.reg.waited {
		return invalid("Wait(%s) called twice", h)
	}
	d.reg.waited = true
	s.blockUntil("Completion.Wait", func() bool { return d.reg.done })
	return Result{Err: d.reg.err}
}
