package sched_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sched/rapidsched"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// opKind is an operation of a generated task.
type opKind int

const (
	opYield opKind = iota
	opIncrement
	opLockedIncrement
	opDecide
	opEmit
	opComplete
	opWait
	opAdd
	opDone
	opWaitZero
	opSpawn
	opKinds
)

type op struct {
	kind opKind
	arg  int
}

// program is a generated concurrent program over shared state.
type program [][]op

var opGen = rapid.Custom(func(t *rapid.T) op {
	return op{kind: opKind(rapid.IntRange(0, int(opKinds)-1).Draw(t, "op")), arg: rapid.IntRange(0, 1).Draw(t, "arg")}
})

var programGen = rapid.SliceOfN(rapid.SliceOfN(opGen, 1, 6), 1, 4)

// build spawns the program's tasks on rt. Everything a task does depends on
// shared state, so any difference in scheduling shows in the trace.
func (p program) build(rt sched.Runtime) {
	x := 0
	ms := []sched.Mutex{rt.NewMutex("m0"), rt.NewMutex("m1")}
	cs := []sched.Completion{rt.NewCompletion("c0"), rt.NewGate("g1")}
	ns := []sched.Counter{rt.NewCounter("n0"), rt.NewCounter("n1")}
	var body func(ops []op) func()
	body = func(ops []op) func() {
		return func() {
			for _, o := range ops {
				switch o.kind {
				case opYield:
					rt.Yield(fmt.Sprintf("y%d", o.arg))
				case opIncrement:
					v := x
					rt.Yield("inc")
					x = v + 1
				case opLockedIncrement:
					ms[o.arg].Lock()
					v := x
					rt.Yield("locked inc")
					x = v + 1
					ms[o.arg].Unlock()
				case opDecide:
					x += rt.Decide(fmt.Sprintf("d%d", o.arg), 2+o.arg)
				case opEmit:
					rt.Emit(note(fmt.Sprintf("x=%d", x)))
				case opComplete:
					cs[o.arg].Complete()
				case opWait:
					cs[o.arg].Wait()
				case opAdd:
					ns[o.arg].Add(1)
				case opDone:
					if ns[o.arg].Value() > 0 {
						ns[o.arg].Add(-1)
					}
				case opWaitZero:
					ns[o.arg].Wait()
				case opSpawn:
					rt.Go("child", body([]op{{kind: opIncrement}, {kind: opEmit}}))
				}
			}
		}
	}
	for i, ops := range p {
		rt.Go(fmt.Sprintf("t%d", i+1), body(ops))
	}
}

func TestSameDecisionsGiveTheSameTrace(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := program(programGen.Draw(rt, "program"))
		seed := rapid.Uint64().Draw(rt, "seed")
		strategies := map[string]func() sched.Strategy{
			"random walk": func() sched.Strategy { return sched.RandomWalk(seed) },
			"PCT":         func() sched.Strategy { return sched.PCT(seed, 3, 40) },
			"bytes":       func() sched.Strategy { return sched.Bytes([]byte(fmt.Sprint(seed))) },
		}
		for name, s := range strategies {
			tr1, ds, err1 := run(s(), p.build)
			tr2, _, err2 := run(s(), p.build)
			require.Equal(rt, tr1.Digest(), tr2.Digest(), "%s: same seed, different trace", name)
			require.Equal(rt, errText(err1), errText(err2))
			tr3, ds3, err3 := run(sched.Replay(ds), p.build)
			require.Equal(rt, tr1.String(), tr3.String(), "%s: replay of the recorded decisions differs", name)
			require.Equal(rt, errText(err1), errText(err3))
			require.Equal(rt, ds, ds3)
		}
	})
}

func TestRapidStrategyIsDeterministic(t *testing.T) {
	// rapid replays a failing case to shrink it; the same draws must give
	// the same run. Record the decisions under rapid, then replay them.
	rapid.Check(t, func(rt *rapid.T) {
		p := program(programGen.Draw(rt, "program"))
		tr, ds, err := run(rapidsched.New(rt, rapidsched.Size(5, 12)), p.build)
		tr2, _, err2 := run(sched.Replay(ds), p.build)
		require.Equal(rt, tr.Digest(), tr2.Digest())
		require.Equal(rt, errText(err), errText(err2))
	})
}
