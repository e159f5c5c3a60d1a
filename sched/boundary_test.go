package sched_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The engines link the standard library, package conc and the free
// runtime's goroutine id (petermattis/goid) only: the rapid strategy lives
// in package rapidsched, so that a tool or a harness that drives code with
// sched links neither rapid nor package testing (nor the flags rapid
// registers in its init).
func TestEnginesLinkNoTestFramework(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/devstress/devstress/conc")
	for _, d := range deps {
		first, _, _ := strings.Cut(d, "/")
		if strings.Contains(first, ".") {
			require.Contains(t, []string{"github.com/devstress/devstress/conc", "github.com/devstress/devstress/sched",
				"github.com/petermattis/goid"}, d, "sched links a module outside the standard library")
		}
		require.NotEqual(t, "testing", d, "sched links package testing")
		require.False(t, strings.HasPrefix(d, "testing/"), "sched links %s", d)
		require.NotEqual(t, "flag", d, "sched links package flag")
	}
}
