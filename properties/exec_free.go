package properties

import (
	"errors"
	"runtime"

	"github.com/devstress/devstress/sched"
)

// ExecuteFree runs p on a fresh core under the free runtime: real
// goroutines in parallel, where the race detector (go test -race) sees the
// races the controlled runtime serializes away, and where leaked goroutines
// show. The program's fault plan does not apply (it counts hits in one
// order); decisions come from the free runtime's seeded PRNG instead.
//
// The teardown task starts with the clients and opens every gate at once,
// so that no client blocks forever on a gate: in free mode Q1 is the first
// quiescent point with every gate open. Once the clients have returned it
// settles the core (sut.Core.Settle: it only waits, and triggers nothing)
// and checks the core's Q1 invariants (NO-LOST-TRIGGER,
// DEFER-LIST-EXCLUSIVE, PROBECOUNT-BALANCED; the model's state equality
// needs a deterministic run and is left to Execute). If they hold, it runs
// the teardown of spec §14.8 and Q2 is checked after it. Free runs are a
// second search, not a replay: real parallelism reaches some windows far
// sooner than a drawn schedule.
func ExecuteFree(p Program, seed uint64, opt Options) *Verdict {
	baseline := runtime.NumGoroutine()
	f := sched.NewFree(seed, sched.DecideRate(1.0/16))
	w := newWorld(p, f, opt.core())
	w.spawnClients()
	var q1 error
	f.Go("teardown", func() {
		w.openGates()
		w.done.Wait()
		w.core.Settle()
		if q1 = w.core.CheckQuiescent(); q1 != nil {
			return
		}
		w.teardown()
	})
	v := &Verdict{Program: p, Options: opt, Executor: Free}
	if err := f.Run(); err != nil {
		v.Failure = failureOf(err, 0)
		var pe *sched.PanicError
		if errors.As(err, &pe) {
			// A free run does not replay, so its message may carry what a
			// controlled one must leave out: the panicking goroutine's stack.
			v.Failure.Msg += "\n" + pe.Stack
		}
	} else if q1 != nil {
		v.Failure = failureOf(q1, 0)
	} else if err := w.core.CheckTeardown(); err != nil {
		v.Failure = failureOf(err, 0)
	} else if err := w.core.Close(); err != nil {
		v.Failure = &Failure{Invariant: InvQ2Quiescent, Msg: err.Error()}
	}
	v.Trace = f.Trace()
	for _, c := range w.clients {
		v.Results = append(v.Results, c.results)
	}
	if v.Failure == nil {
		v.Failure = checkGoroutines(baseline)
	}
	return v
}
