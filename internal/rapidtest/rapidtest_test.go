package rapidtest

import (
	"testing"

	"github.com/stretchr/testify/require"
	_ "pgregory.net/rapid" // registers the rapid.* flags
)

// A flag SetFlag changed (and restored) is not reported as set on the
// command line: flag.Set alone would mark it so, and a later test would
// take the restored default for the user's choice.
func TestIsSetIgnoresSetFlag(t *testing.T) {
	if IsSet("rapid.steps") {
		t.Skip("-rapid.steps is set on the command line")
	}
	t.Run("changes it", func(t *testing.T) { SetFlag(t, "rapid.steps", "7") })
	require.False(t, IsSet("rapid.steps"))
}
