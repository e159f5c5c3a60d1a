package fuzz

import (
	"slices"
	"strings"
	"testing"

	"github.com/devstress/devstress/internal/deps"
	"github.com/stretchr/testify/require"
)

// The fuzzing binary links only what a target runs: go test -fuzz
// instruments every package a binary links, and Go's fuzzing engine
// clears, copies and compares every coverage counter after every
// execution, so each package more costs every execution. Neither rapid
// (whose init builds an html/template) nor shrink (templates, go/format),
// nor properties/gen, nor a test framework: the targets' test binary links
// the standard library (but for the heavy packages below), these
// packages, and nothing else. Measured: with
// rapid and shrink linked, 26,226 counter bytes and about 4,200
// executions/s of a FuzzProgram worker; without, 11,606 and about 5,700
// (BenchmarkFuzzWorker).
func TestFuzzingBinaryLinksOnlyWhatTargetsRun(t *testing.T) {
	linked, err := deps.OfTest("./targets")
	require.NoError(t, err)
	// Standard packages that only rapid and shrink brought in, each
	// thousands of counters.
	heavy := []string{"html/template", "text/template", "go/format", "image/png", "go/printer"}
	allowed := []string{"conc", "model", "sched", "sut", "properties", "fuzz", "fuzz/targets"}
	for _, p := range linked {
		if slices.Contains(heavy, p) {
			t.Errorf("the targets' fuzzing binary links %s", p)
		}
		if deps.Standard(p) || strings.HasPrefix(p, "crypto/internal/") {
			continue
		}
		switch rest, ours := strings.CutPrefix(p, "github.com/devstress/devstress/"); {
		case ours && (rest == "fuzz/targets.test" || slices.Contains(allowed, rest)):
		case p == "github.com/petermattis/goid", strings.HasPrefix(p, "go.uber.org/goleak"):
		default:
			t.Errorf("the targets' fuzzing binary links %s", p)
		}
	}
}
