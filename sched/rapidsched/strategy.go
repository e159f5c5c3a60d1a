package rapidsched

import (
	"fmt"
	"strings"

	"github.com/devstress/devstress/sched"
	"pgregory.net/rapid"
)

// New returns a strategy that draws every decision from t, so that rapid's
// shrinker minimizes the schedule and the decisions together with whatever
// else the property draws. Use it only with a Controlled runtime whose Run
// is called on t's goroutine (the property function's), and create it there:
// it draws when created.
//
// The encoding is chosen for shrinking. A schedule is the canonical one
// (keep the current task; on a block or exit run the lowest-id runnable
// task) changed at a set of preemption points, drawn when the strategy is
// created. A preemption point names a task and the count of scheduling
// points it has reached (sched.Choice.Reached), so it keeps its meaning when other
// tasks are scheduled differently. There, if the task could continue, it is
// switched away from. Where it goes is the task's own choice, drawn with
// the set: each task has an offset k (0 most often after shrinking), and
// when it is preempted, blocks or exits, the k-th (modulo their number) of
// the other runnable tasks by increasing id runs. Nothing about the
// schedule is drawn while it runs: a draw at each choice would be
// positional, and shrinking the program would shift every later one. A
// decision draws a Bool (false answers 0), then its value.
//
// Rapid shrinks the set by removing entries and lowering them, so a shrunk
// schedule has no more preemptions than its number of entries and usually
// as few as the failure needs. (A "switch here?" Bool at every choice point
// shrinks worse: dropping one preemption there changes the meaning of every
// later draw; a list of global steps shrinks worse too, because one
// preemption fewer shifts the steps of all later ones.)
//
// One schedule in two (a Bool drawn first; false, the sparse set, is where
// shrinking goes) is a dense set instead: each task's first arrivals at
// each named point (see Points; without names, its first scheduling
// points) are in it with a probability of one in 4, 8 or 16 each, drawn per
// schedule (denser sets reach deep interleavings, sparser ones the late
// points of a task without preempting it earlier). A sparse set hits one
// preemption at a named point well but two rarely, since each entry is one
// of hundreds; a dense one reaches the bugs that need several preemptions,
// like a random walk, and still shrinks entry by entry.
//
// The set is drawn among the first tasks and their first scheduling points
// (Size; 4 tasks and 16 points by default). Nothing past them is
// ignored: the strategy grows on demand, a block at a time. When a task
// first reaches a point past the size (a task after the first ones, or a
// point after the first ones of its own), the strategy draws preemptions
// for that task's block of as many points: in a dense schedule each point
// at the set's odds, in a sparse one at most one point, one block in about
// eight. A task past the size draws its offset with its first block. Block
// draws happen in the order the run reaches the blocks, so they shrink a
// little less well than the set; a size that covers the program keeps
// shrinking at its best, and a small one keeps the drawn set (and the time
// to shrink it) small for small programs.
func New(t *rapid.T, opts ...Option) sched.Strategy {
	cfg := config{tasks: 4, points: 16, preemptions: 8}
	for _, o := range opts {
		o(&cfg)
	}
	at := map[preemptAt]bool{}
	to := rapid.Custom(func(t *rapid.T) []int {
		to, task := make([]int, cfg.tasks), rapid.IntRange(0, cfg.tasks-1)
		for i := range to {
			to[i] = task.Draw(t, "switch to")
		}
		return to
	}).Draw(t, "switch to, by task")
	src := &rapidSource{t: t, at: at, to: to, tasks: cfg.tasks, points: cfg.points}
	if rapid.Bool().Draw(t, "dense") {
		odds := 1 << rapid.IntRange(2, 4).Draw(t, "density")
		src.odds = odds
		points := cfg.densePoints()
		dense := rapid.Custom(func(t *rapid.T) preemptSet {
			var set preemptSet
			draw := rapid.IntRange(0, odds-1)
			for task := range cfg.tasks {
				for _, p := range points {
					if draw.Draw(t, "switch") == odds-1 {
						p.task = sched.TaskID(task + 1)
						set = append(set, p)
					}
				}
			}
			return set
		}).Draw(t, "dense preemptions")
		for _, p := range dense {
			at[p] = true
		}
		return src
	}
	points := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) preemptAt {
		p := preemptAt{task: sched.TaskID(firstOrUpTo(t, "task", cfg.tasks))}
		if len(cfg.names) > 0 && !rapid.Bool().Draw(t, "by index") {
			p.name = rapid.SampledFrom(cfg.names).Draw(t, "at")
			p.point = firstOrUpTo(t, "occurrence", cfg.seen)
			return p
		}
		p.point = int(rapid.UintRange(1, uint(cfg.points)).Draw(t, "point"))
		return p
	}), 0, cfg.preemptions).Draw(t, "preemptions")
	for _, p := range points {
		at[p] = true
	}
	return src
}

// sparseBlockOdds are the odds against a preemption in a block of points
// past the size of a sparse set.
const sparseBlockOdds = 8

// Option configures the strategy.
type Option func(*config)

type config struct {
	tasks, points, preemptions int
	names                      []string
	seen                       int
}

// Size sets the range the set of preemption points is drawn from when
// the strategy is created: tasks 1 to tasks, scheduling points 1 to points
// of each (defaults 4 and 16). Points past it are drawn as they are reached.
func Size(tasks, points int) Option {
	return func(c *config) { c.tasks, c.points = max(tasks, 1), max(points, 1) }
}

// Points names the yield points of the code under test. Preemption
// points are then drawn, mostly, as "task t at its n-th arrival at point
// name" (n up to seen): far likelier to hit the points that matter than an
// index among all of a task's scheduling points, and as stable under
// shrinking. Index-based points remain possible for locks and waits.
func Points(seen int, names ...string) Option {
	return func(c *config) { c.names, c.seen = names, max(seen, 1) }
}

// MaxPreemptions bounds the number of preemption points (default 8).
func MaxPreemptions(n int) Option {
	return func(c *config) { c.preemptions = max(n, 0) }
}

// densePoints are a task's points a dense set chooses among: its first
// arrivals at each named point, or, without names, its first scheduling
// points. Named points keep their meaning when the program shrinks by an
// operation that does not reach them; an index would shift.
func (c config) densePoints() []preemptAt {
	var ps []preemptAt
	if len(c.names) == 0 {
		for point := range c.points {
			ps = append(ps, preemptAt{point: point + 1})
		}
		return ps
	}
	for _, name := range c.names {
		for n := range c.seen {
			ps = append(ps, preemptAt{name: name, point: n + 1})
		}
	}
	return ps
}

// preemptAt names the point-th scheduling point reached by a task, or,
// with a name, the point-th time the task reached the point of that name.
type preemptAt struct {
	task  sched.TaskID
	name  string
	point int
}

// GoString renders the point as rapid logs a draw: "T2 Y-ADD #1", or
// "T1 point 5" for an index.
func (p preemptAt) GoString() string {
	if p.name == "" {
		return fmt.Sprintf("%s point %d", p.task, p.point)
	}
	return fmt.Sprintf("%s %s #%d", p.task, p.name, p.point)
}

// preemptSet is a dense set of preemption points, drawn as one value so
// that rapid logs it as one line.
type preemptSet []preemptAt

// GoString lists the points.
func (s preemptSet) GoString() string {
	parts := make([]string, len(s))
	for i, p := range s {
		parts[i] = p.GoString()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

type rapidSource struct {
	t  *rapid.T
	at map[preemptAt]bool
	to []int
	// tasks and points are the size the set was drawn within; odds are a
	// dense set's odds against a preemption at a point (0: sparse); drawn
	// are the blocks drawn past the size, later the offsets of the tasks
	// past it.
	tasks, points, odds int
	drawn               map[pointBlock]bool
	later               map[sched.TaskID]int
}

// pointBlock is the n-th block (from 0) of a task's scheduling points, of
// as many points as the size has.
type pointBlock struct {
	task sched.TaskID
	n    int
}

// undrawn returns the block of c's point and whether it lies past the size
// and has not been drawn yet: choosing there draws it first.
func (s *rapidSource) undrawn(c sched.Choice) (pointBlock, bool) {
	if c.Current == sched.NoTask || c.Reached < 1 {
		return pointBlock{}, false
	}
	b := pointBlock{task: c.Current, n: (c.Reached - 1) / s.points}
	return b, s.past(b) && !s.drawn[b]
}

// past reports whether b lies past the size the set was drawn within.
func (s *rapidSource) past(b pointBlock) bool { return int(b.task) > s.tasks || b.n > 0 }

// growAll draws block n of every task spawned so far that lies past the
// size and has not been drawn, by increasing id: the order of the draws
// then depends on the tasks spawned, not on the order the schedule reaches
// them in, so that removing a preemption does not shift the draws of
// other tasks (which would stop rapid from shrinking it away).
func (s *rapidSource) growAll(n int, tasks []sched.TaskInfo) {
	for _, info := range tasks {
		if b := (pointBlock{task: info.ID, n: n}); s.past(b) && !s.drawn[b] {
			s.grow(b)
		}
	}
}

// grow draws the preemptions of block b, and the offset of its task when
// the task is past the size and has none yet.
func (s *rapidSource) grow(b pointBlock) {
	if s.drawn == nil {
		s.drawn, s.later = map[pointBlock]bool{}, map[sched.TaskID]int{}
	}
	s.drawn[b] = true
	if _, ok := s.later[b.task]; !ok && int(b.task) > s.tasks {
		s.later[b.task] = rapid.IntRange(0, s.tasks-1).Draw(s.t, "switch to, "+b.task.String())
	}
	first := b.n * s.points
	if s.odds == 0 {
		if rapid.IntRange(0, sparseBlockOdds-1).Draw(s.t, "preempt in block") == sparseBlockOdds-1 {
			p := preemptAt{task: b.task, point: first + int(rapid.UintRange(1, uint(s.points)).Draw(s.t, "point"))}
			s.at[p] = true
		}
		return
	}
	set := rapid.Custom(func(t *rapid.T) preemptSet {
		var set preemptSet
		draw := rapid.IntRange(0, s.odds-1)
		for i := range s.points {
			if draw.Draw(t, "switch") == s.odds-1 {
				set = append(set, preemptAt{task: b.task, point: first + i + 1})
			}
		}
		return set
	}).Draw(s.t, "dense preemptions, "+b.task.String())
	for _, p := range set {
		s.at[p] = true
	}
}

// switchTo is the index, among n candidates, of the one task t switches
// to: its offset modulo n.
func (s *rapidSource) switchTo(t sched.TaskID, n int) int {
	if t < 1 || n <= 0 {
		return 0
	}
	if int(t) <= len(s.to) {
		return s.to[t-1] % n
	}
	return s.later[t] % n
}

func (s *rapidSource) Choose(c sched.Choice) (int, error) {
	if b, ok := s.undrawn(c); ok {
		s.growAll(b.n, c.Tasks)
	}
	n := len(c.Candidates)
	if !c.Preemptive {
		return s.switchTo(c.Current, n), nil
	}
	if !s.preempts(c) {
		return 0, nil
	}
	return 1 + s.switchTo(c.Current, n-1), nil
}

func (s *rapidSource) Decide(point string, n int) (int, error) {
	if !rapid.Bool().Draw(s.t, point) {
		return 0, nil
	}
	return 1 + s.upTo(n-2, point), nil
}

// upTo draws a value in [0, max], drawing nothing when max is 0.
func (s *rapidSource) upTo(max int, label string) int {
	if max == 0 {
		return 0
	}
	return int(rapid.UintRange(0, uint(max)).Draw(s.t, label))
}

// ChoosesLocally implements sched.Local: a choice looks up what was drawn,
// except at the first point of a block past the size, which draws it.
func (s *rapidSource) ChoosesLocally(c sched.Choice) bool {
	_, undrawn := s.undrawn(c)
	return !undrawn
}

// preempts reports whether the set holds the current task's point.
func (s *rapidSource) preempts(c sched.Choice) bool {
	return s.at[preemptAt{task: c.Current, point: c.Reached}] ||
		s.at[preemptAt{task: c.Current, name: c.Point, point: c.Seen}]
}

// DecidesLocally implements sched.Local: decisions draw.
func (s *rapidSource) DecidesLocally(string, int) bool { return false }

// firstOrUpTo draws 1 with probability one half, else a value in [2, max]:
// the first task runs first in the canonical schedule, so the first
// preemption a bug needs is most often of task 1, and most often at the
// first arrival at a point.
func firstOrUpTo(t *rapid.T, label string, max int) int {
	if max <= 1 || !rapid.Bool().Draw(t, label+" not first") {
		return 1
	}
	return int(rapid.UintRange(2, uint(max)).Draw(t, label))
}
