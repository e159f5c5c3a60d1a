package properties

// The names of the failures the executors report themselves, from the
// runtime's errors, the sequential comparison with the model and the
// checks around teardown. The invariants the core and the model check are
// named by the constants of sut and model. A constant's doc comment states
// the oracle in the form "Name (§N, when): what holds.", as sut's do; it
// is the text Describe returns and a failure's report prints, which go
// generate copies into invariants_table.go.

// InvNoDeadlock (§15, S): the wait-for graph of the tasks stays acyclic,
// no task re-locks a device lock it holds, and the run never hangs.
const InvNoDeadlock = "NO-DEADLOCK"

// InvPanic (§0): the code under test never panics.
const InvPanic = "PANIC"

// InvRuntime (§0): the controlled runtime ends a run only for one of the
// reasons the other names report; any other error of the runtime is
// reported under this one.
const InvRuntime = "RUNTIME"

// InvModel (§12.3): the model's checker rejected an event without naming
// the invariant it breaks (Checker.Check promises to name one).
const InvModel = "MODEL"

// InvResultMismatch (§14.7): run one operation at a time, the
// implementation returns what the reference model returns for each
// operation.
const InvResultMismatch = "RESULT-MISMATCH"

// InvStateMismatch (§14.7): run one operation at a time, the
// implementation's state after each operation equals the reference
// model's.
const InvStateMismatch = "STATE-MISMATCH"

// InvQ2Quiescent (§14.8, Q2): after teardown the core closes cleanly, with
// no async entry pending and no deferred work queued.
const InvQ2Quiescent = "Q2-QUIESCENT"

// InvLeakedGoroutine (§14.8): no goroutine outlives the run once the core
// is closed.
const InvLeakedGoroutine = "LEAKED-GOROUTINE"

// InvStepBudget (§14.8): the run reaches quiescence and teardown within
// its step budget, rather than running forever.
const InvStepBudget = "STEP-BUDGET"
