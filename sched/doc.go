// Package sched is a controlled, replayable runtime for concurrent Go code.
//
// Code under test is written against [Runtime] instead of the go statement,
// the sync package and ad-hoc randomness: it spawns tasks with Go, marks
// yield points with Yield, locks [Mutex]es, waits on [Completion]s and
// [Counter]s, asks for fault and fallback decisions with Decide (0 is always
// the boring answer) and reports its commit points with Emit.
//
// Two runtimes implement it. [Controlled] runs exactly one task at a time
// and lets a [Strategy] choose the next task at every scheduling point and
// the answer to every decision; it reports deadlocks, relocks, panics and
// livelocks as errors instead of hanging, records a [Trace] of every step,
// and gives the same trace for the same program and decisions. [Free] runs
// real goroutines, where the race detector and goleak can see what the
// serialized controlled runtime hides.
//
// Strategies, one file each:
//
//   - rapidsched.New, in package [github.com/devstress/devstress/sched/rapidsched]:
//     draws from a *rapid.T, so rapid shrinks schedules and faults together
//     with the program; a package of its own, so that sched links neither
//     rapid nor package testing;
//   - [Bytes]: one byte per decision, for go test -fuzz;
//   - [Replay]: a recorded decision list, checked against the run;
//   - [RandomWalk] and [PCT]: seeded random schedules, PCT with its
//     probabilistic guarantee; [NewPCTSearch]: PCT over many runs,
//     learning the run length instead of being told it;
//   - [NewExhaustive]: every schedule up to a preemption bound, or a delay
//     bound for programs of many tasks ([CountDelays]), within an optional
//     budget ([ExhaustiveBudget]);
//   - [WithFaults]: a fault plan on top of any of them.
//
// Every decision a controlled run takes is recorded ([Controlled.Decisions]);
// replaying them reproduces the run, trace for trace.
package sched
