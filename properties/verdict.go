package properties

import (
	"errors"
	"fmt"
	"strings"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// Verdict is the outcome of one execution: nil Failure when every check
// passed. It carries what is needed to understand the run and, for the
// Controlled executor, to replay it: shrink.FromVerdict makes a
// counterexample file of it, which shrink.Replay runs again exactly.
type Verdict struct {
	Program Program
	// Options are the options of the run.
	Options Options
	// Executor is the executor that ran the program.
	Executor Executor
	Failure  *Failure
	Trace    *sched.Trace
	// Decisions are all the answers of the run, in order: the strategy's
	// scheduling choices and the fault plan's answers alike. They are not
	// a strategy for Execute, whose fault plan answers the fault points
	// itself (sched.Replay of them diverges at the first fault point the
	// run reaches); shrink.FromVerdict keys the scheduling choices into a
	// schedule that replays.
	Decisions []sched.Decision
	// Results are the client operations' results, by client, as text.
	Results [][]string
}

// Executor names the executor of a run.
type Executor uint8

// The executors.
const (
	// Controlled is Execute: a schedule chosen by a strategy, replayable.
	Controlled Executor = iota
	// Sequential is ExecuteSequential: the first client alone, drained and
	// compared with the model after every operation; it replays only
	// under ExecuteSequential.
	Sequential
	// Free is ExecuteFree: real goroutines; a run does not replay.
	Free
)

func (e Executor) String() string {
	switch e {
	case Controlled:
		return "controlled"
	case Sequential:
		return "sequential"
	case Free:
		return "free"
	}
	return fmt.Sprintf("executor(%d)", int(e))
}

// Failure is a violated invariant, named as in spec §15 (NO-UAF,
// OWNERSHIP, NO-DEADLOCK, ...), plus the runtime's own oracles (PANIC,
// STEP-BUDGET, LEAKED-GOROUTINE) and the model comparison
// (RESULT-MISMATCH, STATE-MISMATCH).
type Failure struct {
	Invariant string
	Step      int
	Msg       string // deterministic: no pointers, goroutine ids or times
}

func (f *Failure) Error() string {
	return fmt.Sprintf("%s at step %d: %s", f.Invariant, f.Step, f.Msg)
}

// failureOf classifies the error that ended a run.
func failureOf(err error, step int) *Failure {
	var v *sut.Violation
	var dl *sched.DeadlockError
	var rl *sched.RelockError
	var bu *sched.BudgetError
	var pa *sched.PanicError
	var ha *sched.HangError
	var f *Failure
	switch {
	case errors.As(err, &f):
		return f
	case errors.As(err, &v):
		return &Failure{Invariant: v.Invariant, Step: v.Step, Msg: v.Msg}
	case errors.As(err, &dl):
		return &Failure{Invariant: InvNoDeadlock, Step: dl.Step, Msg: err.Error()}
	case errors.As(err, &rl):
		return &Failure{Invariant: InvNoDeadlock, Step: rl.Step, Msg: err.Error()}
	case errors.As(err, &bu):
		return &Failure{Invariant: InvStepBudget, Step: step, Msg: err.Error()}
	case errors.As(err, &pa):
		return &Failure{Invariant: InvPanic, Step: pa.Step, Msg: err.Error()}
	case errors.As(err, &ha):
		return &Failure{Invariant: InvNoDeadlock, Msg: err.Error()}
	}
	return &Failure{Invariant: InvRuntime, Step: step, Msg: err.Error()}
}

// Headline is the verdict in one line: the failure (or PASS), the size of
// the program and the trace digest.
func (v *Verdict) Headline() string {
	what := "PASS"
	if v.Failure != nil {
		what = v.Failure.Error()
	}
	digest := "none"
	if v.Trace != nil {
		digest = v.Trace.Digest()
	}
	return fmt.Sprintf("%s [%d operations, %d clients, trace digest %s]", what, v.Program.Ops(), len(v.Program.Clients), digest)
}

// String renders the verdict for a failure report: the violated invariant
// and, under it, its statement (Describe), the program, the results each
// client saw, and the interleaving as lanes.
func (v *Verdict) String() string {
	var b strings.Builder
	if v.Failure == nil {
		b.WriteString("PASS\n")
	} else {
		fmt.Fprintf(&b, "%s\n", v.Failure.Error())
		if inv, ok := Describe(v.Failure.Invariant); ok {
			fmt.Fprintf(&b, "  %s\n", inv.Line())
		}
	}
	b.WriteString("\nprogram:\n")
	b.WriteString(v.Program.String())
	for i, rs := range v.Results {
		fmt.Fprintf(&b, "T%d results: %s\n", i+1, strings.Join(rs, ", "))
	}
	if v.Trace != nil {
		fmt.Fprintf(&b, "\ninterleaving (%d steps, %d preemptions, digest %s):\n%s",
			v.Trace.Steps(), v.Trace.Preemptions(), v.Trace.Digest(), v.Trace.String())
	}
	return b.String()
}
