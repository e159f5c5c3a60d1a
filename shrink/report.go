package shrink

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// Report writes the text a person reads for one counterexample: f, and v,
// its replay (Replay(f)). In order:
//
//   - the violated invariant, its step and the failure's message, then the
//     invariant's statement with its spec section (properties.Describe),
//     or "pass";
//   - the program in the file's notation (Write's lines between the
//     version line and the expectation), with only the drivers that took
//     part: named by an operation or by an event of the trace;
//   - what each client's operations returned, a line per client;
//   - the interleaving up to the violation's step, one lane (column) per
//     task that did something besides being spawned, running and exiting,
//     each line one record of the trace in its task's lane; details that
//     no other task can observe are left out (see analysis), and so are
//     the tasks without a lane, which the header counts;
//   - each device's reference count and holders at the violation, and the
//     steps of its release and free;
//   - the replay lines, when the caller gives any, under "replay:".
//
// Lines fit in 100 columns for up to seven lanes; a record too long for
// its place ends in "~". Report fails only when f cannot be written in
// the file format (Write refuses it) or w fails.
func Report(w io.Writer, f File, v *properties.Verdict, replay ...string) error {
	a := analyze(f, v)
	program := f
	program.Program = a.program
	body, err := formatBody(program)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	writeFailure(bw, v.Failure)
	bw.WriteString("\nprogram:\n")
	writeIndented(bw, body)
	bw.WriteString("\nresults:\n")
	for i, rs := range v.Results {
		text := strings.Join(rs, ", ")
		if len(rs) == 0 {
			text = "(no operation)"
		}
		fmt.Fprintf(bw, "  client %d: %s\n", i+1, text)
	}
	if v.Trace != nil {
		fmt.Fprintf(bw, "\ninterleaving (%s, digest %s):\n", runSize(v.Trace), v.Trace.Digest())
		writeLanes(bw, a, v.Failure)
	}
	if len(a.devices) > 0 {
		fmt.Fprintf(bw, "\nreference counts%s:\n", atViolation(v.Failure))
		for _, d := range a.devices {
			fmt.Fprintf(bw, "  %s\n", d.summary())
		}
	}
	if len(replay) > 0 {
		bw.WriteString("\nreplay:\n")
		for _, l := range replay {
			fmt.Fprintf(bw, "  %s\n", l)
		}
	}
	return bw.Flush()
}

// writeFailure writes the failure's line and its meaning, or that the run
// passed.
func writeFailure(w *bufio.Writer, f *properties.Failure) {
	if f == nil {
		w.WriteString("pass: every check held\n")
		return
	}
	w.WriteString(wrap(f.Error(), "", "    "))
	if inv, ok := properties.Describe(f.Invariant); ok {
		w.WriteString(wrap(inv.Line(), "  ", "    "))
	}
}

// wrap breaks text into lines of at most reportWidth columns at spaces,
// the first line starting with first, the others with rest; a word longer
// than a line gets a line of its own.
func wrap(text, first, rest string) string {
	var b strings.Builder
	line := first
	fresh := true
	for _, word := range strings.Fields(text) {
		if !fresh && len(line)+1+len(word) > reportWidth {
			b.WriteString(line + "\n")
			line, fresh = rest, true
		}
		if !fresh {
			line += " "
		}
		line += word
		fresh = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// writeIndented writes text's lines indented by two spaces.
func writeIndented(w *bufio.Writer, text string) {
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			w.WriteString("  " + l)
		}
	}
}

// runSize says how long the run was: "90 steps, 1 preemption".
func runSize(t *sched.Trace) string {
	return plural(t.Steps(), "step") + ", " + plural(t.Preemptions(), "preemption")
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// atViolation is " at step N" for a failure at a known step, " at the
// end" otherwise.
func atViolation(f *properties.Failure) string {
	if !stepKnown(f) {
		return " at the end"
	}
	return fmt.Sprintf(" at step %d", f.Step)
}

// summary is the device's line of the report: "a#1: refcount 0, released
// at step 61, freed at step 62", or "b#1: refcount 1 (Reg)".
func (d deviceHistory) summary() string {
	s := fmt.Sprintf("%s: refcount %d", d.handle, d.count())
	if len(d.holders) > 0 {
		s += " (" + strings.Join(d.holders, ", ") + ")"
	}
	if d.released >= 0 {
		s += fmt.Sprintf(", released at step %d", d.released)
	}
	if d.freed >= 0 {
		s += fmt.Sprintf(", freed at step %d", d.freed)
	}
	return s
}
