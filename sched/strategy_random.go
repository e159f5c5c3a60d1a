package sched

import "math/rand/v2"

// RandomWalk returns a strategy that answers every choice and decision
// uniformly at random from a PRNG seeded with seed. The same seed on the
// same program gives the same run.
func RandomWalk(seed uint64) Strategy {
	return &randomWalk{rng: newRand(seed)}
}

type randomWalk struct {
	anywhere
	rng *rand.Rand
}

func (r *randomWalk) Choose(c Choice) (int, error) { return r.rng.IntN(len(c.Candidates)), nil }

func (r *randomWalk) Decide(_ string, n int) (int, error) { return r.rng.IntN(n), nil }

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
