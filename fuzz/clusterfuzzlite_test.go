package fuzz

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)
	testFunc = regexp.MustCompile(`(?m)^func (Test|Benchmark|Example)\w*\(`)
	compiled = regexp.MustCompile(`compile_native_go_fuzzer github\.com/devstress/devstress/fuzz/targets "\$target" "\$target"`)
	forList  = regexp.MustCompile(`(?m)^[ \t]*for target in ([\w ]+); do$`)
)

// ClusterFuzzLite's build (.clusterfuzzlite/build.sh) compiles every fuzz
// target (package fuzz/targets), .ci/run and .github/workflows/ci.yml
// smoke-test each, and each target is one compile_native_go_fuzzer can
// find: its name appears in exactly one .go file of the targets' package
// (the tool greps the package directory for it and rewrites that one
// file), that file is not one its coverage build would overwrite
// (<name in lower case>_test.go), and it holds no test, benchmark or
// example: the libFuzzer build compiles it, alone, against
// go-118-fuzz-build's testing shim, whose B has no N.
func TestClusterFuzzLiteBuildsEveryTarget(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("targets", "*.go"))
	require.NoError(t, err)
	text := map[string]string{}
	var targets []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		text[f] = string(b)
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(b), -1) {
			targets = append(targets, m[1])
			require.NotEqual(t, strings.ToLower(m[1])+"_test.go", filepath.Base(f), "the coverage build overwrites %s", f)
			require.NotRegexp(t, testFunc, string(b), "%s, the file of %s, must hold the fuzz function only", f, m[1])
		}
	}
	require.NotEmpty(t, targets)
	for _, target := range targets {
		var in []string
		for f, s := range text {
			if strings.Contains(s, target) {
				in = append(in, f)
			}
		}
		require.Len(t, in, 1, "%s must appear in one file only (compile_native_go_fuzzer greps for it): %v", target, in)
	}
	build, err := os.ReadFile("../.clusterfuzzlite/build.sh")
	require.NoError(t, err)
	require.Regexp(t, compiled, string(build))
	require.Equal(t, sorted(targets), listed(t, string(build)), "build.sh must compile every Fuzz target of fuzz/targets")
	ci, err := os.ReadFile("../.ci/run")
	require.NoError(t, err)
	require.Contains(t, string(ci), `go test ./fuzz/targets -run '^$' -fuzz "^${target}\$" -fuzztime 20000x`)
	require.Equal(t, sorted(targets), listed(t, string(ci)), ".ci/run must smoke-test every Fuzz target of fuzz/targets")
	gh, err := os.ReadFile("../.github/workflows/ci.yml")
	require.NoError(t, err)
	require.Contains(t, string(gh), `go test ./fuzz/targets -run '^$' -fuzz "^${target}\$" -fuzztime 20000x`)
	require.Equal(t, sorted(targets), listed(t, string(gh)), "ci.yml must smoke-test every Fuzz target of fuzz/targets")
}

// listed is the sorted list of a script's `for target in ...; do` loop.
func listed(t *testing.T, script string) []string {
	m := forList.FindStringSubmatch(script)
	require.NotNil(t, m, "no `for target in ...; do` list")
	return sorted(strings.Fields(m[1]))
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
