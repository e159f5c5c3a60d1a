package properties

import "slices"

// teardown is the teardown task of spec §14.8, steps 1 to 6: it inherits
// the program tasks' labels, lets every blocked program task finish, drops
// every reference a program operation left, unloads modules, unregisters
// drivers and waits for probing and registration to settle. The caller then
// runs the runtime to quiescence (step 7, Q2).
func (w *world) teardown() {
	core := w.core
	core.UnblockProbing()
	w.openGates()
	w.done.Wait()
	for _, id := range w.ids {
		core.Inherit(id)
	}
	for _, c := range w.clients {
		for i := len(c.slots) - 1; i >= 0; i-- {
			c.release(c.slots[i])
		}
	}
	for _, c := range w.clients {
		c.dropLabels()
	}
	for _, m := range w.p.Modules {
		if w.shared.modules.held[m.Name] {
			_ = core.ModuleUnload(w.modules[m.Name])
		}
	}
	for _, name := range slices.Backward(core.ListedDrivers()) {
		if drv := w.driverByName(name); drv != nil {
			core.DriverUnregister(drv)
		}
	}
	core.WaitForDeviceProbe()
	core.AsyncSynchronizeDomain(core.RegDomain())
}

// openGates opens every gate of the program. Opening an open gate does
// nothing.
func (w *world) openGates() {
	for _, g := range GateNames {
		w.gates[g].Open()
	}
}
