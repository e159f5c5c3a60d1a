package sched_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sched/rapidsched"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// A kernel is a classic concurrency bug in a few lines, with a correct twin.
// build spawns the tasks on rt and returns the check to run once every task
// has finished; the buggy version fails in some schedules, the twin in none.
type kernel struct {
	name        string
	preemptions int // the fewest preemptions any failing schedule needs
	build       func(rt sched.Runtime, buggy bool) (check func() error)
}

var errBug = errors.New("bug")

func bugf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBug}, args...)...)
}

var kernels = []kernel{
	{
		// Read, yield, write: an increment that is not atomic. The twin
		// holds a mutex across it.
		name: "lost update", preemptions: 1,
		build: func(rt sched.Runtime, buggy bool) func() error {
			x := 0
			m := rt.NewMutex("m")
			for range 2 {
				rt.Go("inc", func() {
					if !buggy {
						m.Lock()
						defer m.Unlock()
					}
					v := x
					rt.Yield("between read and write")
					x = v + 1
				})
			}
			return func() error {
				if x != 2 {
					return bugf("x = %d after two increments", x)
				}
				return nil
			}
		},
	},
	{
		// Two locks taken in opposite orders. The twin takes them in one
		// order.
		name: "ABBA deadlock", preemptions: 1,
		build: func(rt sched.Runtime, buggy bool) func() error {
			a, b := rt.NewMutex("A"), rt.NewMutex("B")
			//nolint:gocritic,staticcheck // badLock, SA2001: only the order in which the locks are taken matters
			rt.Go("ab", func() { a.Lock(); b.Lock(); b.Unlock(); a.Unlock() })
			rt.Go("ba", func() {
				first, second := b, a
				if !buggy {
					first, second = a, b
				}
				first.Lock()
				second.Lock()
				//nolint:gocritic,staticcheck // badLock, SA2001: only the order in which the locks are taken matters
				second.Unlock()
				first.Unlock()
			})
			return func() error { return nil }
		},
	},
	{
		// A consumer checks that a resource is available, then acts on the
		// stale check while the producer takes it back: the consumer must
		// see the producer's intermediate state (one preemption) and the
		// producer must run between check and act (a second one). The twin
		// checks and acts under the producer's lock.
		name: "check then act", preemptions: 2,
		build: func(rt sched.Runtime, buggy bool) func() error {
			available := false
			m := rt.NewMutex("resource")
			var err error
			rt.Go("producer", func() {
				m.Lock()
				available = true
				m.Unlock()
				rt.Yield("offered")
				m.Lock()
				available = false
				m.Unlock()
			})
			rt.Go("consumer", func() {
				if !buggy {
					m.Lock()
					defer m.Unlock()
				}
				if available {
					rt.Yield("checked")
					if !available {
						err = bugf("acted on a stale check")
					}
				}
			})
			return func() error { return err }
		},
	},
	{
		// The spawner publishes an object after starting the task that uses
		// it. The twin publishes first.
		name: "order violation", preemptions: 1,
		build: func(rt sched.Runtime, buggy bool) func() error {
			var obj *int
			var err error
			use := func() {
				if obj == nil {
					err = bugf("used before init")
				}
			}
			rt.Go("init", func() {
				if !buggy {
					obj = new(int)
					rt.Go("user", use)
					return
				}
				rt.Go("user", use)
				rt.Yield("spawned")
				obj = new(int)
			})
			return func() error { return err }
		},
	},
	{
		// A task hands a reference to a helper it spawns, drops its own and
		// keeps using the object: the helper's put, run in between, releases
		// it. The twin uses the object before dropping its reference.
		name: "use after release", preemptions: 1,
		build: func(rt sched.Runtime, buggy bool) func() error {
			refs, freed := 1, false
			m := rt.NewMutex("refs")
			var err error
			put := func() {
				m.Lock()
				defer m.Unlock()
				refs--
				if refs == 0 {
					freed = true
				}
			}
			use := func() {
				m.Lock()
				defer m.Unlock()
				if freed {
					err = bugf("use after release")
				}
			}
			rt.Go("owner", func() {
				refs++ // the helper's reference, taken before the helper exists
				rt.Go("helper", put)
				if !buggy {
					use()
				}
				put()
				rt.Yield("put")
				if buggy {
					use()
				}
			})
			return func() error { return err }
		},
	},
}

// runKernel runs one schedule of k and returns the bug it exposed, if any.
func runKernel(s sched.Strategy, k kernel, buggy bool) (*sched.Trace, error) {
	c := sched.NewControlled(s)
	defer c.Close()
	check := k.build(c, buggy)
	if err := c.Run(); err != nil {
		return c.Trace(), err
	}
	return c.Trace(), check()
}

// kernelBudget is the number of runs within which random walk and PCT must
// find every kernel's bug; the twins must survive as many.
const kernelBudget = 200

func TestKernelsFoundByRandomWalkAndPCT(t *testing.T) {
	strategies := map[string]func(seed uint64, k kernel) sched.Strategy{
		"random walk": func(seed uint64, _ kernel) sched.Strategy { return sched.RandomWalk(seed) },
		"PCT":         func(seed uint64, k kernel) sched.Strategy { return sched.PCT(seed, k.preemptions+1, 12) },
	}
	for _, k := range kernels {
		for sname, strategy := range strategies {
			t.Run(k.name+"/"+sname, func(t *testing.T) {
				found := 0
				for seed := range uint64(kernelBudget) {
					_, err := runKernel(strategy(seed, k), k, true)
					if err != nil {
						found = int(seed) + 1
						break
					}
				}
				require.NotZero(t, found, "not found in %d runs", kernelBudget)
				t.Logf("found after %d runs", found)
				for seed := range uint64(kernelBudget) {
					_, err := runKernel(strategy(seed, k), k, false)
					require.NoError(t, err, "false alarm on the correct twin, seed %d", seed)
				}
			})
		}
	}
}

// exhaustiveFinds reports whether any schedule of k within the bound fails.
func exhaustiveFinds(t *testing.T, k kernel, bound int, buggy bool) bool {
	e := sched.NewExhaustive(bound)
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		_, err := runKernel(s, k, buggy)
		var de *sched.DivergenceError
		require.NotErrorAs(t, err, &de, "kernel %q is not deterministic: %v", k.name, err)
		if err != nil {
			return true
		}
	}
	return false
}

func TestKernelsNeedExactlyTheirPreemptions(t *testing.T) {
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			for bound := 0; bound <= k.preemptions; bound++ {
				require.Equal(t, bound == k.preemptions, exhaustiveFinds(t, k, bound, true),
					"bound %d: the bug needs exactly %d preemptions", bound, k.preemptions)
			}
			require.False(t, exhaustiveFinds(t, k, -1, false), "the correct twin fails in some schedule")
		})
	}
}

func TestKernelsShrinkToTheirPreemptionsUnderRapid(t *testing.T) {
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			var last *sched.Trace
			failed, msgs := rapidFails(t, func(rt *rapid.T) {
				tr, err := runKernel(rapidsched.New(rt, rapidsched.Size(3, 6)), k, true)
				if err != nil {
					last = tr
					rt.Fatalf("%s: %v", k.name, err)
				}
			})
			require.True(t, failed, "rapid did not find the bug")
			require.NotEmpty(t, msgs)
			require.NotContains(t, msgs[0], "flaky")
			require.Equal(t, k.preemptions, last.Preemptions(), "shrunk schedule:\n%s", last)
			rapid.Check(t, func(rt *rapid.T) {
				_, err := runKernel(rapidsched.New(rt, rapidsched.Size(3, 6)), k, false)
				require.NoError(rt, err)
			})
		})
	}
}
