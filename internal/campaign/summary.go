package campaign

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/devstress/devstress/properties"
)

// Summary is what a campaign did: the units and executions it ran, the
// distinct interleavings (trace digests) it saw, its preemptions, what it
// reached (Coverage), and its failures in unit order. A campaign that
// stops at its first failure counts in Coverage, but nowhere else, the
// units past the failure that a worker ran in the failure's batch.
type Summary struct {
	Config                 Config
	Workers                int
	Units, Executions      int
	digests                map[string]bool
	Preemptions, Preempted int
	MaxPreemptions         int
	// Sequential counts the executions compared with the model after
	// every operation.
	Sequential              int
	Coverage                *properties.Coverage
	Failures                []Found
	Elapsed, FirstFailureAt time.Duration
	// runs are the executions of each unit merged, by unit index.
	runs map[int]int
	// TimeUp says the time budget ended the campaign, Interrupted that
	// its context did.
	TimeUp, Interrupted bool
}

func newSummary(c Config, workers int) *Summary {
	return &Summary{Config: c, Workers: workers, digests: map[string]bool{}, runs: map[int]int{}, Coverage: properties.NewCoverage()}
}

// add merges one unit's outcome, which arrived after elapsed, but not its
// coverage: that comes merged per Batch.
func (s *Summary) add(o Outcome, elapsed time.Duration) {
	s.Units++
	s.Executions += o.Runs
	s.runs[o.Index] = o.Runs
	for _, d := range o.Digests {
		s.digests[d] = true
	}
	s.Preemptions += o.Preemptions
	s.Preempted += o.Preempted
	s.Sequential += o.Sequential
	s.MaxPreemptions = max(s.MaxPreemptions, o.MaxPreemptions)
	if o.Failure != nil {
		if len(s.Failures) == 0 {
			s.FirstFailureAt = elapsed
		}
		s.Failures = append(s.Failures, *o.Failure)
	}
}

// ExecutionsTo counts the executions of the units up to unit i, i
// included: the executions a one-worker campaign runs before unit i's
// failure is in.
func (s *Summary) ExecutionsTo(i int) int {
	n := 0
	for j, r := range s.runs {
		if j <= i {
			n += r
		}
	}
	return n
}

// Digests returns the distinct trace digests, sorted.
func (s *Summary) Digests() []string { return slices.Sorted(maps.Keys(s.digests)) }

// Interleavings counts the distinct trace digests.
func (s *Summary) Interleavings() int { return len(s.digests) }

// Faults counts the injected faults that fired, over all executions.
func (s *Summary) Faults() int {
	n := 0
	for k, v := range s.Coverage.Total {
		if strings.HasPrefix(k, "fault:") {
			n += v
		}
	}
	return n
}

func (s *Summary) progress(elapsed, budget time.Duration) Progress {
	p := Progress{Executions: s.Executions, Interleavings: len(s.digests), Failures: len(s.Failures),
		Elapsed: elapsed, ExecsLeft: -1}
	if budget > 0 {
		p.Left = max(budget-elapsed, 0)
	}
	if s.Config.Execs > 0 {
		offset, stride := s.Config.Shard.norm()
		p.ExecsLeft = max((s.Config.Execs-offset+stride-1)/stride-s.Units, 0)
	}
	return p
}

// Groups are the coverage groups of properties.Expected, by key prefix,
// in the order the summary prints them.
var Groups = []struct{ Prefix, Name string }{
	{"op:", "operations"}, {"row:", "outcome rows"}, {"path:", "attach paths"},
	{"fault:", "fault points"}, {"state:", "state outcomes"}, {"yield:", "yield points"},
	{"event:", "event kinds"}, {"stress:", "stress modes"}, {"", "behaviours"},
}

// Covered returns, for a group of properties.Expected (its key prefix,
// "" for the behaviours), how many of its keys the campaign reached, and
// how many there are.
func (s *Summary) Covered(prefix string) (reached, expected int) {
	for _, k := range properties.Expected() {
		g, _, ok := strings.Cut(k, ":")
		if ok && g+":" != prefix || !ok && prefix != "" {
			continue
		}
		expected++
		if s.Coverage.Programs[k] > 0 {
			reached++
		}
	}
	return reached, expected
}

// Write writes the summary as text: the campaign, its counts, its
// coverage by group (with what was never reached), and its failures.
func (s *Summary) Write(w io.Writer) error {
	var b strings.Builder
	c := s.Config
	core := "the correct core"
	if c.Bug != "" {
		core = "bug variant " + string(c.Bug)
	}
	fmt.Fprintf(&b, "campaign: %s strategy, seed %d, shard %s, %d workers, %s\n", c.Strategy, c.Seed, c.Shard, s.Workers, core)
	why := "budget done"
	switch {
	case s.Interrupted:
		why = "interrupted"
	case s.TimeUp:
		why = "time up"
	}
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Executions) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(&b, "  executions      %d in %s (%.0f/s, %s)\n", s.Executions, s.Elapsed.Round(time.Millisecond), rate, why)
	if c.Strategy == Exhaustive {
		fmt.Fprintf(&b, "  programs        %d (at most %d schedules of at most %d preemptions each)\n", s.Units, c.PerProgram, c.Preemptions)
	}
	fmt.Fprintf(&b, "  interleavings   %d distinct trace digests\n", len(s.digests))
	fmt.Fprintf(&b, "  preemptions     %d, in %d executions (at most %d in one)\n", s.Preemptions, s.Preempted, s.MaxPreemptions)
	if s.Sequential > 0 {
		fmt.Fprintf(&b, "  sequential      %d executions compared with the model after every operation\n", s.Sequential)
	}
	fr, fe := s.Covered("fault:")
	fmt.Fprintf(&b, "  faults          %d injected, %d of %d fault points\n", s.Faults(), fr, fe)
	for _, g := range Groups {
		if g.Prefix == "fault:" {
			continue
		}
		r, e := s.Covered(g.Prefix)
		fmt.Fprintf(&b, "  %-15s %d of %d\n", g.Name, r, e)
	}
	fmt.Fprintf(&b, "  invariants      %d checked at every step and at quiescence\n", len(properties.Invariants()))
	if s.Executions > 0 {
		if miss := s.Coverage.Missing(); len(miss) > 0 {
			fmt.Fprintf(&b, "  never reached   %s\n", strings.Join(miss, ", "))
		}
	}
	fmt.Fprintf(&b, "  failures        %d\n", len(s.Failures))
	_, err := io.WriteString(w, b.String())
	return err
}
