package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCIWorkflowMirrorsCIRun holds .github/workflows/ci.yml to .ci/run:
// the same golangci-lint version and the same test and campaign commands
// (the default search's no-false-alarm run among them)
// (fuzz/clusterfuzzlite_test.go holds both to the fuzz targets). The
// workflow's sharded campaign is the README's, and a command line this
// devstress accepts: its last shard, with the run number 1 and a budget
// of a few executions, runs and finds nothing.
func TestCIWorkflowMirrorsCIRun(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", path))
		require.NoError(t, err)
		return string(b)
	}
	script, workflow := read(".ci/run"), read(".github/workflows/ci.yml")

	version := func(re, text, in string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(text)
		require.NotNil(t, m, "%s names no golangci-lint version (%s)", in, re)
		return m[1]
	}
	want := version(`(?m)^golangci_lint_version=(v[\d.]+)$`, script, ".ci/run")
	require.Equal(t, want, version(`(?m)uses: golangci/golangci-lint-action@\S+\n\s+with:\n\s+version: (v[\d.]+)$`, workflow, "ci.yml"),
		"ci.yml and .ci/run must run the same golangci-lint")

	for _, line := range []string{
		"go vet ./...",
		"go test -race -count=1 ./...",
		"go test -count=1 -timeout 30m -v -run 'TestKnownBugsAreFoundAndShrunk|TestNoFalseAlarms' ./properties",
		`go run ./cmd/devstress run --execs 30000 --seed 1 --out "$(mktemp -d)"`,
	} {
		require.Contains(t, script, line)
		require.Contains(t, workflow, line)
	}
	for _, env := range []string{"DEVSTRESS_CAMPAIGNS", "DEVSTRESS_CHECKS"} {
		v := regexp.MustCompile(env + `=(\d+)`).FindStringSubmatch(script)
		require.NotNil(t, v, ".ci/run sets no %s", env)
		require.Contains(t, workflow, env+": '"+v[1]+"'", "ci.yml must set %s as .ci/run does", env)
	}

	m := regexp.MustCompile(`(?m)^\s+shard: \[([\d, ]+)\]$`).FindStringSubmatch(workflow)
	require.NotNil(t, m, "ci.yml has no shard matrix")
	shards := strings.Split(m[1], ", ")
	for i, s := range shards {
		require.Equal(t, strconv.Itoa(i+1), s, "the matrix lists the shards 1 to n")
	}
	n := shards[len(shards)-1]
	cmd := regexp.MustCompile(`(?m)run: go run \./cmd/devstress (run .*--shard.*)$`).FindStringSubmatch(workflow)
	require.NotNil(t, cmd, "ci.yml runs no sharded campaign")
	require.Contains(t, cmd[1], " --shard ${{ matrix.shard }}/"+n+" ", "the shards' n is the matrix's")
	require.Contains(t, read("README.md"), "- run: go run ./cmd/devstress "+cmd[1]+"\n",
		"the README's CI snippet runs ci.yml's campaign")
	line := strings.NewReplacer("${{ github.run_number }}", "1", "${{ matrix.shard }}", n).Replace(cmd[1])
	args := append(strings.Fields(line), "--execs", "8", "--workers", "1")
	r := run(t, args...)
	require.Equal(t, 0, r.code, "%q:\n%s%s", args, r.stdout, r.stderr)
	require.Contains(t, r.stdout, "shard "+n+"/"+n)
}
