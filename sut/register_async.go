package sut

import (
	"fmt"

	"github.com/devstress/devstress/conc"
)

// Completion delivers the result of a RegisterAsync to its caller.
type Completion struct {
	core   *Core
	device string
	cookie int
	done   conc.Completion
	err    error // written before done completes
}

// Wait blocks until the registration job has run DeviceAdd and returns its
// error. The owner calls it once; on error it must PutOwner(d).
func (h *Completion) Wait() error {
	c := h.core
	c.emit(Event{Kind: EvCall, Label: "Wait", Device: h.device})
	h.done.Wait()
	c.ret("Wait", h.err)
	return h.err
}

// complete delivers err (J3).
func (h *Completion) complete(err error) {
	h.err = err
	h.core.emit(Event{Kind: EvComplete, Device: h.device, Count: h.cookie, Err: ErrName(err)})
	h.done.Complete()
}

// RegisterAsync registers an Initialized device asynchronously in RegDomain
// (the corrected nd_device_register, §11). The caller keeps its Owner
// reference; the error of DeviceAdd reaches it through the completion.
func (c *Core) RegisterAsync(d *Device) *Completion {
	c.call("RegisterAsync", d, nil)
	if d == nil {
		h := &Completion{core: c, done: c.rt.NewCompletion("register nil")}
		h.complete(errorf(ErrInval, "register_async", "nil device"))
		c.ret("RegisterAsync", nil)
		return h
	}
	cookie := c.nextCookie()
	h := &Completion{core: c, device: d.handle, cookie: cookie,
		done: c.rt.NewCompletion(fmt.Sprintf("register %d", cookie))}
	c.access(d.mem, "registers")
	// 1. References for the job.
	label := cookieLabel("AsyncRegister", cookie)
	parentLabel := cookieLabel("AsyncRegisterParent", cookie)
	who := entryOwner(cookie)
	c.get(d, label, who)
	c.get(d.parent, parentLabel, who)
	// 2. Schedule; the fallback may run the job inline.
	c.asyncSchedule(cookie, fmt.Sprintf("register %s", d.handle), c.async.reg, nil, func(who owner) {
		// J1: read the parent once, before any put.
		p := d.parent
		c.rt.Yield("Y-REG-JOB")
		// J2.
		err := c.deviceAddChecked(d, who)
		c.rt.Yield("Y-REG-JOB")
		if err != nil && c.cfg.Bug == BugH1 {
			// H1: the void nd_async_device_register drops the caller's
			// reference and reports nothing (4d88a97aa9e8).
			c.put(d, labelOwner, who)
			c.put(d, label, who)
			h.complete(nil)
			return
		}
		// J3.
		h.complete(err)
		c.rt.Yield("Y-REG-JOB")
		// J4.
		c.put(d, label, who)
		c.rt.Yield("Y-REG-JOB")
		// J5, through the cached parent.
		switch c.cfg.Bug {
		case BugH2:
			// H2: re-read d.parent after the final put (b6eae0f61db2).
			c.access(d.mem, "reads the parent of")
			c.put(d.parent, parentLabel, who)
		case BugH2b:
			// H2b: the parent put is skipped; the parent leaks.
		default:
			c.put(p, parentLabel, who)
		}
	})
	c.ret("RegisterAsync", nil)
	return h
}
