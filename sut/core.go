package sut

import (
	"errors"

	"github.com/devstress/devstress/conc"
)

// Core is the device core: one bus, its devices, drivers and modules, the
// deferred-probe machinery and the async layer, with the instrumentation.
// Every method must be called from a task of its runtime, except Snapshot,
// CheckQuiescent and CheckTeardown, which are called when no task runs.
type Core struct {
	rt  conc.Runtime
	cfg Config

	bus        bus
	def        deferredProbe
	async      asyncLayer
	probeCount conc.Counter // tasks inside driver_probe_device
	releasing  conc.Counter // DelayedRelease tasks not yet finished

	// instrumentation registries
	devices registry[*Device]
	objects registry[*object]
	drivers registry[*Driver]
	modules registry[*Module]
}

// New returns a core running on rt.
func New(rt conc.Runtime, cfg Config) *Core {
	c := &Core{rt: rt, cfg: cfg}
	c.bus = bus{mu: rt.NewMutex("bus"), names: map[string]*Device{}}
	c.def = deferredProbe{mu: rt.NewMutex("deferred"), work: rt.NewCounter("deferred-work")}
	c.async = asyncLayer{mu: rt.NewMutex("async"), full: rt.NewCounter("async:full")}
	c.async.def = c.newDomain(DomainDefault, false)
	c.async.reg = c.newDomain(DomainReg, true)
	c.probeCount = rt.NewCounter("probe-count")
	c.releasing = rt.NewCounter("releasing")
	return c
}

// fault asks the runtime whether the injected fault at point fires
// (Decide(point, 2) == 1) and reports a hit.
func (c *Core) fault(point string) bool {
	if c.rt.Decide(point, 2) != 1 {
		return false
	}
	c.emit(Event{Kind: EvFault, Label: point})
	return true
}

// ErrOutstanding is returned by Close called outside a task while work is
// still pending: only a task can wait for it.
var ErrOutstanding = errors.New("sut: Close outside a task with async entries, deferred work or releases outstanding")

// Close drains the async entries of every domain, the deferred worker and
// the delayed releases, so that no task of the core outlives it. Called
// outside a task (after Run returned), it cannot wait and returns
// ErrOutstanding if anything is left.
func (c *Core) Close() error {
	if c.rt.Self() == conc.NoTask {
		if c.async.full.Value()+c.async.reg.pending.Value()+c.def.work.Value()+c.releasing.Value() > 0 {
			return ErrOutstanding
		}
		return nil
	}
	who := c.self()
	for {
		c.asyncSyncFull(who)
		c.asyncSyncDomain(c.async.reg, who)
		c.def.work.Wait()
		c.releasing.Wait()
		if c.async.full.Value()+c.async.reg.pending.Value()+c.def.work.Value()+c.releasing.Value() == 0 {
			return nil
		}
	}
}
