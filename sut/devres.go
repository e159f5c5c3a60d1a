package sut

import "fmt"

// Resource is what a program's DevresAdd attaches to a device (§10.2): a
// plain resource or a ref-holding action.
type Resource struct {
	ref *Device
}

// Plain is a plain managed resource, tracked in the object ledger.
func Plain() Resource { return Resource{} }

// Ref is an action holding a reference to target, taken when added and
// dropped when the action runs.
func Ref(target *Device) Resource { return Resource{ref: target} }

// devresEntry is one managed resource of a device.
type devresEntry struct {
	k         int    // 1-based index on the device
	label     string // Devres(<handle>/<k>)
	ref       *Device
	probeTime bool // added while the device had a driver
	mem       *object
}

// DevresAdd adds r to d (§10.2). A program call on a device that is not
// Registered, or is dead, is skipped; the test is made under d's devres
// lock, in the same step as the append (§14.4), so an entry is either added
// before DeviceDel's devres step or not at all. So is a call that lands
// while a probe failure or an unbind is releasing d's probe-time entries
// (between the release and driver := nil): an entry added there would
// outlive the driver it was tagged for (DEVRES-SCOPE).
func (c *Core) DevresAdd(d *Device, r Resource) {
	c.call("DevresAdd", d, nil)
	c.checkDevice(d, "adds devres to")
	c.devresAppend(d, c.taker(r.ref), true)
	c.ret("DevresAdd", nil)
}

// devresAdd appends an entry to d for its driver (inside Probe or Remove):
// plain when target is nil, else holding a reference to target.
func (c *Core) devresAdd(d, target *Device) {
	c.devresAppend(d, c.taker(target), false)
}

// taker returns the function that takes a devres entry's reference on
// target, or nil for a plain entry.
func (c *Core) taker(target *Device) func(string) *Device {
	if target == nil {
		return nil
	}
	return func(label string) *Device {
		c.get(target, label, anyOwner)
		return target
	}
}

// devresAddNamed appends to d an entry holding a reference to the device
// that claims name; nothing if none does.
func (c *Core) devresAddNamed(d *Device, name string) {
	c.devresAppend(d, func(label string) *Device { return c.claimedDevice(name, label, anyOwner) }, false)
}

// devresAppend adds an entry to d under its devres lock. take, if set, takes
// the entry's reference under the given label and returns its target, or nil
// to skip the entry. A program call (program) is skipped unless d is
// Registered, live and not releasing its probe-time entries.
func (c *Core) devresAppend(d *Device, take func(label string) *Device, program bool) {
	d.devresMu.Lock()
	if program && (d.phaseNow() != PhaseRegistered || d.dead.Load() || d.devresClosing.Load()) {
		d.devresMu.Unlock()
		return
	}
	k := d.devresSeq + 1
	e := &devresEntry{k: k, label: fmt.Sprintf("Devres(%s/%d)", d.handle, k), probeTime: d.driver.Load() != nil}
	if take != nil {
		if e.ref = take(e.label); e.ref == nil {
			d.devresMu.Unlock()
			return
		}
	}
	d.devresSeq = k
	e.mem = c.alloc(Event{Object: ObjDevres, Device: d.handle, Label: e.label})
	d.devres = append(d.devres, e)
	d.devresMu.Unlock()
	c.emit(Event{Kind: EvDevresAdd, Device: d.handle, Label: e.label, Flag: e.probeTime})
}

// devresReleaseAll releases d's entries last first: all of them, or only the
// probe-time ones (probe failure, unbind). Entries run outside the lock.
func (c *Core) devresReleaseAll(d *Device, probeOnly bool) {
	d.devresMu.Lock()
	if probeOnly {
		d.devresClosing.Store(true) // until driver := nil
	}
	var run, keep []*devresEntry
	for _, e := range d.devres {
		if probeOnly && !e.probeTime {
			keep = append(keep, e)
		} else {
			run = append(run, e)
		}
	}
	d.devres = keep
	d.devresMu.Unlock()
	for i := len(run) - 1; i >= 0; i-- {
		e := run[i]
		c.emit(Event{Kind: EvDevresRelease, Device: d.handle, Label: e.label})
		c.free(e.mem)
		c.put(e.ref, e.label, anyOwner)
	}
}

// devresCount returns the number of entries on d.
func (c *Core) devresCount(d *Device) int {
	d.devresMu.Lock()
	n := len(d.devres)
	d.devresMu.Unlock()
	return n
}

// devresMark returns the index of d's last entry so far.
func (c *Core) devresMark(d *Device) int {
	d.devresMu.Lock()
	k := d.devresSeq
	d.devresMu.Unlock()
	return k
}

// devresOlderThan returns the first entry of d with index <= mark, or nil.
func (c *Core) devresOlderThan(d *Device, mark int) *devresEntry {
	d.devresMu.Lock()
	defer d.devresMu.Unlock()
	for _, e := range d.devres {
		if e.k <= mark {
			return e
		}
	}
	return nil
}

// devresUse touches d's probe-time entries (a Remove script's UseDevres):
// an entry released before Remove would be NO-UAF.
func (c *Core) devresUse(d *Device) {
	d.devresMu.Lock()
	entries := append([]*devresEntry(nil), d.devres...)
	d.devresMu.Unlock()
	for _, e := range entries {
		if e.probeTime {
			c.access(e.mem, "uses")
		}
	}
}
