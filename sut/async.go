package sut

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/devstress/devstress/conc"
)

// Domain is an async domain (§9). Entries of registered domains are seen by
// AsyncSynchronizeFull; an exclusive domain (RegDomain) only by
// AsyncSynchronizeDomain.
type Domain struct {
	id        DomainID
	exclusive bool
	pending   conc.Counter
}

// DomainID names an async domain of the core: an EvAsyncSchedule reports
// its entry's domain in Event.Domain.
type DomainID uint8

// The core's two domains. String spells them "default" and "reg".
const (
	DomainDefault DomainID = iota // the default registered domain (AsyncSchedule with nil)
	DomainReg                     // RegDomain, exclusive (RegisterAsync, UnregisterAsync)
)

func (id DomainID) String() string {
	if int(id) < len(domainNames) {
		return domainNames[id]
	}
	return "DomainID(" + strconv.Itoa(int(id)) + ")"
}

var domainNames = [...]string{DomainDefault: "default", DomainReg: "reg"}

// asyncEntry is a pending async entry.
type asyncEntry struct {
	cookie    int
	dom       *Domain
	footprint []*Device // the device locks the entry takes first
}

// asyncLayer is kernel/async.c: the pending entries, under a leaf lock.
type asyncLayer struct {
	mu      conc.Mutex
	cookies atomic.Int64  // cookies handed out
	pending []*asyncEntry // mu
	full    conc.Counter  // pending entries of registered domains
	def     *Domain       // the default registered domain
	reg     *Domain       // RegDomain, exclusive
}

func (c *Core) newDomain(id DomainID, exclusive bool) *Domain {
	return &Domain{id: id, exclusive: exclusive, pending: c.rt.NewCounter("async:" + id.String())}
}

// RegDomain returns the exclusive domain of RegisterAsync and
// UnregisterAsync.
func (c *Core) RegDomain() *Domain { return c.async.reg }

// nextCookie hands out the cookie of the next AsyncSchedule. Callers that
// take a reference labelled with the cookie reserve it before scheduling.
func (c *Core) nextCookie() int { return int(c.async.cookies.Add(1)) }

// AsyncSchedule runs fn as an async entry of dom (nil: the default
// registered domain), or inline on the synchronous fallback (§9).
func (c *Core) AsyncSchedule(fn func(), dom *Domain) {
	c.call("AsyncSchedule", nil, nil)
	if dom == nil {
		dom = c.async.def
	}
	cookie := c.nextCookie()
	c.asyncSchedule(cookie, fmt.Sprintf("async %d", cookie), dom, nil, func(owner) { fn() })
	c.ret("AsyncSchedule", nil)
}

// asyncSchedule schedules fn as entry cookie of dom with the given
// footprint. fn runs in the entry's own context, in a new task, or at once
// in the caller's task when the allocation fault F-ASYNC-SYNC fires or more
// than MaxPending entries are pending. Y-SCHED follows.
func (c *Core) asyncSchedule(cookie int, name string, dom *Domain, footprint []*Device, fn func(who owner)) {
	inline := c.fault("F-ASYNC-SYNC")
	e := &asyncEntry{cookie: cookie, dom: dom, footprint: footprint}
	c.async.mu.Lock()
	if !inline && c.cfg.MaxPending > 0 && len(c.async.pending) > c.cfg.MaxPending {
		inline = true // F-ASYNC-FULL
	}
	if !inline {
		c.async.pending = append(c.async.pending, e)
		dom.pending.Add(1)
		if !dom.exclusive {
			c.async.full.Add(1)
		}
	}
	c.async.mu.Unlock()
	fp := make([]string, len(footprint))
	for i, d := range footprint {
		fp[i] = d.handle
	}
	c.emit(Event{Kind: EvAsyncSchedule, Count: cookie, Domain: dom.id, Devices: fp, Flag: inline})
	if inline {
		c.runEntry(e, fn)
	} else {
		c.rt.Go(name, func() {
			c.runEntry(e, fn)
			c.finishEntry(e)
		})
	}
	c.rt.Yield("Y-SCHED")
}

// runEntry runs fn in entry e's context.
func (c *Core) runEntry(e *asyncEntry, fn func(who owner)) {
	c.emit(Event{Kind: EvAsyncStart, Count: e.cookie})
	fn(entryOwner(e.cookie))
	c.emit(Event{Kind: EvAsyncEnd, Count: e.cookie})
}

// finishEntry ends the pending state of e after its fn returned.
func (c *Core) finishEntry(e *asyncEntry) {
	c.async.mu.Lock()
	for i, p := range c.async.pending {
		if p == e {
			c.async.pending = append(c.async.pending[:i:i], c.async.pending[i+1:]...)
			break
		}
	}
	c.async.mu.Unlock()
	e.dom.pending.Add(-1)
	if !e.dom.exclusive {
		c.async.full.Add(-1)
	}
}

// AsyncSynchronizeFull waits until no entry of a registered domain is
// pending, including entries scheduled while waiting.
func (c *Core) AsyncSynchronizeFull() {
	c.call("AsyncSynchronizeFull", nil, nil)
	c.asyncSyncFull(c.self())
	c.ret("AsyncSynchronizeFull", nil)
}

// AsyncSynchronizeDomain waits until no entry of dom is pending.
func (c *Core) AsyncSynchronizeDomain(dom *Domain) {
	c.call("AsyncSynchronizeDomain", nil, nil)
	c.asyncSyncDomain(dom, c.self())
	c.ret("AsyncSynchronizeDomain", nil)
}

func (c *Core) asyncSyncFull(who owner) {
	c.checkDrain(nil, who)
	c.async.full.Wait()
}

func (c *Core) asyncSyncDomain(dom *Domain, who owner) {
	c.checkDrain(dom, who)
	dom.pending.Wait()
}

// checkDrain is NO-SELF-WAIT for a drain of dom (nil: the registered
// domains) by context who: the drain must not cover who itself, nor an
// entry whose footprint holds a lock the caller holds.
func (c *Core) checkDrain(dom *Domain, who owner) {
	self := int64(c.rt.Self())
	msg := ""
	c.async.mu.Lock()
	for _, e := range c.async.pending {
		if (dom == nil && e.dom.exclusive) || (dom != nil && e.dom != dom) {
			continue
		}
		if e.cookie == who.entry {
			msg = fmt.Sprintf("entry %d waits for a drain that covers itself", e.cookie)
			break
		}
		for _, d := range e.footprint {
			if self != 0 && d.lockOwner.Load() == self {
				msg = fmt.Sprintf("%s drains holding lock(%s), in the footprint of pending entry %d", c.rt.Self(), d.handle, e.cookie)
				break
			}
		}
		if msg != "" {
			break
		}
	}
	c.async.mu.Unlock()
	if msg != "" {
		c.fail(InvNoSelfWait, "%s", msg)
	}
}
