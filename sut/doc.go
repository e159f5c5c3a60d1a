// Package sut is the device core under test: a compact, concurrent Go
// rendering of a Linux-like driver core (docs/spec/device-core.md), written only
// against [conc.Runtime] so that a controlled scheduler can choose every
// interleaving and every injected fault.
//
// The core has one bus with ordered device and driver lists, devices with
// krefs and release callbacks, drivers whose Match, Probe and Remove are
// scripts (§14.2), modules, the four attach paths (device add, driver
// register, deferred retry, manual bind), the async layer with its
// synchronous fallback, deferred probing with the trigger counter, devres,
// kill-gated unregistration and the corrected asynchronous registration of
// libnvdimm (§11).
//
// # Instrumentation
//
// Lifetime is checked, not assumed. Every reference carries a holder label
// and an owning context (a task or an async entry) in a ledger on the device;
// devices, private parts, driver priv, override strings, devres resources and
// module code are simulated memory that is poisoned when freed, and the core
// reaches them only through accessors that report a poisoned object. A broken
// invariant stops the run with rt.Fail(*Violation) at the step it happens; a
// use-after-free names the step that freed the object. Commit points are
// reported as [Event] values through rt.Emit, so a reference model can judge
// concurrent runs, and [Core.Snapshot], [Core.CheckQuiescent] and
// [Core.CheckTeardown] serve the quiescence checkpoints Q1 and Q2.
//
// # Historical bugs
//
// Config.Bug selects one seeded mutant of the spec's §16 list. Each is one
// small branch `if c.cfg.Bug == BugHx` next to the correct code; the zero
// Config is the correct core.
//
// # Rules of the code
//
// No go statement, no sync.Mutex or WaitGroup, no math/rand and no time: tasks
// are spawned with rt.Go, locks are rt.NewMutex (acquiring one is the spec's
// Y-LOCK point), waits are rt counters, completions and gates (each wait is a
// Y-BLOCK point). sync/atomic holds the fields the spec reads outside their
// lock and the instrumentation (ledger, poison flags, registries), which must
// not add scheduling points of its own.
package sut
