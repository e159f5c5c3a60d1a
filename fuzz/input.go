package fuzz

import (
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// An Input is what a fuzz input decodes to: a program, the stress modes
// to run it under, and its schedule.
type Input struct {
	Program properties.Program
	// Options holds the stress modes; Bug is always zero (the target's
	// run sets the variant).
	Options properties.Options
	// Schedule holds one byte per scheduling decision of the run, in the
	// order the run asks them: the answer is the byte modulo the number
	// of runnable tasks (0 keeps the current task), and 0 once the bytes
	// run out (sched.Bytes). The fuzz input holds it as [gap, choice]
	// pairs (see Decode).
	Schedule []byte
}

// Strategy returns the strategy that answers the run's scheduling
// decisions from the schedule bytes. Faults come from the program's fault
// plan, which properties.Execute applies around it.
func (in Input) Strategy() sched.Strategy { return sched.Bytes(in.Schedule) }
