package campaign

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// A unit's run depends only on the campaign's seed and the unit's index
// (the stress baseline's real goroutines aside).
func TestUnitIsDeterministic(t *testing.T) {
	for _, st := range Strategies {
		if st == Stress {
			continue
		}
		c := Config{Seed: 7, Strategy: st, PerProgram: 5}.WithDefaults()
		a, b := RunUnit(c, 3), RunUnit(c, 3)
		require.Equal(t, a.Digests, b.Digests, "%s", st)
		require.NotEmpty(t, a.Digests, "%s", st)
		require.NotEqual(t, a.Digests, RunUnit(c, 4).Digests, "%s: units 3 and 4 run the same", st)
	}
}

// The shards of a budgeted campaign run exactly its units, and so does
// any number of workers.
func TestShardsCoverTheCampaign(t *testing.T) {
	run := func(sh Shard) *Summary {
		s, err := Run(context.Background(), Config{Seed: 3, Execs: 30, Shard: sh}, Options{})
		require.NoError(t, err)
		return s
	}
	whole, one, two := run(Shard{}), run(Shard{1, 2}), run(Shard{2, 2})
	require.Equal(t, 30, whole.Units)
	require.Equal(t, 15, one.Units)
	require.Equal(t, 15, two.Units)
	union := map[string]bool{}
	for _, d := range append(one.Digests(), two.Digests()...) {
		union[d] = true
	}
	require.Len(t, union, whole.Interleavings())
	for _, d := range whole.Digests() {
		require.True(t, union[d], "digest %s of the whole campaign in no shard", d)
	}
}

// Run rejects a bad configuration before it starts a worker.
func TestRunRejectsBadConfig(t *testing.T) {
	for _, c := range []Config{{Strategy: "dfs"}, {Bug: "H99"}, {Shard: Shard{3, 2}}, {Execs: -1}, {Depth: -1}} {
		_, err := Run(context.Background(), c, Options{})
		require.Error(t, err, "%+v", c)
	}
}

// A hunt for H6 stops at its first failure, which the store writes,
// minimizes within the spec's minimal, and the file replays.
func TestHuntAndStore(t *testing.T) {
	c := Config{Seed: 1, Bug: sut.BugH6, Execs: 3000}
	dir := t.TempDir()
	st, err := NewStore(dir, 1)
	require.NoError(t, err)
	s, err := Run(context.Background(), c, Options{StopAtFirst: true, Found: func(f Found) {
		_, err := st.Record(f)
		require.NoError(t, err)
	}})
	require.NoError(t, err)
	require.Len(t, s.Failures, 1)
	require.Equal(t, s.Failures[0].Index+1, s.Units, "units after the first failure ran")
	require.Empty(t, s.Failures[0].Err, "the failure was recorded as a file: %s", s.Failures[0].Headline)
	kept, err := st.Minimize()
	require.NoError(t, err)
	require.Len(t, kept, 1)
	require.NoError(t, kept[0].Err)
	_, within := Versus(kept[0].Stats.After.Spec(), [3]int{5, 0, 0})
	require.True(t, within, "%v", kept[0].Stats.After)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	require.NoError(t, err)
	require.Equal(t, []string{kept[0].Path}, files, "the recorded file was replaced by the minimized one")
	f, err := shrink.ReadFile(kept[0].Path)
	require.NoError(t, err)
	require.NoError(t, shrink.Check(f))
}

// A failure of the broad program replays, as recorded and once minimized:
// its fault plan is part of the program, and its schedule a controlled
// run's.
func TestBroadFailureReplays(t *testing.T) {
	c := Config{Seed: 1, Strategy: Broad, Bug: sut.BugH2, Execs: 200}
	st, err := NewStore(t.TempDir(), 1)
	require.NoError(t, err)
	s, err := Run(context.Background(), c, Options{StopAtFirst: true, Found: func(f Found) {
		_, err := st.Record(f)
		require.NoError(t, err)
	}})
	require.NoError(t, err)
	require.Len(t, s.Failures, 1, "the broad program did not expose H2 in 200 executions")
	require.Empty(t, s.Failures[0].Err)
	f, err := shrink.Parse(strings.NewReader(s.Failures[0].File))
	require.NoError(t, err)
	require.NoError(t, shrink.Check(f), "the recorded file does not replay")
	kept, err := st.Minimize()
	require.NoError(t, err)
	require.Len(t, kept, 1)
	require.NoError(t, kept[0].Err)
	m, err := shrink.ReadFile(kept[0].Path)
	require.NoError(t, err)
	require.NoError(t, shrink.Check(m), "the minimized file does not replay")
	require.Less(t, kept[0].Stats.After.Spec()[0], kept[0].Stats.Before.Spec()[0], "minimizing removed no operation")
}

// A store refuses a directory it cannot write.
func TestStoreUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err := NewStore(filepath.Join(file, "out"), 1)
	require.Error(t, err)
}

// Progress counts down the units of the shard that are left.
func TestProgressCountsTheShardsUnits(t *testing.T) {
	for _, c := range []struct {
		shard Shard
		want  int
	}{{Shard{}, 10}, {Shard{1, 3}, 4}, {Shard{2, 3}, 3}, {Shard{3, 3}, 3}} {
		s := newSummary(Config{Execs: 10, Shard: c.shard}, 1)
		require.Equal(t, c.want, s.progress(0, 0).ExecsLeft, "shard %s", c.shard)
		s.add(Outcome{Index: c.shard.K}, 0)
		require.Equal(t, c.want-1, s.progress(0, 0).ExecsLeft, "shard %s", c.shard)
	}
}

// A worker writes its units in order, in batches, each unit once, with
// their coverage merged into the batch's: the campaign's coverage counts
// every execution once.
func TestServeBatchesTheUnits(t *testing.T) {
	var out bytes.Buffer
	in, plan := io.Pipe()
	go func() { _, _ = io.WriteString(plan, `{"Config":{"Seed":5,"Execs":40},"Worker":0,"Workers":1}`+"\n") }()
	require.NoError(t, Serve(in, &out)) // the input stays open: all 40 units run
	require.NoError(t, plan.Close())
	var units, runs, covered int
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var b Batch
		require.NoError(t, json.Unmarshal(sc.Bytes(), &b))
		require.NotEmpty(t, b.Units)
		for _, o := range b.Units {
			require.Equal(t, units, o.Index, "units out of order")
			require.Nil(t, o.Coverage, "a unit's coverage is sent merged, not with it")
			units++
			runs += o.Runs
		}
		covered += b.Coverage.Executions
	}
	require.NoError(t, sc.Err())
	require.Equal(t, 40, units)
	require.Equal(t, runs, covered)
}

// The scoreboard judges each hunt's size on its own and reports the worst:
// [4 0 0] against a minimal of [3 1 0] is a different counterexample no
// larger, and [2 1 0] is smaller; their largest counts, [4 1 0], are no
// hunt's and would read as larger. A hunt whose failure was not minimized
// (the stress baseline's, or one the shrinker could not reproduce) has no
// size to judge.
func TestScoreWorstJudgesEachHunt(t *testing.T) {
	sc := Score{Minimal: [3]int{3, 1, 0}, Hunts: []Hunt{
		{Found: true, Minimized: true, Size: [3]int{4, 0, 0}}, {Found: true, Minimized: true, Size: [3]int{2, 1, 0}},
		{Found: false, Size: [3]int{9, 9, 9}}, {Found: true, Size: [3]int{9, 9, 9}},
	}}
	size, how, within := sc.Worst()
	require.Equal(t, [3]int{4, 0, 0}, size)
	require.Equal(t, "other, no larger", how)
	require.Equal(t, 2, within)
	sc.Hunts = append(sc.Hunts, Hunt{Found: true, Minimized: true, Size: [3]int{3, 1, 1}})
	size, how, within = sc.Worst()
	require.Equal(t, [3]int{3, 1, 1}, size)
	require.Equal(t, "LARGER", how)
	require.Equal(t, 2, within)
}

// Quantiles are taken over the hunts that found the bug, executions and
// times each sorted on its own: the median is the upper one of an even
// count, the 0.9-quantile of five is the largest, and a score with no
// find has zeros.
func TestScoreQuantileOverFinds(t *testing.T) {
	sc := Score{Hunts: []Hunt{
		{Found: true, Executions: 40, Time: 1 * time.Millisecond},
		{Found: false, Executions: 9999, Time: time.Hour},
		{Found: true, Executions: 10, Time: 4 * time.Millisecond},
		{Found: true, Executions: 30, Time: 3 * time.Millisecond},
		{Found: true, Executions: 20, Time: 2 * time.Millisecond},
	}}
	execs, wall := sc.Median()
	require.Equal(t, 30, execs)
	require.Equal(t, 3*time.Millisecond, wall)
	execs, wall = sc.Quantile(0.9)
	require.Equal(t, 40, execs)
	require.Equal(t, 4*time.Millisecond, wall)
	execs, wall = sc.Quantile(0)
	require.Equal(t, 10, execs)
	require.Equal(t, time.Millisecond, wall)
	execs, wall = Score{Hunts: sc.Hunts[1:2]}.Quantile(0.9)
	require.Zero(t, execs)
	require.Zero(t, wall)
}
