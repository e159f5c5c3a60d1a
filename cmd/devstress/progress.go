package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/devstress/devstress/internal/campaign"
)

// isTerminal says whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress prints a campaign's progress: on a terminal, one line
// rewritten in place at each call; elsewhere, a plain line every period.
type progress struct {
	w        io.Writer
	terminal bool
	period   time.Duration
	last     time.Duration
	shown    bool
}

func (p *progress) update(pr campaign.Progress) {
	if !p.terminal && (p.period <= 0 || pr.Elapsed-p.last < p.period) {
		return
	}
	p.last = pr.Elapsed
	line := fmt.Sprintf("%d executions (%.0f/s), %d interleavings, %d failures", pr.Executions,
		float64(pr.Executions)/max(pr.Elapsed.Seconds(), 1e-3), pr.Interleavings, pr.Failures)
	switch {
	case pr.Left > 0:
		line += fmt.Sprintf(", %s left", pr.Left.Round(time.Second))
	case pr.ExecsLeft >= 0:
		line += fmt.Sprintf(", %d to go", pr.ExecsLeft)
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
		return
	}
	fmt.Fprintf(p.w, "progress: %s\n", line)
}

// interval is how often the campaign should call update: 4 times a
// second, or at each period when that is shorter.
func (p *progress) interval() time.Duration {
	if p.period > 0 && !p.terminal {
		return min(250*time.Millisecond, p.period)
	}
	return 250 * time.Millisecond
}

// done clears the terminal's progress line.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
