package sched

// Fault is one entry of a fault plan: the Nth time (from 1, over the whole
// run) the code under test asks Decide(Point, ·), the answer is Value.
type Fault struct {
	Point string
	Nth   int
	Value int
}

// WithFaults returns a strategy that takes its scheduling choices from inner
// and answers decisions from a fault plan: the planned hits get their
// Value, every other hit 0. This is the spec's fault plan; inner is never
// asked for a decision.
func WithFaults(inner Strategy, faults ...Fault) Strategy {
	plan := make(map[Fault]int, len(faults))
	for _, f := range faults {
		plan[Fault{Point: f.Point, Nth: f.Nth}] = f.Value
	}
	return &faultPlan{inner: inner, plan: plan, hits: map[string]int{}}
}

type faultPlan struct {
	inner Strategy
	plan  map[Fault]int // keyed by Point and Nth; the value is the answer
	hits  map[string]int
}

func (f *faultPlan) Choose(c Choice) (int, error) { return f.inner.Choose(c) }

func (f *faultPlan) Decide(point string, n int) (int, error) {
	f.hits[point]++
	return f.plan[Fault{Point: point, Nth: f.hits[point]}], nil
}

// ChoosesLocally implements Local as the inner strategy does.
func (f *faultPlan) ChoosesLocally(c Choice) bool { return choosesLocally(f.inner, c) }

// DecidesLocally implements Local: the plan draws nothing.
func (f *faultPlan) DecidesLocally(string, int) bool { return true }
