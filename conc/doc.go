// Package conc is what concurrent code under test uses instead of the go
// statement, the sync package and ad-hoc randomness: the [Runtime]
// interface, its primitives ([Mutex], [Completion], [Counter]), [TaskID]
// and [Event]. It depends on the standard library only, so code under
// test that imports it links no engine, no strategy and no test
// framework.
//
// The runtimes that implement it, and the strategies that drive them,
// are in package sched (sched.Controlled, sched.Free, sched.RandomWalk,
// ...) and its subpackage rapidsched, which tests import; sched's names
// for these types are aliases of these.
//
// The controlled runtime switches tasks only at Yield, at Lock and at the
// waits: put a Yield between a read of shared state and the write that
// depends on it. A data race between two such points is invisible to it;
// the free runtime under go test -race sees it.
package conc
