package sut

import "sync/atomic"

// Module is a loadable module (§5.3, §14.3): Init registers Drivers in
// order, Exit unregisters them in reverse. A module is loaded at most once.
type Module struct {
	Name       string
	Drivers    []*Driver
	AsyncProbe bool // ModuleLoad does not wait for async probes

	loaded atomic.Bool
	used   atomic.Bool            // ModuleLoad was called
	code   atomic.Pointer[object] // the module's code while loaded
}

// ModuleLoad loads m (do_init_module): ErrExist if loaded, ErrInval if it
// was loaded before; Init's error is returned with m not loaded and no async
// wait. On success, unless m.AsyncProbe, it waits for every pending async
// entry of the registered domains (MODULE-LOAD-WAITS).
func (c *Core) ModuleLoad(m *Module) error {
	c.call("ModuleLoad", nil, nil)
	err := c.moduleLoad(m, c.self())
	c.ret("ModuleLoad", err)
	return err
}

func (c *Core) moduleLoad(m *Module, who owner) error {
	switch {
	case m == nil:
		return errorf(ErrInval, "module_load", "nil module")
	case m.loaded.Load():
		return errorf(ErrExist, "module_load", m.Name) // F-MOD-DUP
	case !m.used.CompareAndSwap(false, true):
		return errorf(ErrInval, "module_load", m.Name+" (loaded before)")
	}
	c.modules.add(func([]*Module) *Module { return m })
	code := c.alloc(Event{Object: ObjModuleCode, Module: m.Name})
	m.code.Store(code)
	for i, drv := range m.Drivers {
		if drv.Module == nil {
			drv.Module = m
		}
		if err := c.driverRegister(drv, who); err != nil {
			for j := i - 1; j >= 0; j-- {
				c.driverUnregister(m.Drivers[j], who)
			}
			c.free(code)
			return err
		}
	}
	m.loaded.Store(true)
	c.emit(Event{Kind: EvModule, Module: m.Name, Flag: true})
	if !m.AsyncProbe {
		c.asyncSyncFull(who)
	}
	return nil
}

// ModuleUnload unloads m: ErrInval if it is not loaded. Exit unregisters its
// drivers in reverse; the code is then freed, so a later call into one of
// its drivers' methods is NO-UAF.
func (c *Core) ModuleUnload(m *Module) error {
	c.call("ModuleUnload", nil, nil)
	var err error
	if m == nil || !m.loaded.Load() {
		err = errorf(ErrInval, "module_unload", "module not loaded") // F-MOD-ABSENT
	} else {
		who := c.self()
		for i := len(m.Drivers) - 1; i >= 0; i-- {
			c.driverUnregister(m.Drivers[i], who)
		}
		m.loaded.Store(false)
		c.free(m.code.Load())
		c.emit(Event{Kind: EvModule, Module: m.Name})
	}
	c.ret("ModuleUnload", err)
	return err
}
