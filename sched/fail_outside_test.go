package sched_test

import (
	"errors"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// A check after the run calls Fail on the test goroutine, outside any
// task: Fail records the failure, returns, and the next Run reports it.
func TestControlledFailOutsideATaskIsTheNextRunsError(t *testing.T) {
	first, second := errors.New("balance 10, want 20"), errors.New("second")
	c := sched.NewControlled(sched.Canonical())
	defer c.Close()
	c.Go("t", func() { c.Yield("y") })
	require.NoError(t, c.Run())
	c.Fail(first)
	c.Fail(second)
	require.ErrorIs(t, c.Run(), first, "the first failure wins")
	require.Equal(t, []string{"- fail balance 10, want 20", "- fail second"}, steps(c.Trace(), sched.KindFail))
	require.Contains(t, c.Trace().String(), "   2 (outside) fail balance 10, want 20\n")
}

// Fail before Run ends the run at once: no task runs.
func TestControlledFailBeforeRunEndsItBeforeAnyStep(t *testing.T) {
	sentinel := errors.New("bad setup")
	c := sched.NewControlled(sched.Canonical())
	defer c.Close()
	ran := false
	c.Go("t", func() { ran = true })
	c.Fail(sentinel)
	require.ErrorIs(t, c.Run(), sentinel)
	require.False(t, ran)
}

func TestFreeFailOutsideATaskIsTheNextRunsError(t *testing.T) {
	sentinel := errors.New("final check")
	f := sched.NewFree(1)
	n := 0
	f.Go("t", func() { n++ })
	require.NoError(t, f.Run())
	f.Fail(sentinel)
	require.Equal(t, 1, n)
	require.ErrorIs(t, f.Run(), sentinel)
}
