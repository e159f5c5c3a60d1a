package properties_test

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The sequential comparison is only as strong as the share of operations
// the model can follow (it stops at a closed script gate): most of them.
func TestModelFollowsAlmostEveryOperation(t *testing.T) {
	total, followed := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		n, stopped := properties.FollowFirstClient(p)
		followed += n
		total += n
		if stopped != "" {
			require.Contains(rt, stopped, "closed gate", "the model refused an operation the client allowed")
			total++ // the operation it refused
		}
	})
	require.Greater(t, followed*100, total*95, "the model followed %d of %d operations", followed, total)
}
