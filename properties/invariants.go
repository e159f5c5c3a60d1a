package properties

// Invariant is a name a Failure can carry, with where the spec
// (docs/spec/device-core.md) defines it and what it means.
type Invariant struct {
	// Name is the Failure's Invariant: a §15 invariant (NO-UAF, ...), the
	// label DEVRES-NO-CYCLE, or an oracle of the runtime, the model or the
	// executor (PANIC, STATE-MISMATCH, ...).
	Name string
	// Section is the spec section that defines it, written as the spec
	// refers to its sections: "§15", "§14.8".
	Section string
	// Meaning is one sentence, written from the spec, saying what holds
	// when the invariant does.
	Meaning string
}

// invariants is the table behind Invariants and Meaning: the §15
// invariants in the spec's order, then the names the runtime, the model
// and the executor give the failures that are not §15 invariants.
var invariants = []Invariant{
	// §15, reference lifetime.
	{"REF-NONNEG", "§15", "A device's reference count never goes below 0: a put at 0 is a double put."},
	{"REL-ONCE", "§15", "A device's release runs only when its count goes from 1 to 0, and at most once (exactly once by teardown)."},
	{"NO-UAF", "§15", "After an object (a device, a driver's priv, an override string, module code) is released or freed, nothing reads, writes, locks, gets, puts, probes, removes or matches it."},
	{"FREE-ONLY-IN-RELEASE", "§15", "A device is freed only by its release callback, never by a raw free, even at count 1, after a failed add or after Unregister."},
	{"OWNERSHIP", "§15", "A device's count equals its number of holders, and every put drops a held label owned by the context that puts it."},
	{"NO-LEAK", "§15", "By teardown every device was released exactly once and every ledger resource and driver priv was freed."},
	{"DEVRES-NO-CYCLE", "§15", "No device is kept alive only by devres entries holding references to it, directly or through other devices' devres (reported under NO-LEAK)."},
	// §15, registration and deletion.
	{"ADD-ONCE", "§15", "DeviceAdd runs at most once per device, and never after DeviceDel."},
	{"DEL-ONCE", "§15", "DeviceDel is entered at most once per device, and dead goes from false to true at most once."},
	{"ADD-ERROR-NEUTRAL", "§15", "A failing DeviceAdd or DriverRegister undoes everything it did (labels, bus link, binding, deferral, async entries), and neither fails because of a probe."},
	{"ERROR-PROPAGATES", "§15", "Every injected registration failure reaches the caller that started the registration, and no (handle, error) function returns (nil, nil)."},
	// §15, binding.
	{"BIND-ONLY-LIVE", "§15", "A probe starts only on a registered, live device for a driver that is not gone, and no bind completes on a dead device or for a gone driver."},
	{"SINGLE-DRIVER", "§15", "At most one driver is bound to or probing a device, and its probe and remove never overlap."},
	{"PROBE-REMOVE-PAIRING", "§15", "Remove runs once for each successful probe, only after it, and before DeviceDel or DriverUnregister of the pair returns."},
	{"OUTCOME-MAPPING", "§15", "Every probe result has exactly the effects the outcome table (§7.3) gives it."},
	{"MANUAL-SYNC", "§15", "Outside driver callbacks, Bind, Unbind and Reprobe never schedule async work, and Bind never defers."},
	{"UNREGISTER-QUIESCES-DRIVER", "§15", "When DriverUnregister returns, no device is bound to the driver or waits for it asynchronously, and the driver is never called again."},
	{"DEL-QUIESCES-DEVICE", "§15", "When DeviceDel returns, the device is unbound and on no deferred list."},
	// §15, deferred probing.
	{"DEFER-LIST-EXCLUSIVE", "§15", "A device is on at most one of the Pending and Active lists, and on neither once it is bound, dead or failed to add."},
	{"NO-LOST-TRIGGER", "§15", "At quiescence every device on Pending that deferred in a probe started that probe after the last trigger, so no retry was missed."},
	{"DEFER-PROGRESS", "§15", "At quiescence no registered, live, unbound device on Pending would bind if it were probed now."},
	// §15, async and waiting.
	{"PROBECOUNT-BALANCED", "§15", "probeCount equals the number of tasks inside driver_probe_device, and is 0 at quiescence."},
	{"MODULE-LOAD-WAITS", "§15", "When a synchronous ModuleLoad returns, every registration entry scheduled before its Init returned has finished."},
	{"NO-SELF-WAIT", "§15", "No task waits for a drain that covers itself, for probeCount 0 from inside a probe, or for a drain while holding a lock a covered entry needs."},
	{"NO-DEADLOCK", "§15", "The wait-for graph of the tasks stays acyclic, no task re-locks a device lock it holds, and the run never hangs."},
	// §15, devres.
	{"DEVRES-SCOPE", "§15", "Probe-time devres entries exist only while their device is probing or bound, and no entry added before DeviceDel's devres step outlives it."},
	// Not §15: the executor, the model and the runtime.
	{"API-PRECONDITION", "§14.4", "The program called the core in a way the API cannot honour and has no error for (a nil device, Unregister of a device never registered)."},
	{"EVENT", "§12.3", "The core reported an event the model cannot accept in its state: a transition the spec does not allow."},
	{"RESULT-MISMATCH", "§14.7", "Run one operation at a time, the implementation returned what the reference model returns for each operation."},
	{"STATE-MISMATCH", "§14.7", "Run one operation at a time, the implementation's state after each operation equals the reference model's."},
	{"Q2-QUIESCENT", "§14.8", "After teardown the core closes cleanly: no async entry pending, no deferred work queued, no goroutine left."},
	{"LEAKED-GOROUTINE", "§14.8", "No goroutine outlives the run once the core is closed."},
	{"STEP-BUDGET", "§14.8", "The run reaches quiescence and teardown within its step budget, rather than running forever."},
	{"PANIC", "§0", "The code under test never panics."},
	{"RUNTIME", "§0", "The controlled runtime ends the run only for one of the reasons above; any other error of the runtime is reported here."},
}

// Invariants returns every name a Failure can carry, with its section and
// meaning: the §15 invariants in the spec's order, then the other
// oracles. The slice is a copy.
func Invariants() []Invariant {
	return append([]Invariant(nil), invariants...)
}

// Meaning returns the spec section and the one-sentence meaning of the
// invariant or oracle named name (a Failure's Invariant), and ok=false
// for a name devstress does not report.
func Meaning(name string) (section, text string, ok bool) {
	for _, inv := range invariants {
		if inv.Name == name {
			return inv.Section, inv.Meaning, true
		}
	}
	return "", "", false
}
