package campaign

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
)

// Hunt is one seed's campaign against a bug variant, stopped at its first
// failure.
type Hunt struct {
	Seed  uint64
	Found bool
	// Executions counts the executions up to the first failure included
	// (the budget when none failed); Time is the wall time until it was in
	// (nanoseconds, in JSON).
	Executions int
	Time       time.Duration
	// Minimized says whether the failure was minimized; Size is then the
	// minimized counterexample's (operations, faults, preemptions). The
	// stress baseline's failures are not: free runs do not replay.
	Minimized bool
	Size      [3]int
	// Err says why the failure could not be recorded or minimized.
	Err string `json:",omitempty"`
}

// Score is the scoreboard's row for a bug variant and a strategy.
type Score struct {
	Bug      sut.Bug
	Strategy Strategy
	Hunts    []Hunt
	// Minimal is the spec's minimal counterexample size.
	Minimal [3]int
}

// HuntBug runs the campaign c (its Seed, Strategy, Bug and Execs, the
// budget) with opt until its first failure, then records and minimizes the
// failure (except the stress baseline's).
func HuntBug(ctx context.Context, c Config, opt Options) (Hunt, error) {
	opt.StopAtFirst = true
	s, err := Run(ctx, c, opt)
	if err != nil {
		return Hunt{}, err
	}
	h := Hunt{Seed: c.Seed, Executions: s.Executions, Time: s.Elapsed}
	if len(s.Failures) == 0 {
		return h, nil
	}
	f := s.Failures[0]
	h.Found, h.Executions, h.Time = true, s.ExecutionsTo(f.Index), s.FirstFailureAt
	if c.Strategy == Stress {
		return h, nil
	}
	if f.File == "" {
		h.Err = f.Err
		return h, nil
	}
	file, err := shrink.Parse(strings.NewReader(f.File))
	if err == nil {
		_, stats, merr := shrink.Minimize(file)
		h.Size, err = stats.After.Spec(), merr
		h.Minimized = merr == nil
	}
	if err != nil {
		h.Err = err.Error()
	}
	return h, nil
}

// Found counts the hunts that found the bug.
func (s Score) Found() int { return s.count(func(h Hunt) bool { return h.Found }) }

// Minimized counts the hunts whose failure was minimized.
func (s Score) Minimized() int { return s.count(func(h Hunt) bool { return h.Minimized }) }

// count counts the hunts for which ok holds.
func (s Score) count(ok func(Hunt) bool) int {
	n := 0
	for _, h := range s.Hunts {
		if ok(h) {
			n++
		}
	}
	return n
}

// Median returns the median executions and wall time to the first
// failure over the hunts that found the bug (zero when none did): the
// upper one of an even count.
func (s Score) Median() (int, time.Duration) { return s.Quantile(0.5) }

// Quantile returns the q-quantile (0 <= q < 1) of the executions and of
// the wall times to the first failure over the hunts that found the bug,
// each the value of rank floor(q*n) among the n sorted (zero when none
// did): Quantile(0.9) of 20 hunts is the 19th.
func (s Score) Quantile(q float64) (int, time.Duration) {
	var execs []int
	var times []time.Duration
	for _, h := range s.Hunts {
		if h.Found {
			execs, times = append(execs, h.Executions), append(times, h.Time)
		}
	}
	if len(execs) == 0 {
		return 0, 0
	}
	slices.Sort(execs)
	slices.Sort(times)
	i := min(int(q*float64(len(execs))), len(execs)-1)
	return execs[i], times[i]
}

// Worst returns, over the hunts that found the bug and were minimized, the
// minimized size that compares worst with the spec's minimal (by Versus:
// larger, then a
// different one no larger, then minimal, then smaller; the larger total
// among equals) with Versus's word for it, and how many of the hunts'
// sizes are within the minimal. Each hunt is judged on its own: the
// largest count of one hunt and that of another make no counterexample.
func (s Score) Worst() (size [3]int, how string, within int) {
	rank := map[string]int{"smaller": 0, "minimal": 1, "other, no larger": 2, "LARGER": 3}
	best := -1
	for _, h := range s.Hunts {
		if !h.Minimized {
			continue
		}
		v, ok := Versus(h.Size, s.Minimal)
		if ok {
			within++
		}
		r := rank[v]*1000 + h.Size[0] + h.Size[1] + h.Size[2]
		if r > best {
			best, size, how = r, h.Size, v
		}
	}
	return size, how, within
}

// Versus says how a minimized size compares with the spec's minimal, as
// the known-bugs suite judges it, and whether it is within it: at most the
// minimal in each count, or a different counterexample no larger in all.
func Versus(size, minimal [3]int) (string, bool) {
	switch {
	case size == minimal:
		return "minimal", true
	case size[0] <= minimal[0] && size[1] <= minimal[1] && size[2] <= minimal[2]:
		return "smaller", true
	case size[0]+size[1]+size[2] <= minimal[0]+minimal[1]+minimal[2]:
		return "other, no larger", true
	}
	return "LARGER", false
}
