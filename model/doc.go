// Package model is devstress's reference model of the device core: a pure,
// sequential state machine written from the specification
// (docs/spec/device-core.md), never from the implementation. It imports
// only the standard library; in particular it shares no code with sut or
// sched, so that it can disagree with them.
//
// # Operation level
//
// A [State] holds everything the spec's §1 describes: devices with their
// holder labels, phases and bindings; drivers and their bound lists;
// modules; the deferred-probe lists and trigger count; the async layer's
// queue; the fault counters. [NewState] builds the initial state from a
// [Config], a catalogue of [Driver] values (with their match tables and
// probe/remove scripts, §14.2), the [Module] values and the fault plan
// ([Fault], §14.5).
//
// [State.Apply] runs one [Op] for the single client task T1 and returns the
// [Result] the client sees; [Step] is its pure form. After the operation,
// Apply drains the async work in the order of §14.7: queued entries in
// cookie order, each to completion, then the deferred worker, until
// quiescent. While the operation itself blocks (an async drain, a flush of
// the deferred work, Completion.Wait), other tasks run in the canonical
// order of §14.6: the oldest queued entry, else the deferred worker. With
// that the model predicts the implementation exactly when it runs one
// client and drains after each operation: results, bindings, references
// per holder, phases, deferred lists, counters.
//
// The model is the correct core: it has no Bug variants. Injected faults
// count hits exactly where §4, §5, §7 and §9 place them; F-ASYNC-SYNC counts
// every AsyncSchedule and runs the entry inline, as its own context.
//
// What the model cannot do sequentially it reports instead of guessing: a
// task waiting on a closed script gate gives Result.Blocked, an operation
// that does not terminate within [StepBudget] (a probe that binds a child
// and then defers re-triggers itself forever, in the kernel too) gives
// Result.Livelock, and a broken generator obligation gives Result.Invalid.
// A precondition checked on entry leaves the state unchanged; one broken
// inside a callback or an async entry, a gate wait and a livelock freeze
// the state ([State.Frozen]).
//
// # Handles and labels
//
// Devices are named by handle, "<name>#<k>", where k counts NewDevice calls
// with that name from 1 (script-created children included). Holder labels
// are spelled as the implementation spells them: Owner, Reg, AddTransient,
// ParentOf(<child>), Task(T<n>), Lookup(T<n>), Iterator(<ctx>),
// Detach(<ctx>), AsyncAttach(<cookie>), AsyncAttachParent(<cookie>),
// AsyncRegister(<cookie>),
// AsyncRegisterParent(<cookie>), AsyncUnregister(<cookie>), DeferredWorker,
// Devres(<device>/<k>) with k the 1-based sequence number of the devres
// entry on that device. Cookies start at 1 and count every AsyncSchedule,
// inline ones included; a label naming an entry uses the cookie that entry
// receives. Transient labels of code running outside a program task use
// the context names A<cookie> (an async entry) and W (the deferred worker);
// they never survive to a quiescent point.
//
// # Comparison and liveness
//
// [State.Snapshot] returns the [Snapshot] the harness compares field by
// field with the implementation's at quiescence. [State.ProbeRemoveCounts]
// gives the per-(device, driver) counters behind PROBE-REMOVE-PAIRING.
// [State.WouldBind] is the dry run of path A that DEFER-PROGRESS needs;
// [State.LivenessViolations], [State.Q1Violations] and
// [State.Q2Violations] evaluate the quiescent invariants of §15 that are
// properties of the model's own state.
//
// # Event level
//
// A [Checker] consumes the implementation's events ([Event], the
// vocabulary of §12.3) in the order they happened and rejects the first
// one that an S invariant of §15 forbids, with an [InvariantError] naming
// it; [Checker.Quiescent] adds the checkpoint invariants. The Checker keeps
// its own shadow state and needs no linearization. [State.Events] returns
// the events the model's own execution produces; the package's property
// test feeds them to a Checker on random programs, so the two levels are
// checked against each other.
//
// A State is a plain value: no goroutines, no locks, no randomness. It is
// not safe for concurrent use; [State.Clone] makes independent copies.
package model
