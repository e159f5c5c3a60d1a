package main

import (
	"strings"
	"testing"

	"github.com/devstress/devstress/internal/campaign"
	"github.com/devstress/devstress/properties"
	"github.com/stretchr/testify/require"
)

// A failure that could not be recorded as a file is printed with its
// headline as it is and its invariant's statement under it.
func TestWriteRunStatesTheInvariantOfAFailureWithoutAFile(t *testing.T) {
	headline := "NO-LEAK at step 7: a#1 never released [3 operations, 1 clients, trace digest 0123456789abcdef]"
	s := &campaign.Summary{Coverage: properties.NewCoverage(),
		Failures: []campaign.Found{{Index: 4, Headline: headline, Invariant: "NO-LEAK", Err: "disk full"}}}
	var b strings.Builder
	require.NoError(t, writeRun(&b, s, nil))
	require.True(t, strings.HasPrefix(b.String(), "execution 4: "+headline+"\n"+
		"  NO-LEAK (§15, Q2): every device was released exactly once and every ledger resource and driver priv freed.\n"+
		"  not recorded as a file: disk full\n\n"), "%s", b.String())
}
