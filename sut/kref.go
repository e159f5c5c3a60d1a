package sut

import "strings"

// get takes a reference on d for label, owned by who. A get at 0 does not
// revive d: it is NO-UAF.
func (c *Core) get(d *Device, label string, who owner) {
	if d == nil {
		return
	}
	if c.cfg.FineYields {
		c.rt.Yield("Y-REF")
	}
	var n int
	for {
		old := d.holders.Load()
		cur := *old
		if len(cur) == 0 {
			c.fail(InvNoUAF, "%s gets %s on %s at refcount 0, released at step %d",
				c.rt.Self(), label, d.handle, d.releasedAt.Load())
		}
		c.access(d.mem, "gets "+label+" on")
		next := make([]holder, len(cur), len(cur)+1)
		copy(next, cur)
		next = append(next, holder{label: label, owner: who, step: c.rt.Step(), task: c.rt.Self()})
		if d.holders.CompareAndSwap(old, &next) {
			n = len(next)
			break
		}
	}
	c.emit(Event{Kind: EvGet, Device: d.handle, Label: label, Count: n})
}

// put drops the reference label on d, charged to the context who. The put
// reaching 0 releases d.
func (c *Core) put(d *Device, label string, who owner) {
	if d == nil {
		return
	}
	if c.cfg.FineYields {
		c.rt.Yield("Y-REF")
	}
	var n int
	for {
		old := d.holders.Load()
		cur := *old
		if len(cur) == 0 {
			c.fail(InvRefNonneg, "%s puts %s on %s at refcount 0 (double put), released at step %d",
				c.rt.Self(), label, d.handle, d.releasedAt.Load())
		}
		c.access(d.mem, "puts "+label+" on")
		i := findHolder(cur, label, who)
		if i < 0 {
			c.fail(InvOwnership, "%s (%s) puts %s on %s, which is not held (holders: %s)",
				c.rt.Self(), who, label, d.handle, strings.Join(d.labels(), ", "))
		}
		if h := cur[i]; h.owner != anyOwner && h.owner != who {
			c.fail(InvOwnership, "%s (%s) puts %s on %s, owned by %s (taken by %s at step %d)",
				c.rt.Self(), who, label, d.handle, h.owner, h.task, h.step)
		}
		next := make([]holder, 0, len(cur)-1)
		next = append(append(next, cur[:i]...), cur[i+1:]...)
		if d.holders.CompareAndSwap(old, &next) {
			n = len(next)
			break
		}
	}
	c.emit(Event{Kind: EvPut, Device: d.handle, Label: label, Count: n})
	if n == 0 {
		c.release(d)
	}
}

// Get takes a reference on d for the calling task (label Task(T)). Get(nil)
// does nothing; a Get on a released device is NO-UAF.
func (c *Core) Get(d *Device) {
	c.call("Get", d, nil)
	c.get(d, taskLabel("Task", c.rt.Self()), c.self())
	c.ret("Get", nil)
}

// Put drops a Task reference of the calling task (its own, or one it
// inherited). Put(nil) does nothing.
func (c *Core) Put(d *Device) {
	c.call("Put", d, nil)
	if d != nil {
		c.put(d, c.taskLabelFor(d, "Task"), c.self())
	}
	c.ret("Put", nil)
}

// PutOwner drops the Owner reference, after a failed add or an add that
// never ran.
func (c *Core) PutOwner(d *Device) {
	c.call("PutOwner", d, nil)
	c.put(d, labelOwner, c.self())
	c.ret("PutOwner", nil)
}

// PutLookup drops the reference FindDevice returned.
func (c *Core) PutLookup(d *Device) {
	c.call("PutLookup", d, nil)
	if d != nil {
		c.put(d, c.taskLabelFor(d, "Lookup"), c.self())
	}
	c.ret("PutLookup", nil)
}

// taskLabelFor picks the label of kind ("Task" or "Lookup") that the
// calling task may put on d: its own, else one it inherited (Inherit), the
// lowest in sort order. When it holds none, its own label is returned, and
// the put reports OWNERSHIP.
func (c *Core) taskLabelFor(d *Device, kind string) string {
	own := taskLabel(kind, c.rt.Self())
	who := c.self()
	best := ""
	for _, h := range d.holderList() {
		if h.owner != who || !strings.HasPrefix(h.label, kind+"(") {
			continue
		}
		if h.label == own {
			return own
		}
		if best == "" || h.label < best {
			best = h.label
		}
	}
	if best == "" {
		return own
	}
	return best
}

// release runs when the count of d reaches 0 (device_release), at once or,
// with DelayedRelease, as a later task after its Y-RELEASE point.
func (c *Core) release(d *Device) {
	d.releasedAt.Store(int64(c.rt.Step()))
	if !c.cfg.DelayedRelease {
		c.doRelease(d)
		return
	}
	c.releasing.Add(1)
	c.rt.Go("release "+d.handle, func() {
		c.rt.Yield("Y-RELEASE")
		c.doRelease(d)
		c.releasing.Add(-1)
	})
}

// doRelease is device_release: release the remaining devres, call d's
// release callback, free the private part and the object. It is the only
// place a device is freed (FREE-ONLY-IN-RELEASE).
func (c *Core) doRelease(d *Device) {
	d.releases.Add(1)
	c.emit(Event{Kind: EvRelease, Device: d.handle})
	c.devresReleaseAll(d, false)
	d.inRelease.Store(true)
	if d.releaseFn != nil {
		d.releaseFn(d)
	}
	if p := d.priv.Load(); p != nil && !p.freed.Load() {
		c.free(p)
	}
	if s := d.override; s != nil {
		c.free(s.mem)
	}
	c.freeDevice(d)
}
