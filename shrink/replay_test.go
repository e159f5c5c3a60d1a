package shrink_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

func op(k properties.OpKind, dev int, name string) properties.Op {
	return properties.Op{Kind: k, Dev: dev, Parent: -1, Ref: -1, Name: name}
}

// minimal are spec §16's minimal counterexamples that need no preemption.
var minimal = []struct {
	bug     sut.Bug
	program properties.Program
	want    string
}{
	{sut.BugH7a, properties.Program{
		Clients: [][]properties.Op{{op(properties.OpNewAndRegister, 0, "a")}},
		Faults:  []sched.Fault{{Point: "F-ADD-KOBJ", Nth: 1, Value: 1}},
	}, "FREE-ONLY-IN-RELEASE"},
	{sut.BugH6, properties.Program{Clients: [][]properties.Op{{
		op(properties.OpNewDevice, 0, "d"), op(properties.OpRegister, 0, ""), op(properties.OpGet, 0, ""),
		op(properties.OpTryUnregister, 0, ""), op(properties.OpTryUnregister, 0, ""),
	}}}, "DEL-ONCE"},
	{sut.BugH8, properties.Program{Clients: [][]properties.Op{{
		op(properties.OpNewDevice, 0, "d"), op(properties.OpRegister, 0, ""),
		{Kind: properties.OpDevres, Dev: 0, Parent: -1, Ref: 0}, op(properties.OpUnregister, 0, ""),
	}}}, "DEVRES-SCOPE"},
}

// A failure of the sequential executor (the model compared after every
// operation) becomes a file that says so, replays and minimizes.
func TestSequentialVerdictsBecomeFiles(t *testing.T) {
	m := minimal[1] // H6, one client
	opt := properties.Options{Bug: m.bug}
	v := properties.ExecuteSequential(m.program, opt)
	require.NotNil(t, v.Failure)
	require.Equal(t, properties.Sequential, v.Executor)
	f, err := shrink.FromVerdict(v, v.Options)
	require.NoError(t, err)
	require.True(t, f.Sequential)
	require.Empty(t, f.Schedule)
	require.Contains(t, f.String(), "\nexecutor sequential\n")
	g, err := shrink.Parse(strings.NewReader(f.String()))
	require.NoError(t, err)
	require.Equal(t, f, g)
	require.NoError(t, shrink.Check(g))
	require.Equal(t, v.Trace.Digest(), shrink.Replay(g).Trace.Digest())
	small, _, err := shrink.Minimize(g)
	require.NoError(t, err)
	require.True(t, small.Sequential)
	require.NoError(t, shrink.Check(small))
}

// A hand-written minimal counterexample replays to its invariant, also
// from its file text.
func TestMinimalCounterexamplesReplay(t *testing.T) {
	for _, m := range minimal {
		t.Run(string(m.bug), func(t *testing.T) {
			opt := properties.Options{Bug: m.bug}
			v := properties.Execute(m.program, sched.Canonical(), opt)
			require.NotNil(t, v.Failure)
			require.Equal(t, m.want, v.Failure.Invariant, "%s", v)
			f, err := shrink.FromVerdict(v, opt)
			require.NoError(t, err)
			require.Empty(t, f.Schedule, "the canonical schedule has no switch")
			g, err := shrink.Parse(strings.NewReader(f.String()))
			require.NoError(t, err, "%s", f)
			require.NoError(t, shrink.Check(g))
		})
	}
}

// found runs generated programs under random walks on the core with bug
// until n of them fail (or pass, for the correct core), and returns their
// verdicts with a name for each.
func found(t *testing.T, bug sut.Bug, n int) ([]*properties.Verdict, []string) {
	t.Helper()
	var vs []*properties.Verdict
	var names []string
	for i := 0; i < 2000 && len(vs) < n; i++ {
		p := gen.Programs(properties.DefaultSizes).Example(i)
		v := properties.Execute(p, sched.RandomWalk(uint64(i)), properties.Options{Bug: bug})
		if (v.Failure != nil) == (bug != sut.BugNone) {
			vs = append(vs, v)
			names = append(names, fmt.Sprintf("%s/example%d", bug, i))
		}
	}
	require.Len(t, vs, n, "failing random walks on %s", bug)
	return vs, names
}

// A verdict from a random walk, with its many switches after blocks and
// exits, becomes a file that replays to the same invariant, step and
// digest, through the file's text.
func TestRecordThenReplayGivesTheSameRun(t *testing.T) {
	for _, bug := range []sut.Bug{sut.BugNone, sut.BugH6, sut.BugH3, sut.BugH4, sut.BugH10B} {
		vs, names := found(t, bug, 1+boolInt(bug != sut.BugH10B))
		for i, v := range vs {
			t.Run(names[i], func(t *testing.T) {
				opt := properties.Options{Bug: bug}
				f, err := shrink.FromVerdict(v, opt)
				require.NoError(t, err)
				var b strings.Builder
				require.NoError(t, shrink.Write(&b, f))
				g, err := shrink.Parse(strings.NewReader(b.String()))
				require.NoError(t, err)
				again := shrink.Replay(g)
				if v.Failure == nil {
					require.Nil(t, again.Failure)
				} else {
					require.NotNil(t, again.Failure, "%s", b.String())
					require.Equal(t, v.Failure.Invariant, again.Failure.Invariant)
					require.Equal(t, v.Failure.Step, again.Failure.Step)
				}
				require.Equal(t, v.Trace.Digest(), again.Trace.Digest())
				require.NoError(t, shrink.Check(g))
			})
		}
	}
}

// The same file replays to the same trace every time: a random walk's
// file with many switches, and every known bug's file, 100 times each
// (under -race too, as go test -race ./... runs it).
func TestReplayIsDeterministic(t *testing.T) {
	vs, _ := found(t, sut.BugH6, 1)
	f, err := shrink.FromVerdict(vs[0], properties.Options{Bug: sut.BugH6})
	require.NoError(t, err)
	require.NotEmpty(t, f.Schedule)
	files := map[string]shrink.File{"random walk": f}
	paths, err := filepath.Glob("../properties/testdata/counterexamples/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		files[filepath.Base(path)], err = shrink.ReadFile(path)
		require.NoError(t, err)
	}
	for name, f := range files {
		t.Run(name, func(t *testing.T) {
			for i := range 100 {
				require.NoError(t, shrink.Check(f), "replay %d", i+1)
			}
		})
	}
}

// Check says what differs when a file no longer replays as it expects.
func TestCheckReportsTheDifference(t *testing.T) {
	m := minimal[1] // H6
	opt := properties.Options{Bug: m.bug}
	f, err := shrink.FromVerdict(properties.Execute(m.program, sched.Canonical(), opt), opt)
	require.NoError(t, err)

	fixed := f
	fixed.Options.Bug = sut.BugNone // the bug was fixed: the file now passes
	fixed.Schedule = shrink.Schedule{{At: shrink.Key{Task: shrink.TaskRef{Name: "client1", Nth: 1}, Point: "Y-NOWHERE", Seen: 1},
		To: shrink.TaskRef{Name: "client2", Nth: 1}}}
	err = shrink.Check(fixed)
	require.Error(t, err)
	msg := err.Error()
	require.Contains(t, msg, "verdict: want DEL-ONCE at step")
	require.Contains(t, msg, "got pass")
	require.Contains(t, msg, "digest: want "+f.Digest)
	require.Contains(t, msg, `switch never taken: at "client1" Y-NOWHERE #1 -> "client2"`)

	// Verify gives the same error with the verdict it replayed.
	v, verr := shrink.Verify(fixed)
	require.EqualError(t, verr, msg)
	require.Nil(t, v.Failure)
	v, verr = shrink.Verify(f)
	require.NoError(t, verr)
	require.Equal(t, f.Digest, v.Trace.Digest())

	moved := f
	moved.Expect.Step++
	require.ErrorContains(t, shrink.Check(moved), fmt.Sprintf("want DEL-ONCE at step %d, got DEL-ONCE at step %d", f.Expect.Step+1, f.Expect.Step))
}

// Record refuses a verdict whose run the options do not reproduce.
func TestRecordNeedsTheOptionsOfTheRun(t *testing.T) {
	m := minimal[0] // H7a
	v := properties.Execute(m.program, sched.Canonical(), properties.Options{Bug: m.bug})
	_, err := shrink.Record(v, properties.Options{})
	require.ErrorContains(t, err, "recording the schedule")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
