package sched_test

import (
	"fmt"

	"github.com/devstress/devstress/sched"
)

// Two tasks increment a shared counter under a mutex; the canonical
// schedule (keep running the current task, then the lowest id) runs them
// one after the other. The trace has one lane per
// task.
func Example() {
	c := sched.NewControlled(sched.Canonical())
	defer c.Close()
	m := c.NewMutex("m")
	x := 0
	for _, name := range []string{"a", "b"} {
		c.Go(name, func() {
			m.Lock()
			x++
			m.Unlock()
		})
	}
	if err := c.Run(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("x =", x)
	fmt.Print(c.Trace())
	// Output:
	// x = 2
	// step T1 a                    T2 b
	//    0 (outside) spawn T1 a
	//    0 (outside) spawn T2 b
	//    1 run
	//    2 lock m
	//    2 unlock m
	//    2 exit
	//    3                         run
	//    4                         lock m
	//    4                         unlock m
	//    4                         exit
}

// A replayed decision list that no longer fits the program is reported with
// the step where it diverges, instead of steering a different run.
func ExampleReplay() {
	c := sched.NewControlled(sched.Replay([]sched.Decision{{Point: "F-ADD-KOBJ", N: 2, Value: 1}}))
	defer c.Close()
	c.Go("t", func() { c.Decide("F-ADD-BUS", 2) })
	fmt.Println(c.Run())
	// Output:
	// sched: replay diverges at step 1, decision 0: recorded at F-ADD-KOBJ, the run asks at F-ADD-BUS
}

// Exhaustive search visits every interleaving of two tasks of two steps
// each once: C(4, 2) = 6 schedules.
func ExampleNewExhaustive() {
	e := sched.NewExhaustive(-1)
	for s, ok := e.Next(); ok; s, ok = e.Next() {
		c := sched.NewControlled(s)
		order := ""
		for _, name := range []string{"a", "b"} {
			c.Go(name, func() {
				order += name
				c.Yield("y")
				order += name
			})
		}
		if err := c.Run(); err != nil {
			fmt.Println(err)
		}
		c.Close()
		fmt.Println(order)
	}
	// Output:
	// aabb
	// abba
	// abab
	// bbaa
	// baab
	// baba
}
