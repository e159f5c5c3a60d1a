package properties_test

import (
	"strconv"
	"testing"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// coverageChecks is the size of the floor test's campaign, unless
// -rapid.checks sets it.
const coverageChecks = 2000

// The main campaign reaches the whole core: every operation kind, outcome
// row (§7.3), attach path (§6), fault point (§13), named yield point,
// event kind and stress mode, and the behaviours after a bind; at least a
// third of its programs bind a device and almost none is empty. These
// floors are the generator's promise: raise them as it improves. The seed
// is 1 unless -rapid.seed sets it; the report is logged under -v.
func TestCoverageFloors(t *testing.T) {
	if !rapidtest.IsSet("rapid.checks") {
		rapidtest.SetFlag(t, "rapid.checks", strconv.Itoa(coverageChecks))
	}
	if !rapidtest.IsSet("rapid.seed") {
		rapidtest.SetFlag(t, "rapid.seed", "1")
	}
	cov := properties.NewCoverage()
	rapid.Check(t, concurrent(sut0, keep(t), cov))
	t.Logf("%s", cov)
	require.Empty(t, cov.Missing(), "never reached")
	for key, floor := range map[string]float64{
		"bind": 1.0 / 3, "unbind": 0.25, "remove": 0.25, "deferral": 0.12, "retry": 0.03,
		"shared device": 0.05, "unload in flight": 0.01, "bound child": 0.02, "gate before registered": 0.001,
	} {
		require.GreaterOrEqual(t, cov.Share(key), floor, "share of programs reaching %q", key)
	}
	require.LessOrEqual(t, cov.Share("empty program"), 0.01, "share of empty programs")
}
