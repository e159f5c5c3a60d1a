package sched

// Strategy chooses every nondeterministic outcome of a controlled run: which
// runnable task goes next at a scheduling point, and the value of each
// Decide. Zero is always the least surprising answer (keep the current task;
// do not inject the fault), so shrinking toward zero removes preemptions
// and faults.
//
// A strategy is consulted only where there is a real choice: Choose sees at
// least two candidates and Decide at least two values. Strategies are used by
// one run at a time, from the goroutine that called Run; they may draw from a
// *rapid.T there.
type Strategy interface {
	// Choose returns an index into c.Candidates.
	Choose(c Choice) (int, error)
	// Decide returns a value in [0, n) for the decision named point.
	Decide(point string, n int) (int, error)
}

// Choice describes one scheduling decision.
type Choice struct {
	// Step is the index of the step about to run (from 1).
	Step int
	// Point is where the current task stopped: a yield point, "lock <m>",
	// "wait <c>", or "block"/"exit" when it cannot continue.
	Point string
	// Current is the task that ran the previous step (NoTask at the start).
	Current TaskID
	// Reached counts the scheduling points Current has reached so far, this
	// one included. (Current, Reached) names a point of the run that stays
	// the same when other tasks are scheduled differently, unlike Step.
	Reached int
	// Seen counts how often Current has reached a scheduling point named
	// Point, this one included: (Current, Point, Seen) names the point too.
	Seen int
	// Preemptive is true when Current is still runnable: it is then
	// Candidates[0], and choosing any other index is a preemption.
	Preemptive bool
	// Candidates are the runnable tasks: Current first when Preemptive, the
	// others by increasing id. The slice is reused; do not retain it.
	Candidates []TaskID
	// Tasks are the tasks spawned so far, by id - 1 (Tasks[id-1] names
	// task id), so that a strategy can key its choices by task name, which
	// stays stable when a program's edits shift ids. The runtime's own
	// record: do not modify or retain it.
	Tasks []TaskInfo
}

// Decision is one recorded answer of a strategy. Point and N describe the
// question (N is the number of possible answers); a replay checks them when
// they are set, so that a recorded list that no longer fits the program is
// reported instead of silently steering a different run.
type Decision struct {
	Point string
	N     int
	Value int
}

// Local is implemented by strategies that can answer some questions on any
// goroutine of the run, because answering them draws nothing from a
// *rapid.T. The controlled runtime then answers them where the step ends,
// without a hand-off to the goroutine that called Run. A strategy that does
// not implement Local is always asked on that goroutine.
type Local interface {
	// ChoosesLocally reports whether Choose(c) may run on any goroutine.
	ChoosesLocally(c Choice) bool
	// DecidesLocally reports whether Decide(point, n) may.
	DecidesLocally(point string, n int) bool
}

func choosesLocally(s Strategy, c Choice) bool {
	l, ok := s.(Local)
	return ok && l.ChoosesLocally(c)
}

func decidesLocally(s Strategy, point string, n int) bool {
	l, ok := s.(Local)
	return ok && l.DecidesLocally(point, n)
}

// anywhere is embedded by strategies that draw from no *rapid.T: they
// answer everything locally.
type anywhere struct{}

func (anywhere) ChoosesLocally(Choice) bool      { return true }
func (anywhere) DecidesLocally(string, int) bool { return true }
