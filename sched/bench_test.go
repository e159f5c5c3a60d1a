package sched_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/sched"
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
// cost is the hand-off plus the scheduler's bookkeeping and the strategy.
// One iteration is one step. Compare with BenchmarkHandoff from the same
// run: the goal is at most 2x.
func BenchmarkStep(b *testing.B) {
	for _, tasks := range []int{2, 8} {
		b.Run(fmt.Sprintf("tasks=%d/strategy=random", tasks), func(b *testing.B) {
			stepLoop(b, sched.RandomWalk(1), tasks)
		})
		b.Run(fmt.Sprintf("tasks=%d/strategy=rapid", tasks), func(b *testing.B) {
			ran := false
			rapid.Check(b, func(t *rapid.T) {
				if ran {
					return
				}
				ran = true
				stepLoop(b, sched.Rapid(t, sched.RapidSize(tasks, 64)), tasks)
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
			decideLoop(b, sched.Rapid(t))
		})
	})
}

func stepLoop(b *testing.B, s sched.Strategy, tasks int) {
	c := sched.NewControlled(s, sched.MaxSteps(b.N+tasks+1))
	defer c.Close()
	for range tasks {
		c.Go("yielder", func() {
			for c.Step() < b.N {
				c.Yield("y")
			}
		})
	}
	b.ResetTimer()
	if err := c.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
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
