package model_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/devstress/devstress/internal/deps"
)

// The model is written from the spec alone: it links the standard library
// and nothing else, so neither the implementation (sut), its runtime
// (sched, conc) nor a test framework can leak into the oracle.
func TestModelLinksOnlyTheStandardLibrary(t *testing.T) {
	linked, err := deps.Of(".")
	require.NoError(t, err)
	require.Contains(t, linked, "github.com/devstress/devstress/model")
	for _, p := range linked {
		if p == "github.com/devstress/devstress/model" {
			continue
		}
		require.True(t, deps.Standard(p), "model links %s", p)
		require.False(t, deps.Testing(p), "model links %s", p)
	}
}
