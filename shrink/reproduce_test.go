package shrink_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// A failure of the free runtime, which does not replay, becomes a file
// through a controlled schedule that fails the same way; deterministically.
func TestReproduceFindsAControlledRunOfAFreeFailure(t *testing.T) {
	h3, err := shrink.ReadFile("../properties/testdata/counterexamples/H3.txt")
	require.NoError(t, err)
	free := &properties.Verdict{Program: h3.Program, Options: h3.Options, Executor: properties.Free,
		Failure: &properties.Failure{Invariant: "NO-LOST-TRIGGER", Msg: "as a free run saw it"}}
	f, err := shrink.Reproduce(free, 0)
	require.NoError(t, err)
	require.Equal(t, "NO-LOST-TRIGGER", f.Expect.Invariant)
	require.NoError(t, shrink.Check(f))
	again, err := shrink.Reproduce(free, 0)
	require.NoError(t, err)
	require.Equal(t, f, again)

	_, err = shrink.FromVerdict(free, free.Options)
	require.ErrorContains(t, err, "a run of the free runtime does not replay")
}

func TestReproduceSaysWhenItCannot(t *testing.T) {
	h3, err := shrink.ReadFile("../properties/testdata/counterexamples/H3.txt")
	require.NoError(t, err)
	free := &properties.Verdict{Program: h3.Program, Options: properties.Options{Bug: sut.BugNone}, Executor: properties.Free,
		Failure: &properties.Failure{Invariant: "NO-LOST-TRIGGER"}}
	_, err = shrink.Reproduce(free, 50)
	require.ErrorContains(t, err, "no controlled schedule of 50 tried fails with NO-LOST-TRIGGER")

	_, err = shrink.Reproduce(&properties.Verdict{Program: h3.Program}, 50)
	require.ErrorContains(t, err, "the run did not fail")
}
