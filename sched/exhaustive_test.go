package sched_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// independent spawns two tasks of k atomic steps each (k-1 yields between
// them) that append their steps to *log.
func independent(k int, log *[]string) func(rt sched.Runtime) {
	return func(rt sched.Runtime) {
		for _, name := range []string{"a", "b"} {
			rt.Go(name, func() {
				for i := range k {
					if i > 0 {
						rt.Yield("step")
					}
					*log = append(*log, fmt.Sprintf("%s%d", name, i))
				}
			})
		}
	}
}

// explore runs every schedule of build under the bound and returns the
// interleavings seen, in order.
func explore(t *testing.T, bound int, build func(log *[]string) func(rt sched.Runtime)) []string {
	t.Helper()
	e := sched.NewExhaustive(bound)
	var seen []string
	digests := map[string]bool{}
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		var log []string
		tr, _, err := run(s, build(&log))
		require.NoError(t, err)
		require.False(t, digests[tr.Digest()], "two runs with the same trace digest")
		digests[tr.Digest()] = true
		seen = append(seen, strings.Join(log, " "))
	}
	require.Equal(t, len(seen), e.Runs())
	return seen
}

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

func TestExhaustiveEnumeratesEveryInterleavingOnce(t *testing.T) {
	for k := 1; k <= 5; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			seen := explore(t, -1, func(log *[]string) func(sched.Runtime) { return independent(k, log) })
			require.Len(t, seen, binomial(2*k, k))
			distinct := map[string]bool{}
			for _, s := range seen {
				require.False(t, distinct[s], "schedule %q visited twice", s)
				distinct[s] = true
			}
		})
	}
}

func TestExhaustivePreemptionBound(t *testing.T) {
	for k := 1; k <= 5; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			build := func(log *[]string) func(sched.Runtime) { return independent(k, log) }
			seen := explore(t, 0, build)
			a, b := independentOrder("a", "b", k), independentOrder("b", "a", k)
			require.Equal(t, []string{a, b}, seen, "without preemptions only the two serial orders remain")
			// One preemption: pick who starts, then where (if anywhere) to
			// switch; the other task then runs to its end.
			require.Len(t, explore(t, 1, build), 2*k)
		})
	}
}

func independentOrder(first, second string, k int) string {
	var parts []string
	for _, n := range []string{first, second} {
		for i := range k {
			parts = append(parts, fmt.Sprintf("%s%d", n, i))
		}
	}
	return strings.Join(parts, " ")
}

func TestExhaustiveEnumeratesDecisions(t *testing.T) {
	seen := explore(t, 0, func(log *[]string) func(sched.Runtime) {
		return func(rt sched.Runtime) {
			rt.Go("a", func() {
				*log = append(*log, fmt.Sprint(rt.Decide("x", 3), rt.Decide("y", 2)))
			})
		}
	})
	require.Equal(t, []string{"0 0", "0 1", "1 0", "1 1", "2 0", "2 1"}, seen)
}

func TestExhaustiveRejectsANondeterministicProgram(t *testing.T) {
	e := sched.NewExhaustive(-1)
	calls := 0
	var err error
	for s, ok := e.Next(); ok && err == nil; s, ok = e.Next() {
		calls++
		_, _, err = run(s, func(rt sched.Runtime) {
			rt.Go("a", func() { rt.Decide("x", 1+calls) }) // the question changes between runs
		})
	}
	var de *sched.DivergenceError
	require.ErrorAs(t, err, &de)
}
