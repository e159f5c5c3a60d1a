package sut

import (
	"strconv"
	"sync/atomic"
)

// ObjectKind says what a piece of simulated memory (§0) is: an EvFree
// reports the kind of the object freed in Event.Object, and names the
// object with the fields each kind lists.
type ObjectKind uint8

// The kinds of objects. ObjNone is the Object of every event but EvFree.
const (
	ObjNone          ObjectKind = iota // not an object
	ObjDevice                          // a device itself; Device
	ObjDevicePrivate                   // a device's private part; Device
	ObjDriverPriv                      // a driver's priv; Driver
	ObjOverride                        // a driver_override string; Device, Label: the string
	ObjDevres                          // a devres resource; Device, Label: the entry's label
	ObjModuleCode                      // a module's code; Module
)

// ObjectName returns the description of the object an EvFree reports, as
// the event's text shows it: "device a#1", "private part of a#1", "priv of
// driver A", `override "x" of a#1`, "devres Devres(a#1/1)" or "code of
// module m"; "" when Object is ObjNone.
func (e Event) ObjectName() string { return string(e.appendObjectName(nil)) }

// appendObjectName appends ObjectName's text to b.
func (e Event) appendObjectName(b []byte) []byte {
	switch e.Object {
	case ObjDevice:
		return append(append(b, "device "...), e.Device...)
	case ObjDevicePrivate:
		return append(append(b, "private part of "...), e.Device...)
	case ObjDriverPriv:
		return append(append(b, "priv of driver "...), e.Driver...)
	case ObjOverride:
		b = strconv.AppendQuote(append(b, "override "...), e.Label)
		return append(append(b, " of "...), e.Device...)
	case ObjDevres:
		return append(append(b, "devres "...), e.Label...)
	case ObjModuleCode:
		return append(append(b, "code of module "...), e.Module...)
	}
	return b
}

// object is a piece of simulated memory (§0): a device, its private part, a
// driver's priv, an override string, a devres resource or a module's code.
// Freeing poisons it; the core reaches objects only through access, which
// reports a poisoned one as NO-UAF, naming the step that freed it.
type object struct {
	name    Event // the EvFree that reports its free, but for Kind: Object and the fields naming it
	freed   atomic.Bool
	freedAt atomic.Int64
}

// alloc creates the object that name names (an Event with Object and the
// fields the kind lists) and records it for the NO-LEAK check at Q2.
func (c *Core) alloc(name Event) *object {
	return c.objects.add(func([]*object) *object { return &object{name: name} })
}

// what describes o for a violation: its ObjectName.
func (o *object) what() string { return o.name.ObjectName() }

// access reports op on o as NO-UAF if o was freed.
func (c *Core) access(o *object, op string) {
	if o.freed.Load() {
		c.fail(InvNoUAF, "%s %s %s, freed at step %d", c.rt.Self(), op, o.what(), o.freedAt.Load())
	}
}

// free poisons o. Freeing twice is a use-after-free of the first free.
func (c *Core) free(o *object) {
	if !o.freed.CompareAndSwap(false, true) {
		c.fail(InvNoUAF, "%s frees %s again, freed at step %d", c.rt.Self(), o.what(), o.freedAt.Load())
	}
	o.freedAt.Store(int64(c.rt.Step()))
	ev := o.name
	ev.Kind = EvFree
	c.emit(ev)
}

// freeDevice frees d's memory. Only d's release may do so
// (FREE-ONLY-IN-RELEASE); Bug H7a calls it from NewAndRegister.
func (c *Core) freeDevice(d *Device) {
	if !d.inRelease.Load() {
		c.fail(InvFreeOnlyInRelease, "%s frees %s outside its release (refcount %d)", c.rt.Self(), d.handle, d.refcount())
	}
	c.free(d.mem)
}
