// Package shrink turns counterexamples into durable artefacts: files that a
// person can read and diff, that replay to the same run, and that keep
// their meaning when the program or the core is edited.
//
// A counterexample File holds the core's configuration (bug variant,
// stress modes), the program (drivers, modules, faults, each client's
// operations), the schedule and what replaying it must give: the violated
// invariant and its step (or a pass) and the trace digest. Write renders a
// File as versioned text, one fact per line; Parse reads it back into an
// identical File, and rejects a bad file with one line that says which
// file, which line and what was expected: a missing or truncated file, a
// corrupt line, a file from a newer devstress, or a program this devstress
// can no longer express.
//
// The schedule is not the positional list of decisions a run took, which
// any edit of the program shifts. It is a set of switches keyed by where
// they happen: "when task client1 reaches its 1st Y-DEFER-ADD, switch to
// client2". A task is named by its name (client1, "attach a#1",
// deferred-worker, ...), not by its id; a point by the task's count of
// arrivals there. Every choice that no switch names makes the boring
// choice (keep the current task; when it blocks or exits, the lowest-id
// runnable task), and faults come from the program's fault plan, which is
// keyed the same way (the nth hit of a fault point).
//
// Record turns a failing Verdict from any source (rapid, a random walk, a
// fuzzer) into such a schedule; Reproduce finds a controlled run for a
// failure of the free runtime, which does not replay. A failure of the
// sequential executor (the model compared after every operation) has no
// schedule and says so ("executor sequential"). Replay runs a File and
// Check says whether the run still matches the file's expectation, with a
// diff when not. RegressionTest replays every file of a directory as a
// subtest, and holds each to its promise (a bug variant's file still
// fails on the variant and passes on the correct core; a correct core's
// failure stays red until fixed).
//
// Keep, in a test, makes every failure of a rapid property such a file:
// recorded, minimized, written under testdata/counterexamples/, reported
// once with the line that replays it. Export turns a File into a
// standalone Go test (explicit program and schedule, no rapid), so that a
// fix ships with its regression test.
//
// Minimize makes a counterexample File smaller, whatever found it: it
// edits the file (clients, operations, faults, drivers, modules, scripts,
// switches, stress modes) and keeps each candidate whose replay still
// fails with the same invariant, until no edit helps or a budget of
// replays is spent. The budget counts replays, not time, so a file
// minimizes to the same result on every machine.
package shrink
