package sched_test

import (
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// pctRuns is the number of runs each kernel gets from a PCT search.
const pctRuns = 400

// A PCT search, told no run length, learns it and finds every kernel's bug
// at least at the rate PCT guarantees for the learned length: a bug of
// depth d among n tasks in k steps with probability 1/(n * k^(d-1)) per
// run. Its correct twins survive every run.
func TestPCTSearchLearnsTheLengthAndKeepsTheGuarantee(t *testing.T) {
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			depth := k.preemptions + 1
			s := sched.NewPCTSearch(1, depth)
			found, tasks := 0, 0
			for range pctRuns {
				tr, err := runKernel(s.Next(), k, true)
				tasks = max(tasks, len(tr.Tasks))
				if err != nil {
					found++
				}
			}
			require.Positive(t, s.Longest(), "no run length learned")
			rate := 1.0
			for range depth - 1 {
				rate /= float64(s.Longest())
			}
			rate /= float64(tasks)
			t.Logf("found in %d of %d runs, guaranteed rate %.4f (n=%d, k=%d, d=%d)", found, pctRuns, rate, tasks, s.Longest(), depth)
			require.GreaterOrEqual(t, float64(found)/pctRuns, rate,
				"found in %d of %d runs; PCT guarantees at least %.4f (n=%d, k=%d, d=%d)",
				found, pctRuns, rate, tasks, s.Longest(), depth)
			twin := sched.NewPCTSearch(1, depth)
			for i := range pctRuns {
				_, err := runKernel(twin.Next(), k, false)
				require.NoError(t, err, "false alarm on the correct twin, run %d", i)
			}
		})
	}
}

// The same seed gives the same sequence of runs.
func TestPCTSearchIsDeterministic(t *testing.T) {
	k := kernels[0]
	a, b := sched.NewPCTSearch(9, 3), sched.NewPCTSearch(9, 3)
	for i := range 50 {
		ta, _ := runKernel(a.Next(), k, true)
		tb, _ := runKernel(b.Next(), k, true)
		require.Equal(t, ta.Digest(), tb.Digest(), "run %d", i)
	}
	require.Equal(t, a.Longest(), b.Longest())
}
