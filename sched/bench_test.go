package sched_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sched/rapidsched"
	"pgregory.net/rapid"
)

// BenchmarkHandoff is the floor: one round trip of an unbuffered channel
// ping-pong between two goroutines, the hand-off a controlled step is built
// on (task to scheduler and back).
func BenchmarkHandoff(b *testing.B) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
		close(pong)
	}()
	b.ResetTimer()
	for range b.N {
		ping <- struct{}{}
		<-pong
	}
	b.StopTimer()
	close(ping)
	<-pong
}

// BenchmarkStep measures one controlled step: tasks that only yield, so the
// cost is the hand-off plus the scheduler's bookkeeping, the trace and the
// strategy. One iteration is one step; steps are grouped in runs of
// stepsPerRun on a fresh runtime, as real executions are (a single endless
// run would mostly measure the garbage collector scanning its trace).
// Compare with BenchmarkHandoff from the same invocation: the goal is at
// most 2x. Random walk switches tasks at most steps; rapid keeps the
// current task except at the points its set preempts (a step then costs
// no hand-off), and each time a task reaches a block of points past the
// size (64 here) it draws that block on the run's goroutine. Measured
// (-count 5, medians): hand-off 1008 ns; step 2 tasks random 922 ns, rapid
// 1172 ns; 8 tasks random 1298 ns, rapid 1748 ns (1.73x).
func BenchmarkStep(b *testing.B) {
	for _, tasks := range []int{2, 8} {
		b.Run(fmt.Sprintf("tasks=%d/strategy=random", tasks), func(b *testing.B) {
			seed := uint64(0)
			stepLoop(b, func() sched.Strategy { seed++; return sched.RandomWalk(seed) }, tasks)
		})
		b.Run(fmt.Sprintf("tasks=%d/strategy=rapid", tasks), func(b *testing.B) {
			ran := false
			rapid.Check(b, func(t *rapid.T) {
				if ran {
					return
				}
				ran = true
				stepLoop(b, func() sched.Strategy { return rapidsched.New(t, rapidsched.Size(tasks, 64)) }, tasks)
			})
		})
	}
}

// BenchmarkDecide measures one decision asked by a task: a hand-off to the
// scheduler, the strategy's answer and the hand-back.
func BenchmarkDecide(b *testing.B) {
	b.Run("strategy=random", func(b *testing.B) { decideLoop(b, sched.RandomWalk(1)) })
	b.Run("strategy=rapid", func(b *testing.B) {
		ran := false
		rapid.Check(b, func(t *rapid.T) {
			if ran {
				return
			}
			ran = true
			decideLoop(b, rapidsched.New(t))
		})
	})
}

// stepsPerRun is the length of one run in BenchmarkStep.
const stepsPerRun = 1000

func stepLoop(b *testing.B, strategy func() sched.Strategy, tasks int) {
	b.ResetTimer()
	for done := 0; done < b.N; done += stepsPerRun {
		c := sched.NewControlled(strategy())
		for range tasks {
			c.Go("yielder", func() {
				for c.Step() < min(stepsPerRun, b.N-done) {
					c.Yield("y")
				}
			})
		}
		if err := c.Run(); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func decideLoop(b *testing.B, s sched.Strategy) {
	c := sched.NewControlled(s)
	defer c.Close()
	c.Go("decider", func() {
		for range b.N {
			c.Decide("d", 2)
		}
	})
	b.ResetTimer()
	if err := c.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
}

// BenchmarkFreeYields measures how often the free runtime exposes each
// kernel's bug, per run, under each yield setting: the per-task default
// against one probability for every task. One iteration is one run on a
// fresh seed; the metric finds/run is the fraction of runs that failed.
// Run it with a fixed count, e.g. -benchtime 2000x.
func BenchmarkFreeYields(b *testing.B) {
	settings := []struct {
		name string
		opts []sched.FreeOption
	}{
		{"per-task", nil},
		{"never", []sched.FreeOption{sched.YieldProbability(0)}},
		{"1in2", []sched.FreeOption{sched.YieldProbability(2)}},
		{"always", []sched.FreeOption{sched.YieldProbability(1)}},
	}
	for _, k := range kernels {
		for _, s := range settings {
			b.Run(k.name+"/"+s.name, func(b *testing.B) {
				found := 0
				for i := range b.N {
					f := sched.NewFree(uint64(i), s.opts...)
					check := k.build(f, true)
					err := f.Run()
					if err == nil {
						err = check()
					}
					if err != nil {
						found++
					}
				}
				b.ReportMetric(float64(found)/float64(b.N), "finds/run")
			})
		}
	}
}
