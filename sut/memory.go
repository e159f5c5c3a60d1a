package sut

import (
	"sync/atomic"
)

// object is a piece of simulated memory (§0): a device, its private part, a
// driver's priv, an override string, a devres resource or a module's code.
// Freeing poisons it; the core reaches objects only through access, which
// reports a poisoned one as NO-UAF, naming the step that freed it.
type object struct {
	what    string // "device d#1", "priv of driver A", ...
	freed   atomic.Bool
	freedAt atomic.Int64
}

// alloc creates an object and records it for the NO-LEAK check at Q2.
func (c *Core) alloc(what string) *object {
	return c.objects.add(func([]*object) *object { return &object{what: what} })
}

// access reports op on o as NO-UAF if o was freed.
func (c *Core) access(o *object, op string) {
	if o.freed.Load() {
		c.fail(InvNoUAF, "%s %s %s, freed at step %d", c.rt.Self(), op, o.what, o.freedAt.Load())
	}
}

// free poisons o. Freeing twice is a use-after-free of the first free.
func (c *Core) free(o *object) {
	if !o.freed.CompareAndSwap(false, true) {
		c.fail(InvNoUAF, "%s frees %s again, freed at step %d", c.rt.Self(), o.what, o.freedAt.Load())
	}
	o.freedAt.Store(int64(c.rt.Step()))
	c.emit(Event{Kind: EvFree, Label: o.what})
}

// freeDevice frees d's memory. Only d's release may do so
// (FREE-ONLY-IN-RELEASE); Bug H7a calls it from NewAndRegister.
func (c *Core) freeDevice(d *Device) {
	if !d.inRelease.Load() {
		c.fail(InvFreeOnlyInRelease, "%s frees %s outside its release (refcount %d)", c.rt.Self(), d.handle, d.refcount())
	}
	c.free(d.mem)
}
