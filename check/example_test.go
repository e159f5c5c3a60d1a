package check_test

import (
	"fmt"

	"github.com/devstress/devstress/check"
	"github.com/devstress/devstress/sched"
)

// Two tasks increment a counter with a yield point between the read and
// the write. Find finds the lost update and shrinks it to one preemption;
// in a test, check.Run(t, setup) reports the same failure with the line
// that replays it.
func Example() {
	f := check.Find(func(rt sched.Runtime) func() error {
		x := 0
		for _, name := range []string{"a", "b"} {
			rt.Go(name, func() {
				v := x
				rt.Yield("read")
				x = v + 1
			})
		}
		return func() error {
			if x != 2 {
				return fmt.Errorf("x = %d after two increments", x)
			}
			return nil
		}
	})
	fmt.Println(f)
	// Output:
	// x = 1 after two increments (final check)
	// the run, 1 preemption(s), one lane per task:
	// step T1 a                    T2 b                    T3 final check
	//    0 (outside) spawn T1 a
	//    0 (outside) spawn T2 b
	//    1 run
	//    1 yield read
	//    2                         run (preempts)
	//    2                         yield read
	//    3                         exit
	//    4 run
	//    4 exit
	//    4 (outside) spawn T3 final check
	//    5                                                 run
	//    5                                                 fail x = 1 after two increments
}

// Two tasks take two locks in opposite orders: one preemption, between the
// first task's two locks, deadlocks them.
func ExampleFind() {
	f := check.Find(func(rt sched.Runtime) func() error {
		a, b := rt.NewMutex("A"), rt.NewMutex("B")
		rt.Go("ab", func() {
			a.Lock()
			defer a.Unlock()
			b.Lock()
			defer b.Unlock()
		})
		rt.Go("ba", func() {
			b.Lock()
			defer b.Unlock()
			a.Lock()
			defer a.Unlock()
		})
		return nil
	})
	fmt.Println(f.Err)
	fmt.Println("preemptions:", f.Trace.Preemptions())
	// Output:
	// sched: deadlock at step 4: T1 (ab) waits for lock B held by T2; T2 (ba) waits for lock A held by T1
	// preemptions: 1
}
