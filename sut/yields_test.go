package sut_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// YieldPoints must list exactly the points the core yields at.
func TestYieldPointsListsEveryYield(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	yield := regexp.MustCompile(`\.Yield\("([A-Z-]+)"\)`)
	used := map[string]bool{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range yield.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	var names []string
	for n := range used {
		names = append(names, n)
	}
	slices.Sort(names)
	listed := slices.Clone(sut.YieldPoints)
	slices.Sort(listed)
	require.Equal(t, listed, names)
}
