//go:build race

package sched_test

import (
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// The free runtime exists so that the race detector sees what the
// controlled runtime serializes away: the buggy lost-update kernel, whose
// read and write of x are not ordered by anything, must be reported as a
// data race there. The race detector fails the whole test binary, so the
// racy run happens in a child process of this (race-enabled) binary.
func TestFreeRuntimeExposesDataRaces(t *testing.T) {
	if os.Getenv("SCHED_RACY_CHILD") == "1" {
		lost := kernels[slices.IndexFunc(kernels, func(k kernel) bool { return k.name == "lost update" })]
		for seed := range uint64(20) {
			f := sched.NewFree(seed)
			lost.build(f, true)
			_ = f.Run()
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFreeRuntimeExposesDataRaces$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SCHED_RACY_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child must fail: %s", out)
	require.Contains(t, string(out), "WARNING: DATA RACE")
	require.Contains(t, string(out), "kernels_test.go", "the race must be in the kernel's code")
}
