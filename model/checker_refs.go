package model

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The Checker's reference and object-lifetime rules (§2, §15 REF-NONNEG,
// REL-ONCE, NO-UAF, FREE-ONLY-IN-RELEASE, OWNERSHIP): a device is created
// with its Owner reference, each Get adds a holder and each Put drops one
// that its owner context holds, the release callback runs once when the
// count reaches 0, and an object is freed once, a device only inside its
// release. At Q2 every device must have been released and freed (NO-LEAK,
// DEVRES-NO-CYCLE).

// refState is the shadow state only the reference rules use.
type refState struct {
	objs map[string]bool // non-device objects freed
}

// cholder is one reference to a device: its label and the context that
// took it.
type cholder struct{ label, taker string }

// teardownCtx is the teardown task, which inherits the program tasks'
// labels (§14.8).
const teardownCtx = "TD"

// checkRefs checks an event of the reference family: EvNewDevice, EvGet,
// EvPut, EvRelabel, EvRelease, EvFree or EvAccess.
func (c *Checker) checkRefs(ev Event) *InvariantError {
	switch ev.Kind {
	case EvNewDevice:
		if _, dup := c.devs[ev.Device]; dup {
			return violation(InvAddOnce, "%s created twice", ev.Device)
		}
		c.devs[ev.Device] = &cdev{handle: ev.Device, parent: ev.Parent, owner: ev.Task,
			holders: []cholder{{LabelOwner, ev.Task}}}
	case EvGet:
		return c.get(ev)
	case EvPut:
		return c.put(ev)
	case EvRelabel:
		return c.relabel(ev)
	case EvRelease:
		return c.release(ev)
	case EvFree:
		return c.free(ev.Obj)
	case EvAccess:
		if d := c.devs[ev.Obj]; d != nil && d.freed || c.objs[ev.Obj] {
			return violation(invNoUAF, "%s accesses %s after it was freed", ev.Task, ev.Obj)
		}
	}
	return nil
}

// get records the reference ev.Label that ev.Task takes on ev.Device, which
// must still be counted.
func (c *Checker) get(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	if d.zeroed || len(d.holders) == 0 {
		return violation(invNoUAF, "get %s on %s at refcount 0", ev.Label, ev.Device)
	}
	d.holders = append(d.holders, cholder{ev.Label, ev.Task})
	return nil
}

// put drops the reference ev.Label on ev.Device: it must be held, and ev.Task
// must be the context that owns it (or the teardown task).
func (c *Checker) put(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	if d.zeroed || len(d.holders) == 0 {
		return violation(invRefNonneg, "put %s on %s at refcount 0", ev.Label, ev.Device)
	}
	i := d.holder(ev.Label)
	if i < 0 {
		return violation(invOwnership, "%s puts %s on %s, which holds %s", ev.Task, ev.Label, ev.Device, d.labels())
	}
	if owner := labelOwner(ev.Label, d.holders[i].taker); owner != "" && owner != ev.Task && ev.Task != teardownCtx {
		return violation(invOwnership, "%s puts %s on %s, owned by %s", ev.Task, ev.Label, ev.Device, owner)
	}
	d.holders = slices.Delete(d.holders, i, i+1)
	if len(d.holders) == 0 {
		d.zeroed = true
	}
	return nil
}

// relabel gives a reference ev.Label held on ev.Device the label ev.To, taken
// by ev.Task.
func (c *Checker) relabel(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	i := d.holder(ev.Label)
	if i < 0 {
		return violation(invOwnership, "%s relabels %s on %s, which holds %s", ev.Task, ev.Label, ev.Device, d.labels())
	}
	d.holders[i] = cholder{ev.To, ev.Task}
	return nil
}

// release records that ev.Device's release callback runs: once, after its
// count reached 0.
func (c *Checker) release(ev Event) *InvariantError {
	d, v := c.device(ev.Device)
	if v != nil {
		return v
	}
	if !d.zeroed || d.released {
		return violation(invRelOnce, "release of %s (count reached 0: %v, released before: %v)", ev.Device, d.zeroed, d.released)
	}
	d.released = true
	return nil
}

// free records that object obj is freed: once, and a device only after
// its release callback ran.
func (c *Checker) free(obj string) *InvariantError {
	if d := c.devs[obj]; d != nil {
		if d.freed {
			return violation(invNoUAF, "%s freed twice", obj)
		}
		if !d.released {
			return violation(invFreeOnlyInRelease, "%s freed outside its release (holders %s)", obj, d.labels())
		}
		d.freed = true
		return nil
	}
	if c.objs[obj] {
		return violation(invNoUAF, "%s freed twice", obj)
	}
	c.objs[obj] = true
	return nil
}

// holder returns the index of a reference labelled label on d, or -1.
func (d *cdev) holder(label string) int {
	return slices.IndexFunc(d.holders, func(h cholder) bool { return h.label == label })
}

// holderLabels returns the labels of d's references, in holder order.
func (d *cdev) holderLabels() []string {
	ls := make([]string, len(d.holders))
	for i, h := range d.holders {
		ls[i] = h.label
	}
	return ls
}

// labels renders d's reference labels sorted, as "[a b]".
func (d *cdev) labels() string {
	ls := d.holderLabels()
	sort.Strings(ls)
	return "[" + strings.Join(ls, " ") + "]"
}

// labelOwner returns the context that must put label (§2), or "" when any
// context may: taker is the context that took it.
func labelOwner(label, taker string) string {
	open, close := strings.IndexByte(label, '('), strings.LastIndexByte(label, ')')
	if open < 0 || close < open {
		switch label {
		case LabelOwner, LabelAddTransient:
			return taker
		case LabelDeferredWorker:
			return workerCtx
		}
		return "" // Reg: whoever completes DeviceDel
	}
	arg := label[open+1 : close]
	switch label[:open] {
	case "Task", "Lookup", "Iterator", "Detach":
		return arg
	case "AsyncAttach", "AsyncAttachParent", "AsyncRegister", "AsyncRegisterParent", "AsyncUnregister":
		if n, err := strconv.Atoi(arg); err == nil {
			return entryCtx(n)
		}
	}
	return "" // ParentOf, Devres: the task running the del or the devres action
}

// leaks evaluates NO-LEAK at Q2, in handle order: every device was
// released and freed. A device whose only references left are devres
// references is DEVRES-NO-CYCLE.
func (c *Checker) leaks() []Violation {
	var out []Violation
	for _, h := range sortedKeys(c.devs) {
		d := c.devs[h]
		if d.released && d.freed {
			continue
		}
		out = append(out, leakViolation(h, d.holderLabels(), d.labels()))
	}
	return out
}
