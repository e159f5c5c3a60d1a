package model

import "fmt"

// A successful bind is complete only with its deferred-probe trigger
// (§7.2 step 6, §7.3 row "Probe → nil": bound, off the deferred lists,
// triggerCount++, work queued; §8 "any successful bind re-kicks every
// deferred device"). After EvBound the binding context owes a trigger: it
// may take the device off the deferred lists, and its next other event
// must be EvTrigger. Anything else first (its next probe, bind, API
// return, the end of its async entry) is an OUTCOME-MAPPING violation, as
// is a trigger still owed at Q1. Once the bind completes the device must
// be on neither deferred list (DEFER-LIST-EXCLUSIVE): no later event can
// put a bound device back on one (EvDeferAdd rejects it), so a device left
// on a list by its bind is caught here, at the step the bind completes.

// owedTrigger checks event ev of a context that may owe a trigger, and
// completes the bind when ev is that trigger.
func (c *Checker) owedTrigger(ev Event) *InvariantError {
	k := c.task(ev.Task)
	h := k.binding
	switch {
	case h == "":
		return nil
	case ev.Kind == EvDeferDel && ev.Dev == h:
		return nil
	case ev.Kind != EvTrigger:
		return violation("OUTCOME-MAPPING", "%s bound %s, then %s before its deferred-probe trigger", ev.Task, h, ev.Kind)
	}
	k.binding = ""
	if c.lists[h] != offLists {
		return violation("DEFER-LIST-EXCLUSIVE", "%s's bind completes with it on %s", h, c.lists[h])
	}
	return nil
}

// owedTriggers reports, in context order, every bind whose trigger is
// still owed at a quiescent point.
func (c *Checker) owedTriggers() []Violation {
	var out []Violation
	for _, t := range sortedKeys(c.tasks) {
		if h := c.tasks[t].binding; h != "" {
			out = append(out, Violation{"OUTCOME-MAPPING", h, fmt.Sprintf("bound by %s, which never triggered deferred probing", t)})
		}
	}
	return out
}
