package sched

// Canonical returns the strategy that answers 0 everywhere: keep the
// current task, on a block or exit run the lowest-id runnable task, inject
// no fault. It is the schedule a counterexample's size is measured against,
// and the natural one for sequential tests.
func Canonical() Strategy { return canonical{} }

type canonical struct{ anywhere }

func (canonical) Choose(Choice) (int, error)      { return 0, nil }
func (canonical) Decide(string, int) (int, error) { return 0, nil }
