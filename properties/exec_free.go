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
// There is no quiescent point while clients run, so Q1 is not checked; the
// teardown task starts with the clients, opens every gate at once and
// cleans up once they have returned, and Q2 is checked after it.
func ExecuteFree(p Program, seed uint64, opt Options) *Verdict {
	baseline := runtime.NumGoroutine()
	f := sched.NewFree(seed, sched.DecideRate(1.0/16))
	w := newWorld(p, f, opt.core())
	w.spawnClients()
	f.Go("teardown", w.teardown)
	v := &Verdict{Program: p}
	if err := f.Run(); err != nil {
		v.Failure = failureOf(err, 0)
		var pe *sched.PanicError
		if errors.As(err, &pe) {
			// A free run does not replay, so its message may carry what a
			// controlled one must leave out: the panicking goroutine's stack.
			v.Failure.Msg += "\n" + pe.Stack
		}
	} else if err := w.core.CheckTeardown(); err != nil {
		v.Failure = failureOf(err, 0)
	} else if err := w.core.Close(); err != nil {
		v.Failure = &Failure{Invariant: "Q2-QUIESCENT", Msg: err.Error()}
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
