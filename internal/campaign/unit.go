package campaign

import (
	"bytes"
	"math/rand/v2"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/shrink"
	"pgregory.net/rapid"
)

// pctSteps is the number of steps PCT draws its change points from: the
// length of most runs of the generated programs (95% take fewer).
const pctSteps = 200

// UnitSeed is the seed of unit i of a campaign with the given seed: a
// SplitMix64 hash of both, so neighbouring units and campaigns are
// unrelated.
func UnitSeed(seed uint64, i int) uint64 {
	return mix(mix(seed) ^ uint64(i))
}

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Outcome is what one unit did: its runs' trace digests, preemptions and
// coverage, and its first failure.
type Outcome struct {
	Index   int
	Runs    int
	Digests []string
	// Preemptions sums the runs' preemptions; Preempted counts the runs
	// with at least one, MaxPreemptions is the most in one run.
	Preemptions, Preempted, MaxPreemptions int
	// Sequential counts the runs compared with the model after every
	// operation (properties.ExecuteSequential).
	Sequential int
	// Coverage is what the unit's runs reached; a worker sends it merged
	// into its Batch's, not with the outcome.
	Coverage *properties.Coverage `json:",omitempty"`
	Failure  *Found               `json:",omitempty"`
}

// Found is a failing run of a campaign, recorded as a counterexample file.
type Found struct {
	// Index is the unit's.
	Index    int
	Headline string
	// Invariant is the violated invariant.
	Invariant string
	// File is the counterexample in the file format (shrink.FromVerdict),
	// empty when it could not be recorded; Err then says why.
	File string `json:",omitempty"`
	Err  string `json:",omitempty"`
}

// drawn is a unit's program and options, drawn rapid-style.
type drawn struct {
	program properties.Program
	options properties.Options
}

// RunUnit runs unit i of campaign c (after WithDefaults). The program, its
// stress modes and, for the rapid strategy, its schedule are drawn by the
// suites' generators (gen.Programs, properties.Stress,
// gen.Schedule) from a rapid bit stream seeded with
// UnitSeed(c.Seed, i) (rapid.Generator.Example), with no global rapid
// state; the other strategies take their seed from the same value.
func RunUnit(c Config, i int) Outcome {
	seed := UnitSeed(c.Seed, i)
	o := Outcome{Index: i, Coverage: properties.NewCoverage()}
	switch c.Strategy {
	case Rapid:
		o.add(rapid.Custom(func(t *rapid.T) *properties.Verdict {
			p := gen.Programs(properties.DefaultSizes).Draw(t, "program")
			opt := gen.Stress(t, properties.Options{Bug: c.Bug})
			return properties.Execute(p, gen.Schedule(t), opt)
		}).Example(int(seed)))
	case Broad:
		o.add(runBroad(c, seed))
	case Mix:
		// A unit of the mix runs, by its slot among 16: the sequential
		// comparison (slots 0 and 1: one client alone, compared with the
		// model after every operation: one of a broad program's clients,
		// or a drawn program's first), a broad program (slots 2 to 9), or
		// a drawn program as Random runs it (slots 10 to 15).
		arm := mix(seed ^ mixSalt)
		switch slot := arm % 16; {
		case slot == 0:
			p, opt := broad(c, seed)
			o.add(properties.ExecuteSequential(p.Alone(int((arm>>4)%uint64(len(p.Clients)))), opt))
		case slot == 1:
			d := draw(c, seed)
			o.add(properties.ExecuteSequential(d.program, d.options))
		case slot < 10:
			o.add(runBroad(c, seed))
		default:
			o.add(runDrawn(c, seed))
		}
	case Random, PCT:
		o.add(runDrawn(c, seed))
	case Stress:
		o.add(properties.ExecuteFree(properties.BroadStress(), mix(seed), properties.Options{Bug: c.Bug}))
	case Exhaustive:
		d := draw(c, seed)
		e := sched.NewExhaustive(c.Preemptions)
		for s, ok := e.Next(); ok && o.Runs < c.PerProgram && o.Failure == nil; s, ok = e.Next() {
			o.add(properties.Execute(d.program, s, d.options))
		}
	}
	return o
}

// BroadFaultOdds are the odds against each hit a broad unit's fault plan
// covers failing, on the fault points the unit switches on.
const BroadFaultOdds = 4

// mixSalt separates Mix's choice between broad and drawn programs from
// the other uses of a unit's seed.
const mixSalt = 0x5bd1e995

// broad returns one of the broad programs with a fault plan, and stress
// modes, drawn from seed (each stress mode with odds 1/4, as
// properties.Stress draws them). BroadStress, the broadest (every family
// of operations at once), is half the draws; the others share the rest.
//
// The fault plan is a swarm (Groce et al., "Swarm Testing", ISSTA 2012):
// each fault point is switched on with odds 1/2, and each of the first
// properties.BroadFaultHits hits of a point that is on fails with odds
// 1/BroadFaultOdds. One rate for every point trades the bugs behind a
// failure against those behind the success paths that failure cuts
// short; a swarm reaches both: a unit fails often where it fails, and
// leaves the other points alone.
func broad(c Config, seed uint64) (properties.Program, properties.Options) {
	rng := rand.New(rand.NewPCG(seed, mixSalt))
	p := properties.BroadStress()
	if rng.IntN(2) == 1 {
		others := properties.BroadPrograms()[1:]
		p = others[rng.IntN(len(others))]
	}
	on := make([]bool, len(properties.FaultPoints))
	for i := range on {
		on[i] = rng.IntN(2) == 0
	}
	p.Faults = properties.BroadFaults(func(i int) bool {
		return on[i/properties.BroadFaultHits] && rng.IntN(BroadFaultOdds) == 0
	})
	opt := properties.Options{Bug: c.Bug}
	for _, m := range properties.StressModes {
		*m.Field(&opt) = rng.IntN(4) == 3
	}
	return p, opt
}

// runBroad runs the broad program drawn from seed under the random walk:
// a unit of Broad, and of Mix's broad slots.
func runBroad(c Config, seed uint64) *properties.Verdict {
	p, opt := broad(c, seed)
	return properties.Execute(p, sched.RandomWalk(mix(seed)), opt)
}

// runDrawn runs the program drawn from seed under the random walk, or PCT
// for the PCT strategy: a unit of Random or PCT, and of Mix's drawn
// slots.
func runDrawn(c Config, seed uint64) *properties.Verdict {
	d := draw(c, seed)
	s := sched.RandomWalk(mix(seed))
	if c.Strategy == PCT {
		s = sched.PCT(mix(seed), c.Depth, pctSteps)
	}
	return properties.Execute(d.program, s, d.options)
}

// draw draws a unit's program and stress modes from seed.
func draw(c Config, seed uint64) drawn {
	return rapid.Custom(func(t *rapid.T) drawn {
		p := gen.Programs(properties.DefaultSizes).Draw(t, "program")
		return drawn{p, gen.Stress(t, properties.Options{Bug: c.Bug})}
	}).Example(int(seed))
}

// add counts one run of the unit, and records its failure if it is the
// unit's first.
func (o *Outcome) add(v *properties.Verdict) {
	o.Runs++
	if v.Executor == properties.Sequential {
		o.Sequential++
	}
	o.Coverage.Add(properties.Measure(v, v.Options))
	if v.Trace != nil {
		o.Digests = append(o.Digests, v.Trace.Digest())
		n := v.Trace.Preemptions()
		o.Preemptions += n
		o.MaxPreemptions = max(o.MaxPreemptions, n)
		if n > 0 {
			o.Preempted++
		}
	}
	if v.Failure != nil && o.Failure == nil {
		o.Failure = record(o.Index, v)
	}
}

// record makes a failing verdict a Found.
func record(i int, v *properties.Verdict) *Found {
	fd := &Found{Index: i, Headline: v.Headline(), Invariant: v.Failure.Invariant}
	f, err := shrink.FromVerdict(v, v.Options)
	if err == nil {
		var b bytes.Buffer
		err = shrink.Write(&b, f)
		fd.File = b.String()
	}
	if err != nil {
		fd.Err = err.Error()
	}
	return fd
}
