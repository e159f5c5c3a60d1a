// Package properties is where devstress comes together: programs of
// device-core operations, the executor that runs a program on the
// implementation under a runtime and a choice source, and the checks that
// judge the run.
//
// A [Program] is a value: drivers with match tables and probe scripts, an
// optional module, one to three client tasks of operations, and a fault
// plan. Package gen draws them with rapid
// ([github.com/devstress/devstress/properties/gen.Programs]) so that
// shrinking removes whatever a failure does not need. The client logic (the spec's preconditions and
// caller protocols) is written once against a backend and runs unchanged on
// the implementation (package sut) and on the reference model (package
// model).
//
// The search aims at what concurrency bugs need: two tasks doing
// conflicting things to the same object at the wrong moment. Programs are
// drawn swarm-style (half of them use only a few operation kinds); an
// operation on a device may reach it by name, usually one some client
// created, so clients meet on each other's devices; a program with
// several clients is often one client and copies of its last operations,
// so the same operations race; and gen's schedule
// ([github.com/devstress/devstress/properties/gen.Schedule]) places
// preemptions either sparsely at named points or densely at a fraction of them (see
// [rapidsched.New]). Missing clients run as idle tasks, so that shrinking a
// client away keeps the ids of the core's tasks, which preemptions name.
//
// Three executors share it:
//
//   - [Execute] runs a program under the controlled runtime with any
//     strategy (rapid's for the suites, gen's schedule) and checks, in
//     layers: the core's own instrumentation and the runtime's oracles
//     (deadlock, relock, panic, step budget) at every step; the model's
//     event-level checker on every event; the quiescence invariants at Q1;
//     the spec's teardown; the Q2 invariants; and that no goroutine
//     outlives the run.
//   - [ExecuteSequential] runs the first client alone, drains the core after
//     every operation in the model's order, and compares every result and
//     the whole state with the model's.
//   - [ExecuteFree] runs on real goroutines, for the race detector and
//     goleak.
//
// A [Verdict] carries the first failure, named after the violated
// invariant, with the program, the results and the interleaving as lanes;
// [Fatal] reports it to rapid with one call site per invariant, so that
// shrinking stays on the bug it found.
package properties
