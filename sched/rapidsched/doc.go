// Package rapidsched is the schedule strategy that draws from rapid: every
// choice of a controlled run ([sched.Controlled]) comes from a *rapid.T, so
// that rapid shrinks the schedule and the decisions together with whatever
// else a property draws, and replays them from its seed.
//
// It is a package of its own so that only what uses it links rapid (and
// rapid's test flags): package sched, the engines and the other
// strategies, link the standard library, package conc and a goroutine-id
// library only.
//
//	rapid.Check(t, func(rt *rapid.T) {
//		c := sched.NewControlled(rapidsched.New(rt))
//		defer c.Close()
//		// spawn the tasks on c, c.Run(), check the result
//	})
//
// Package check wraps that loop, with sizing, shrinking, counterexample
// files and the free runtime under -race.
package rapidsched
