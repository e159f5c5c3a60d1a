package campaign

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/devstress/devstress/sut"
)

// Strategy names how a unit draws its schedule.
type Strategy string

// The strategies.
const (
	// Rapid draws the program, the stress modes and the schedule
	// (gen.Schedule) from one rapid bit stream, as the suites
	// do.
	Rapid Strategy = "rapid"
	// Random draws the program and stress modes as Rapid does and runs it
	// under sched.RandomWalk.
	Random Strategy = "random"
	// PCT draws them as Rapid does and runs under sched.PCT with
	// Config.Depth.
	PCT Strategy = "pct"
	// Exhaustive draws them as Rapid does and enumerates the schedules
	// with at most Config.Preemptions preemptions (sched.NewExhaustive),
	// at most Config.PerProgram of them.
	Exhaustive Strategy = "exhaustive"
	// Broad runs one of the broad hand-written programs
	// (properties.BroadPrograms, drawn per unit: BroadStress half the
	// time) on the controlled runtime under sched.RandomWalk, with stress
	// modes and a fault plan drawn per unit (a swarm: each fault point is
	// on with odds 1/2, and each of the first properties.BroadFaultHits
	// hits of a point that is on fails with odds 1/BroadFaultOdds). Each
	// exercises many families of operations at once, and together they run
	// every operation; their failures replay and shrink.
	Broad Strategy = "broad"
	// Mix runs, per unit: Broad's programs (8 units in 16), drawn programs
	// as Random runs them (6 in 16), or the sequential comparison (2 in 16:
	// one client alone, one of a broad program's or a drawn program's
	// first, under properties.ExecuteSequential: every result and the
	// whole state compared with the model's after every operation). Broad
	// programs reach in a few executions what needs many features at
	// once, drawn programs reach shapes no hand-written program has, and
	// the sequential comparison sees a core that computes wrong results or
	// state without breaking a lifetime invariant.
	Mix Strategy = "mix"
	// Stress is the baseline, not a search: every unit runs the one broad
	// hand-written program properties.BroadStress on real goroutines
	// (properties.ExecuteFree, faults at a rate per decision), as the
	// stress tests people write today do. Its units do not replay.
	Stress Strategy = "stress"
)

// DefaultStrategy is a campaign's strategy when none is given: the mix of
// broad and drawn programs under a random walk. On the scoreboard
// (BENCHMARKS.md: devstress bugs --strategy mix --seeds 20, 5000
// executions a hunt, 2 workers) it found every known bug with every
// seed, with medians of 1 to 699 executions and 5 to 100 ms; the random
// walk over drawn programs alone found H2 with 1 seed of 3 in 1000
// executions, and the broad programs alone miss H2b and H10A. Its price
// is shrinking: a failure of a broad program starts from three or four
// clients and about twenty operations, and some minimize to more than
// the spec's minimal.
const DefaultStrategy = Mix

// Strategies are the strategies, in the order the scoreboard lists them.
var Strategies = []Strategy{Mix, Random, Broad, Rapid, PCT, Exhaustive, Stress}

// ParseStrategy returns the strategy named s.
func ParseStrategy(s string) (Strategy, error) {
	if slices.Contains(Strategies, Strategy(s)) {
		return Strategy(s), nil
	}
	return "", fmt.Errorf("unknown strategy %q (known: mix, random, broad, rapid, pct, exhaustive, stress)", s)
}

// ParseBug returns the bug variant named s: one of KnownBugs, or
// sut.BugNone for "" and "none".
func ParseBug(s string) (sut.Bug, error) {
	if s == "" || s == "none" {
		return sut.BugNone, nil
	}
	for _, kb := range KnownBugs {
		if string(kb.Bug) == s {
			return kb.Bug, nil
		}
	}
	names := make([]string, len(KnownBugs))
	for i, kb := range KnownBugs {
		names[i] = string(kb.Bug)
	}
	return "", fmt.Errorf("unknown bug variant %q (known: %s)", s, strings.Join(names, ", "))
}

// Shard is the part k of n (1 <= k <= n) of a campaign: the units i with
// i mod n = k-1. The zero Shard is the whole campaign.
type Shard struct{ K, N int }

// ParseShard reads "k/n".
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want k/n, as 1/4", s)
	}
	sh := Shard{K: k, N: n}
	return sh, sh.validate()
}

func (s Shard) validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.N < 1 || s.K < 1 || s.K > s.N {
		return fmt.Errorf("shard %d/%d: want 1 <= k <= n", s.K, s.N)
	}
	return nil
}

// norm returns the shard as (offset, stride): the whole campaign is 0, 1.
func (s Shard) norm() (int, int) {
	if s == (Shard{}) {
		return 0, 1
	}
	return s.K - 1, s.N
}

func (s Shard) String() string {
	if s == (Shard{}) {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Config is a campaign: what every unit runs and which units run.
type Config struct {
	Seed     uint64
	Strategy Strategy
	// Bug is the core's bug variant (sut.BugNone: the correct core).
	Bug sut.Bug
	// Depth is PCT's depth (default 3).
	Depth int
	// Preemptions bounds the preemptions of the exhaustive strategy's
	// schedules (default 2); PerProgram bounds how many of them a unit
	// runs (default 50).
	Preemptions, PerProgram int
	// Execs, when positive, bounds the campaign to the units 0..Execs-1
	// (of every shard together).
	Execs int
	Shard Shard
}

// Defaults of Config.
const (
	DefaultDepth       = 3
	DefaultPreemptions = 2
	DefaultPerProgram  = 50
)

// WithDefaults returns c with its zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Strategy == "" {
		c.Strategy = DefaultStrategy
	}
	if c.Depth == 0 {
		c.Depth = DefaultDepth
	}
	if c.Preemptions == 0 {
		c.Preemptions = DefaultPreemptions
	}
	if c.PerProgram == 0 {
		c.PerProgram = DefaultPerProgram
	}
	return c
}

// Validate says what is wrong with c (after WithDefaults), in one line.
func (c Config) Validate() error {
	if _, err := ParseStrategy(string(c.Strategy)); err != nil {
		return err
	}
	if _, err := ParseBug(string(c.Bug)); err != nil {
		return err
	}
	switch {
	case c.Depth < 1:
		return errors.New("depth: want a positive integer")
	case c.Preemptions < 0:
		return errors.New("preemptions: want 0 or more")
	case c.PerProgram < 1:
		return errors.New("per-program: want a positive integer")
	case c.Execs < 0:
		return errors.New("execs: want a positive integer")
	}
	return c.Shard.validate()
}
