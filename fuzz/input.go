package fuzz

import (
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// An Input is what a fuzz input decodes to: a program, the stress modes
// to run it under, and its schedule: the decisions of Schedule, or a
// random walk seeded with Seed when Walk is set.
type Input struct {
	Program properties.Program
	// Options holds the stress modes; Bug is always zero (the target's
	// run sets the variant).
	Options properties.Options
	// Schedule holds one byte per scheduling decision of the run, in the
	// order the run asks them: the answer is the byte modulo the number
	// of runnable tasks (0 keeps the current task), and 0 once the bytes
	// run out (sched.Bytes). The fuzz input holds it as [gap, choice]
	// pairs (see Decode). Empty when Walk is set.
	Schedule []byte
	// Walk selects the schedule mode: a random walk (sched.RandomWalk)
	// seeded with Seed answers every decision instead of Schedule.
	Walk bool
	// Seed is the random walk's seed (0 unless Walk is set), read from the
	// input's schedule bytes.
	Seed uint64
}

// Strategy returns the strategy that answers the run's scheduling
// decisions: the random walk of Seed when Walk is set, else the schedule
// bytes. Faults come from the program's fault plan, which
// properties.Execute applies around it.
func (in Input) Strategy() sched.Strategy {
	if in.Walk {
		return sched.RandomWalk(in.Seed)
	}
	return sched.Bytes(in.Schedule)
}
