package sched_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/devstress/devstress/internal/deps"
)

// The engines link the standard library, package conc and the free
// runtime's goroutine id (petermattis/goid) only: the rapid strategy lives
// in package rapidsched, so that a tool or a harness that drives code with
// sched links neither rapid nor package testing (nor the flags rapid
// registers in its init).
func TestEnginesLinkNoTestFramework(t *testing.T) {
	linked, err := deps.Of(".")
	require.NoError(t, err)
	require.Contains(t, linked, "github.com/devstress/devstress/conc")
	for _, d := range linked {
		if !deps.Standard(d) {
			require.Contains(t, []string{"github.com/devstress/devstress/conc", "github.com/devstress/devstress/sched",
				"github.com/petermattis/goid"}, d, "sched links a module outside the standard library")
		}
		require.False(t, deps.Testing(d), "sched links %s", d)
		require.NotEqual(t, "flag", d, "sched links package flag")
	}
}
