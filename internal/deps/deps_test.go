package deps_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/devstress/devstress/internal/deps"
)

func TestOfListsThePackageAndWhatItLinks(t *testing.T) {
	got, err := deps.Of(".")
	require.NoError(t, err)
	require.Contains(t, got, "github.com/devstress/devstress/internal/deps")
	require.Contains(t, got, "os/exec")
}

func TestOfTestListsWhatTheTestsLink(t *testing.T) {
	plain, err := deps.Of(".")
	require.NoError(t, err)
	require.NotContains(t, plain, "github.com/stretchr/testify/require")
	got, err := deps.OfTest(".")
	require.NoError(t, err)
	require.Contains(t, got, "github.com/stretchr/testify/require")
	require.Contains(t, got, "os/exec")
}

func TestOfFailsOnAMissingPackage(t *testing.T) {
	_, err := deps.Of("./no-such-package")
	require.ErrorContains(t, err, "go list -deps ./no-such-package: ")
	_, err = deps.OfTest("./no-such-package")
	require.ErrorContains(t, err, "go list -deps -test ./no-such-package: ")
}

func TestStandardAndTesting(t *testing.T) {
	require.True(t, deps.Standard("os/exec"))
	require.True(t, deps.Standard("fmt"))
	require.False(t, deps.Standard("github.com/devstress/devstress/model"))
	require.False(t, deps.Standard("pgregory.net/rapid"))
	require.True(t, deps.Testing("testing"))
	require.True(t, deps.Testing("testing/quick"))
	require.False(t, deps.Testing("testingx"))
}
