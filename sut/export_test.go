package sut

import "slices"

// What the external tests (package sut_test) read of a device's internal
// state, exported to them only. Each reads the field without its lock: call
// it from the task that owns the device, or at Q1 when no task runs.

// DeviceBound reports d.bound.
func DeviceBound(d *Device) bool { return d.bound.Load() }

// DeviceLabels is the device's ledger: its holder labels, sorted.
func DeviceLabels(d *Device) []string { return d.labels() }

// DevicePhase is d's phase.
func DevicePhase(d *Device) Phase { return d.phaseNow() }

// DeviceHasDriver reports whether d.driver is set.
func DeviceHasDriver(d *Device) bool { return d.driver.Load() != nil }

// DeviceHasProbeTimeDevres reports whether a devres entry of d is tagged
// probe-time.
func DeviceHasProbeTimeDevres(d *Device) bool {
	return slices.ContainsFunc(d.devres, func(e *devresEntry) bool { return e.probeTime })
}
