package model

import (
	"slices"
	"sort"
)

// Snapshot is the comparable view of a state at a quiescent point (§14.8).
// The implementation exposes the same shape; a harness compares the two
// field by field.
type Snapshot struct {
	Devices      []DeviceSnap // every device ever created, sorted by Handle
	Drivers      []DriverSnap // listed drivers, in bus order
	Pending      []string     // device handles, list order
	Active       []string
	TriggerCount int
	ProbeCount   int
	DeferAll     bool
	Modules      []string // loaded modules, sorted
}

// DeviceSnap is one device in a Snapshot.
type DeviceSnap struct {
	Handle, Name, Parent string // Parent: parent handle or ""
	Phase                string // "Initialized","Adding","Registered","Deleted","AddFailed"
	OnBus, Dead, Bound   bool
	Driver               string // driver name or ""
	Refcount             int
	Holders              []string // sorted labels, one entry per reference held
	Released             bool     // release callback ran
	Devres               int      // entries still on the device
}

// DriverSnap is one listed driver in a Snapshot.
type DriverSnap struct {
	Name, State string   // "Registering","Registered","Unregistering","Unregistered"
	Bound       []string // device handles, sorted
}

// Snapshot returns the state's comparable view. Handles sort as strings
// ("a#10" before "a#2").
func (s *State) Snapshot() Snapshot {
	snap := Snapshot{
		Pending:      nonNil(slices.Clone(s.pending)),
		Active:       nonNil(slices.Clone(s.active)),
		TriggerCount: s.triggerCount,
		ProbeCount:   s.probeCount,
		DeferAll:     s.deferAll,
		Modules:      nonNil(s.LoadedModules()),
		Devices:      []DeviceSnap{},
		Drivers:      []DriverSnap{},
	}
	for _, h := range s.Handles() {
		d := s.devs[h]
		holders := slices.Clone(d.holders)
		sort.Strings(holders)
		snap.Devices = append(snap.Devices, DeviceSnap{
			Handle: d.handle, Name: d.name, Parent: d.parent,
			Phase: d.phase.String(),
			OnBus: d.onBus, Dead: d.dead, Bound: d.bound,
			Driver:   d.driver,
			Refcount: len(d.holders),
			Holders:  nonNil(holders),
			Released: d.released,
			Devres:   len(d.devres),
		})
	}
	for _, n := range s.drvOrder {
		rt := s.drvs[n]
		if !rt.listed {
			continue
		}
		bound := slices.Clone(rt.bound)
		sort.Strings(bound)
		snap.Drivers = append(snap.Drivers, DriverSnap{Name: n, State: rt.state.String(), Bound: nonNil(bound)})
	}
	return snap
}

// nonNil makes empty lists compare equal however they were built: a
// Snapshot never holds a nil slice.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ProbeRemoveCount counts the calls of one driver's Probe and Remove on one
// device (PROBE-REMOVE-PAIRING): Successes counts Probe calls that returned
// nil; each success must be followed by exactly one Remove.
type ProbeRemoveCount struct {
	Device, Driver             string
	Probes, Successes, Removes int
}

type pairKey struct{ dev, drv string }

func (s *State) pair(dev, drv string) *ProbeRemoveCount {
	k := pairKey{dev, drv}
	p := s.pairs[k]
	if p == nil {
		p = &ProbeRemoveCount{Device: dev, Driver: drv}
		s.pairs[k] = p
	}
	return p
}

// ProbeRemoveCounts returns the counters of every (device, driver) pair
// whose Probe was ever called, sorted by device, then driver.
func (s *State) ProbeRemoveCounts() []ProbeRemoveCount {
	out := make([]ProbeRemoveCount, 0, len(s.pairs))
	for _, p := range s.pairs {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Device != out[j].Device {
			return out[i].Device < out[j].Device
		}
		return out[i].Driver < out[j].Driver
	})
	return out
}
