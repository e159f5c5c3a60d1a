package model

import "strconv"

// The Checker's async-entry and module-load rules (§9, §11, §15
// MANUAL-SYNC, MODULE-LOAD-WAITS): a manual Bind, Unbind or Reprobe
// schedules no async entry outside a driver callback, and a successful
// ModuleLoad of a module without AsyncProbe returns only after every
// registered-domain entry scheduled before its Init returned has finished
// (its drain covers neither RegDomain nor inline entries).
// At Q2 every entry has finished (NO-LEAK).

// asyncState is the shadow state only the async rules use.
type asyncState struct {
	entries   map[int]*centry
	initAt    map[string]int // module → schedule events seen when its Init returned
	scheduled int            // schedule events seen
	cookie    int            // highest cookie seen
}

// centry is what the Checker knows of one async entry.
type centry struct {
	// global: in the global domain (what AsyncSynchronizeFull drains,
	// §9), not RegDomain. ended: its fn returned.
	global, ended bool
	// inline: the synchronous fallback ran fn in the caller (§9): not on
	// the pending list, so no drain waits for it. seq: the entry's place
	// among the schedule events, in event order (cookies may be issued out
	// of it).
	inline bool
	seq    int
}

// checkAsync checks an event of the async family: EvSchedule,
// EvEntryStart, EvEntryEnd or EvInitDone.
func (c *Checker) checkAsync(ev Event) *InvariantError {
	switch ev.Kind {
	case EvSchedule:
		return c.schedule(ev)
	case EvEntryEnd:
		if e := c.entries[ev.Cookie]; e != nil {
			e.ended = true
		}
	case EvInitDone:
		c.initAt[ev.Module] = c.scheduled
	}
	return nil // EvEntryStart: nothing to check
}

// schedule records the async entry ev.Cookie (registration domain unless
// ev.Flag, run inline if ev.Inline) that ev.Task schedules.
func (c *Checker) schedule(ev Event) *InvariantError {
	if op := c.manual(c.task(ev.Task)); op != "" {
		return violation(InvManualSync, "%s called AsyncSchedule outside a driver callback", op)
	}
	if ev.Cookie > c.cookie {
		c.cookie = ev.Cookie
	}
	c.scheduled++
	c.entries[ev.Cookie] = &centry{global: !ev.Flag, inline: ev.Inline, seq: c.scheduled}
	return nil
}

// moduleLoadReturn checks MODULE-LOAD-WAITS when op returns err.
func (c *Checker) moduleLoadReturn(op ModuleLoad, err error) *InvariantError {
	m, known := c.modules[op.Module]
	issued, done := c.initAt[op.Module]
	if err != nil || !known || m.AsyncProbe || !done {
		return nil
	}
	for n := 1; n <= c.cookie; n++ {
		if e := c.entries[n]; e != nil && e.global && !e.inline && e.seq <= issued && !e.ended {
			return violation(InvModuleLoadWaits, "ModuleLoad(%s) returned with entry %d pending", op.Module, n)
		}
	}
	return nil
}

// unfinishedEntries evaluates NO-LEAK for async entries at Q2, in cookie
// order: every entry scheduled has finished.
func (c *Checker) unfinishedEntries() []Violation {
	var out []Violation
	for n := 1; n <= c.cookie; n++ {
		if e := c.entries[n]; e != nil && !e.ended {
			out = append(out, Violation{invNoLeak, "entry " + strconv.Itoa(n), "async entry never finished"})
		}
	}
	return out
}
