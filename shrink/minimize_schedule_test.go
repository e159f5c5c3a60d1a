package shrink_test

import (
	"testing"

	"github.com/devstress/devstress/shrink"

	"github.com/stretchr/testify/require"
)

// H2 with two preemptions, which no deletion lowers: the re-schedule pass
// finds one switch for the same program, then a deletion that loses the
// failure under it survives with another schedule.
func TestMinimizeReschedules(t *testing.T) {
	f := readStuck(t, "H2-two-preemptions.txt")
	require.Equal(t, 2, shrink.SizeOf(f).Preemptions)
	_, st, log := logged(t, f)
	require.Equal(t, 1, st.After.Preemptions)
	require.Less(t, st.After.Ops, st.Before.Ops)
	require.Contains(t, log, `re-schedule, schedule at "register c#1" Y-REG-JOB #3 -> "client1"`)
	require.Contains(t, log, `client 1: drop Wait(d0), schedule at`)
}

// H3 where one client registers the driver and creates the device whose
// bind triggers, and the other creates the device whose probe defers: two
// preemptions are needed for that program. Moving the triggering device
// to a new client lets one switch, in the middle of the deferring probe,
// lose the trigger.
func TestMinimizeSplitsAClient(t *testing.T) {
	f := readStuck(t, "H3-split-client.txt")
	g, st, log := logged(t, f)
	require.Equal(t, [3]int{3, 0, 1}, st.After.Spec())
	require.Contains(t, log, `move client 1's d0 := NewAndRegister("c") to a new client 3, schedule at "client2" Y-PROBE-PRE #1 -> "client3"`)
	require.Equal(t, []string{
		`client 1: DriverRegister(A)`,
		`client 2: d0 := NewAndRegister("a")`,
		`client 3: d0 := NewAndRegister("c")`,
	}, ops(g))
}

// H3 in one client with asynchronous attaches: re-scheduling without the
// free switch gives one preemption, and then deleting a device, which
// shifts the handles the switch names ("attach b#2" becomes "attach
// b#1"), survives with a schedule the edit-then-re-schedule pass finds.
func TestMinimizeReschedulesAnEdit(t *testing.T) {
	f := readStuck(t, "H3-async-attach.txt")
	_, st, log := logged(t, f)
	require.Equal(t, [3]int{6, 0, 2}, st.Before.Spec())
	require.Equal(t, 1, st.After.Preemptions)
	require.LessOrEqual(t, st.After.Ops, 4)
	require.Contains(t, log, `re-schedule without free switches, schedule at "driver-attach a#1" Y-DEFER-ADD #1 -> "attach b#2"`)
	require.Contains(t, log, `client 1: drop d1 := NewAndRegister("b"), schedule at "driver-attach a#1" Y-DEFER-ADD #1 -> "attach b#1"`)
}

// H10B where the task that registers the driver is not the one whose
// override the match reads: two or three preemptions are needed for that
// program (one to set the override between the device's creation and
// the match, one at Y-MATCH). Moving DriverRegister after the override,
// in the same client, lets one switch at Y-MATCH free the override.
func TestMinimizeMovesAnOperation(t *testing.T) {
	f := readStuck(t, "H10B-seed2.txt")
	g, st, log := logged(t, f)
	require.Equal(t, [3]int{4, 0, 3}, st.Before.Spec())
	require.Equal(t, [3]int{4, 0, 1}, st.After.Spec())
	require.Contains(t, log, `client 2: move DriverRegister(A) to place 2, schedule at "client2" Y-MATCH #1 -> "client3"`)
	require.Equal(t, []string{
		`client 1: d0 := NewAndRegister("b")`,
		`client 2: SetOverride(FindDevice("b"), "A")`,
		`client 2: DriverRegister(A)`,
		`client 3: SetOverride(FindDevice("b"), "B")`,
	}, ops(g))

	// Into another client: the driver registers in the client that sets
	// the override.
	_, _, log = logged(t, readStuck(t, "H10B-seed10.txt"))
	require.Contains(t, log, `move client 1's DriverRegister(A) to client 2, place 2, schedule at "client2" Y-MATCH #1 -> "client3"`)
}

// H10B with three preemptions and the two overrides in one client: no
// one-switch schedule fails for any single edit, but splitting the client
// fails under two preemptions, after which a move needs one.
func TestMinimizeSplitsUnderTwoPreemptions(t *testing.T) {
	f := readStuck(t, "H10B-seed5.txt")
	_, st, log := logged(t, f)
	require.Equal(t, [3]int{5, 0, 3}, st.Before.Spec())
	require.Equal(t, [3]int{4, 0, 1}, st.After.Spec())
	require.Contains(t, log, `move client 2's SetOverride(FindDevice("a"), "B") to a new client 3, schedule at "client1" Y-MATCH #1 -> "client2", at "client1" Y-MATCH #2 -> "client3": (5, 0, 2)`)
	require.Contains(t, log, `move client 1's DriverRegister(A) to client 2, place 2`)
}

// H10B with an asynchronous attach: the match runs in the attach task,
// which must run before the client that frees the override. A free
// switch when client 1 exits and one preemption at Y-MATCH do it.
func TestMinimizeReschedulesWithAFreeSwitch(t *testing.T) {
	f := readStuck(t, "H10B-seed18.txt")
	g, st, log := logged(t, f)
	require.Equal(t, [3]int{6, 0, 2}, st.Before.Spec())
	require.Equal(t, [3]int{4, 0, 1}, st.After.Spec())
	require.Contains(t, log, `re-schedule, schedule at "client1" exit #1 -> "attach c#1", at "attach c#1" Y-MATCH #1 -> "client2"`)
	require.Contains(t, g.String(), `at "client1" exit #1 -> "attach c#1"`)
}

// H9d where a fault-plan entry makes a module's driver registration fail:
// the failure holds without the fault only under another schedule of two
// preemptions, which the edit-then-re-schedule pass finds for the
// deletion of the fault, then the six preemptions of the file become two.
func TestMinimizeReschedulesWithoutAFault(t *testing.T) {
	f := readStuck(t, "H9d-fault-six-preemptions.txt")
	require.Equal(t, [3]int{3, 1, 6}, shrink.SizeOf(f).Spec())
	_, st, log := logged(t, f)
	require.Equal(t, [3]int{3, 0, 2}, st.After.Spec())
	require.Contains(t, log, `drop fault F-PROBE-LINKS hit 1, schedule at`)
}
