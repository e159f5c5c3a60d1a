package sut

import (
	"fmt"
	"sort"

	"github.com/devstress/devstress/conc"
)

// owner is an owning context (§2): the task or async entry that alone may
// put a label. An entry run inline by the synchronous fallback is still its
// own context, so owners are passed down the call chain, not derived from
// the running task.
type owner struct {
	task  conc.TaskID
	entry int // async cookie; 0 for a task
}

// anyOwner marks labels whose owning context is whoever runs the step that
// drops them (Reg, ParentOf, Devres: §2).
var anyOwner = owner{task: -1}

func taskOwner(t conc.TaskID) owner { return owner{task: t} }
func entryOwner(cookie int) owner   { return owner{entry: cookie} }

func (o owner) String() string {
	switch {
	case o == anyOwner:
		return "any"
	case o.entry > 0:
		return fmt.Sprintf("entry %d", o.entry)
	}
	return o.task.String()
}

// self is the owning context of the calling program task.
func (c *Core) self() owner { return taskOwner(c.rt.Self()) }

// holder is one reference in a device's ledger.
type holder struct {
	label string
	owner owner
	step  int         // rt.Step() of the get
	task  conc.TaskID // the task that took it
}

// The holder labels of §2.
const (
	labelOwner        = "Owner"
	labelReg          = "Reg"
	labelAddTransient = "AddTransient"
	labelWorker       = "DeferredWorker"
)

func taskLabel(kind string, t conc.TaskID) string { return kind + "(" + t.String() + ")" }
func cookieLabel(kind string, cookie int) string  { return fmt.Sprintf("%s(%d)", kind, cookie) }

// holderList returns d's ledger; callers must not modify it.
func (d *Device) holderList() []holder {
	if p := d.holders.Load(); p != nil {
		return *p
	}
	return nil
}

// refcount is the kref count: the number of holders.
func (d *Device) refcount() int { return len(d.holderList()) }

// labels returns d's holder labels, sorted.
func (d *Device) labels() []string {
	hs := d.holderList()
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.label
	}
	sort.Strings(out)
	return out
}

// findHolder returns the index of a holder of label, preferring one owned by
// who; -1 if label is not held.
func findHolder(hs []holder, label string, who owner) int {
	found := -1
	for i, h := range hs {
		if h.label != label {
			continue
		}
		if h.owner == who || h.owner == anyOwner {
			return i
		}
		if found < 0 {
			found = i
		}
	}
	return found
}

// relabel replaces d's label from by to, owned by who, without changing
// the count: DeviceAdd step 5 (Owner becomes Reg).
func (c *Core) relabel(d *Device, from, to string, who owner) {
	for {
		old := d.holders.Load()
		cur := *old
		i := findHolder(cur, from, who)
		if i < 0 {
			c.fail(InvOwnership, "%s turns %s on %s into %s, but %s is not held", c.rt.Self(), from, d.handle, to, from)
		}
		next := append([]holder(nil), cur...)
		next[i] = holder{label: to, owner: who, step: c.rt.Step(), task: c.rt.Self()}
		if d.holders.CompareAndSwap(old, &next) {
			break
		}
	}
	c.emit(Event{Kind: EvRelabel, Device: d.handle, Label: from, To: to})
}

// Inherit makes the calling task the owning context of every label owned by
// task from (§14.8: the teardown task inherits the program tasks' labels).
// Labels keep their text: Put and PutLookup by the caller then drop the
// inherited Task(from) and Lookup(from) labels.
func (c *Core) Inherit(from conc.TaskID) {
	to, src := c.self(), taskOwner(from)
	for _, d := range c.devices.all() {
		for {
			old := d.holders.Load()
			next := append([]holder(nil), *old...)
			changed := false
			for i := range next {
				if next[i].owner == src {
					next[i].owner, changed = to, true
				}
			}
			if !changed || d.holders.CompareAndSwap(old, &next) {
				break
			}
		}
	}
}
