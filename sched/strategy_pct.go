package sched

import (
	"math/rand/v2"
	"slices"
)

// PCT returns the probabilistic concurrency testing strategy of Burckhardt,
// Kothari, Musuvathi and Nagarakatte, "A Randomized Scheduler with
// Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010).
//
// Every task gets a random initial priority at least depth the first time
// it is seen; depth-1 change points are drawn uniformly from steps
// [1, steps]. At every choice the runnable task with the highest priority
// runs; when the run reaches change point i (of 1..depth-1), the task that
// ran the previous step drops to priority depth-i, below every initial
// priority.
//
// Guarantee: for a program of n tasks and at most k steps, one run finds a
// given bug of depth d (d ordering constraints between steps must hold) with
// probability at least 1/(n * k^(d-1)), provided depth >= d and steps >= k.
// Depth 1 bugs (a single wrong order) are found with probability at least
// 1/n, ordering violations needing one preemption with 1/(n*k).
//
// Decisions are answered uniformly at random. The same seed on the same
// program gives the same run.
func PCT(seed uint64, depth, steps int) Strategy {
	if depth < 1 {
		depth = 1
	}
	if steps < 1 {
		steps = 1
	}
	rng := newRand(seed)
	changes := make([]int, depth-1)
	for i := range changes {
		changes[i] = 1 + rng.IntN(steps)
	}
	slices.Sort(changes)
	return &pct{rng: rng, depth: depth, changes: changes, prio: map[TaskID]int{}}
}

// PCTSearch is PCT over a sequence of runs of one program that learns the
// run length instead of being told it, as shuttle's PCT does: each run's
// change points are drawn from the steps of the longest run seen so far.
// The first run, which has seen none, has no change point (tasks run by
// their random priorities alone) and measures the length; from the second
// run on, PCT's guarantee holds with k the longest run seen, which is the
// program's length once a run has reached it.
//
//	s := sched.NewPCTSearch(seed, 3)
//	for range 1000 {
//		c := sched.NewControlled(s.Next())
//		// build the program on c and Run it
//	}
//
// The same seed and program give the same sequence of runs.
type PCTSearch struct {
	rng     *rand.Rand
	depth   int
	longest int
}

// NewPCTSearch returns a PCT search of the given depth (at least 1).
func NewPCTSearch(seed uint64, depth int) *PCTSearch {
	return &PCTSearch{rng: newRand(seed), depth: max(depth, 1)}
}

// Next returns the strategy of the next run. The run reports its length
// to the search as it goes: use each strategy for one run, in order.
func (s *PCTSearch) Next() Strategy {
	depth := s.depth
	if s.longest == 0 { // the first run: no change point
		depth = 1
	}
	p := PCT(s.rng.Uint64(), depth, s.longest).(*pct)
	p.search = s
	return p
}

// Longest returns the number of steps of the longest run so far.
func (s *PCTSearch) Longest() int { return s.longest }

// pct's invariants: every priority in prio is distinct; initial priorities
// are >= depth, lowered ones are in [1, depth-1]; changes is sorted and
// next indexes the first change point not yet applied.
type pct struct {
	anywhere
	rng     *rand.Rand
	depth   int
	changes []int
	next    int
	prio    map[TaskID]int
	used    map[int]bool
	// search, when set, learns the run's length.
	search *PCTSearch
}

func (p *pct) Choose(c Choice) (int, error) {
	if p.search != nil {
		p.search.longest = max(p.search.longest, c.Step)
	}
	for p.next < len(p.changes) && p.changes[p.next] <= c.Step {
		p.next++
		if c.Current != NoTask {
			p.prio[c.Current] = p.depth - p.next
		}
	}
	best, bestPrio := 0, -1
	for i, id := range c.Candidates {
		pr, ok := p.prio[id]
		if !ok {
			pr = p.initial()
			p.prio[id] = pr
		}
		if pr > bestPrio {
			best, bestPrio = i, pr
		}
	}
	return best, nil
}

// initial draws a fresh, distinct initial priority.
func (p *pct) initial() int {
	if p.used == nil {
		p.used = map[int]bool{}
	}
	for {
		pr := p.depth + p.rng.IntN(1<<30)
		if !p.used[pr] {
			p.used[pr] = true
			return pr
		}
	}
}

func (p *pct) Decide(_ string, n int) (int, error) { return p.rng.IntN(n), nil }
