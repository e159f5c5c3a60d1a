package sched

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// textEvent is an Event whose text is given.
type textEvent string

func (e textEvent) String() string { return string(e) }

// TestDigestIsStable pins the digest of a trace with every kind of record:
// counterexample files store digests and replay compares them, so a change
// of the hashed text would make every stored file fail to replay.
func TestDigestIsStable(t *testing.T) {
	tr := &Trace{Tasks: []TaskInfo{{1, "a", NoTask}, {2, "b c", 1}}, Records: []Record{
		{Step: 1, Task: 1, Kind: KindRun}, {Step: 2, Task: 2, Kind: KindRun, Value: 1},
		{Step: 3, Task: 1, Kind: KindSpawn, Name: "x", Value: 3},
		{Step: 4, Task: NoTask, Kind: KindAdd, Name: "c", Value: -2},
		{Step: 5, Task: 2, Kind: KindDecide, Name: "F", Value: 1},
		{Step: 6, Task: 2, Kind: KindEvent, Event: textEvent("T2 add a")},
		{Step: 7, Task: 2, Kind: KindExit}, {Step: 8, Task: 1, Kind: KindLock, Name: "m"},
		{Step: 9, Task: 1, Kind: Kind(99), Name: "q"},
	}}
	require.Equal(t, "e3cff0a14e2db4b7", tr.Digest())
	require.Equal(t, "spawn T3 x", tr.Records[2].String())
	require.Equal(t, "add c=-2", tr.Records[3].String())
	require.Equal(t, "run (preempts)", tr.Records[1].String())
	require.Equal(t, "kind(99) q", tr.Records[8].String())
}

// TestRecordsStartAtTheLatestLength: a runtime's Records start with room
// for the trace the latest closed runtime recorded, and a quarter more,
// so that a campaign's runs do not grow their traces from initialRecords.
// It must not run in parallel: the hint is the process's.
func TestRecordsStartAtTheLatestLength(t *testing.T) {
	c := NewControlled(RandomWalk(1))
	c.Go("long", func() {
		for range 2 * initialRecords {
			c.Yield("Y")
		}
	})
	require.NoError(t, c.Run())
	c.Close()
	n := len(c.Trace().Records)
	require.Greater(t, n, 2*initialRecords)
	next := NewControlled(RandomWalk(1))
	defer next.Close()
	require.GreaterOrEqual(t, cap(next.trace.Records), n+n/4)
}
