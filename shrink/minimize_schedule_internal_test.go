package shrink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// minimizerOf starts minimizing a file of testdata/minimize, logging the
// kept candidates into log.
func minimizerOf(t *testing.T, name string, log *[]string) *minimizer {
	t.Helper()
	f, err := ReadFile("testdata/minimize/" + name)
	require.NoError(t, err)
	cfg := minimizeConfig{budget: DefaultBudget, replay: replayTraced, logf: func(format string, args ...any) {
		*log = append(*log, fmt.Sprintf(format, args...))
	}}
	m, err := newMinimizer(f, cfg)
	require.NoError(t, err)
	return m
}

// Retarget makes two of H3's four switches one: a switch runs another
// task, runnable at its choice, and one of the others goes. Each kept
// candidate has one preemption fewer and still fails.
func TestRetargetMergesTwoSwitches(t *testing.T) {
	var log []string
	m := minimizerOf(t, "H3-four-preemptions.txt", &log)
	require.Equal(t, 4, SizeOf(m.cur).Preemptions)
	m.retarget()
	require.NotEmpty(t, log)
	for _, l := range log {
		require.Contains(t, l, "retarget ")
	}
	require.Less(t, SizeOf(m.cur).Preemptions, 4)
	require.Equal(t, SizeOf(m.cur).Ops, m.stats.Before.Ops, "the program is left alone")
	require.NoError(t, Check(m.cur))
	t.Log(strings.Join(log, "\n"))
}

// The single switches of a baseline come in the canonical order: at the
// task and point of a replaced switch, then at its point, then at a
// client's choices, then the rest; the replaced switch's target first,
// then clients, then other tasks.
func TestSingleSwitchesOrder(t *testing.T) {
	k := func(task, point string, seen int) Key {
		return Key{Task: TaskRef{Name: task, Nth: 1}, Point: point, Seen: seen}
	}
	ref := func(name string) TaskRef { return TaskRef{Name: name, Nth: 1} }
	cps := []choicePoint{
		{at: k("deferred-worker", "Y-A", 1), others: []TaskRef{ref("client1")}},
		{at: k("client1", "Y-B", 1), others: []TaskRef{ref("attach a#1"), ref("client2")}},
		{at: k("client2", "exit", 1), others: []TaskRef{ref("client1")}, free: true},
		{at: k("client2", "Y-A", 1), others: []TaskRef{ref("client1")}},
		{at: k("client1", "Y-A", 2), others: []TaskRef{ref("client2"), ref("deferred-worker")}},
	}
	replaced := Schedule{{At: k("client1", "Y-A", 1), To: ref("deferred-worker")}}
	var got []string
	for _, sw := range singleSwitches(cps, replaced) {
		got = append(got, sw.String())
	}
	require.Equal(t, []string{
		`at "client1" Y-A #2 -> "deferred-worker"`,
		`at "client1" Y-A #2 -> "client2"`,
		`at "deferred-worker" Y-A #1 -> "client1"`,
		`at "client2" Y-A #1 -> "client1"`,
		`at "client1" Y-B #1 -> "client2"`,
		`at "client1" Y-B #1 -> "attach a#1"`,
	}, got)
}

// The NO-UAF of H9-no-uaf-seed18.txt needs two preemptions: the
// program's baseline fails UNREGISTER-QUIESCES-DRIVER (the attach job
// has not started when DriverUnregister returns), and no schedule of one
// preemption fails NO-UAF; the file's two-switch schedule does.
func TestH9NoUAFNeedsTwoPreemptions(t *testing.T) {
	f, err := ReadFile("testdata/minimize/H9-no-uaf-seed18.txt")
	require.NoError(t, err)
	require.Equal(t, 2, preemptions(f.Schedule))
	require.Equal(t, "NO-UAF", replayTraced(f).v.Failure.Invariant)
	f.Schedule = nil
	r := replayTraced(f)
	require.NotNil(t, r.v.Failure)
	require.Equal(t, "UNREGISTER-QUIESCES-DRIVER", r.v.Failure.Invariant)
	singles := singleSwitches(r.choices, nil)
	require.Len(t, singles, 97)
	for _, sw := range singles {
		g := cloneFile(f)
		g.Schedule = Schedule{sw}
		if v := replayTraced(g).v; v.Failure != nil {
			require.NotEqual(t, "NO-UAF", v.Failure.Invariant, "%s", sw)
		}
	}
}

// The first switches of a two-switch search: the free ones first (with
// each other task), then the preemptive ones at the first arrival of
// their task at their point, at yield points before locks.
func TestFirstSwitchesOrder(t *testing.T) {
	k := func(task, point string, seen int) Key {
		return Key{Task: TaskRef{Name: task, Nth: 1}, Point: point, Seen: seen}
	}
	ref := func(name string) TaskRef { return TaskRef{Name: name, Nth: 1} }
	cps := []choicePoint{
		{at: k("client1", "lock bus", 1), others: []TaskRef{ref("client2")}},
		{at: k("client1", "Y-ITER", 1), others: []TaskRef{ref("client2")}},
		{at: k("client1", "Y-ITER", 2), others: []TaskRef{ref("client2")}},
		{at: k("client1", "exit", 1), others: []TaskRef{ref("attach a#1"), ref("client2")}, free: true},
		{at: k("client2", "Y-MATCH", 1), others: []TaskRef{ref("attach a#1")}},
	}
	var got []string
	for _, sw := range firstSwitches(cps, nil, true) {
		got = append(got, sw.String())
	}
	require.Equal(t, []string{
		`at "client1" exit #1 -> "attach a#1"`,
		`at "client1" exit #1 -> "client2"`,
		`at "client1" Y-ITER #1 -> "client2"`,
		`at "client2" Y-MATCH #1 -> "attach a#1"`,
		`at "client1" "lock bus" #1 -> "client2"`,
	}, got)
	free := firstSwitches(cps, nil, false)
	require.Len(t, free, 2, "without two preemptions, the free switches alone")
}
