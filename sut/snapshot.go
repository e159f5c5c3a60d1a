package sut

import "sort"

// Snapshot is the core's state at a quiescence checkpoint, in the shape the
// model exposes, for field-by-field comparison.
type Snapshot struct {
	Devices      []DeviceSnap // sorted by Handle
	Drivers      []DriverSnap // listed drivers, in bus order
	Pending      []string     // device handles, list order
	Active       []string
	TriggerCount int
	ProbeCount   int
	DeferAll     bool
	Modules      []string // loaded modules, sorted
}

// DeviceSnap is one device of a Snapshot.
type DeviceSnap struct {
	Handle, Name, Parent string // Parent: parent handle or ""
	Phase                string // "Initialized","Adding","Registered","Deleted","AddFailed"
	OnBus, Dead, Bound   bool
	Driver               string   // driver name or ""
	Refcount             int      // number of holders
	Holders              []string // sorted labels, one entry per reference held
	Released             bool
	Devres               int
}

// DriverSnap is one listed driver of a Snapshot.
type DriverSnap struct {
	Name, State string   // "Registering","Registered","Unregistering","Unregistered"
	Bound       []string // device handles, sorted
}

// Snapshot returns the current state. Call it when no task of the run is
// running (after Run returned): it reads without locks.
func (c *Core) Snapshot() Snapshot {
	s := Snapshot{
		TriggerCount: int(c.def.triggerCount.Load()),
		ProbeCount:   c.probeCount.Value(),
		DeferAll:     c.def.deferAll.Load(),
		Pending:      handles(c.def.pending),
		Active:       handles(c.def.active),
	}
	devs := append([]*Device(nil), c.devices.all()...)
	sort.Slice(devs, func(i, j int) bool { return devs[i].handle < devs[j].handle })
	for _, d := range devs {
		ds := DeviceSnap{
			Handle:   d.handle,
			Name:     d.name,
			Parent:   d.parent.h(),
			Phase:    d.phaseNow().String(),
			OnBus:    d.onBus,
			Dead:     d.dead.Load(),
			Bound:    d.bound.Load(),
			Driver:   d.driver.Load().n(),
			Refcount: d.refcount(),
			Holders:  d.labels(),
			Released: d.releases.Load() > 0,
			Devres:   len(d.devres),
		}
		s.Devices = append(s.Devices, ds)
	}
	for _, drv := range c.bus.drivers {
		s.Drivers = append(s.Drivers, DriverSnap{Name: drv.Name, State: drv.stateNow().String(), Bound: sortedHandles(drv.boundDevs)})
	}
	for _, m := range c.modules.all() {
		if m.loaded.Load() {
			s.Modules = append(s.Modules, m.Name)
		}
	}
	sort.Strings(s.Modules)
	return s
}

// handles returns the handles of ds, in order.
func handles(ds []*Device) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.handle)
	}
	return out
}

func sortedHandles(ds []*Device) []string {
	out := handles(ds)
	sort.Strings(out)
	return out
}
