package fuzz

import (
	"flag"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sut"
	"pgregory.net/rapid"
)

// BenchmarkFuzzProgramExec measures the whole-program target's executions
// per second on its seed corpus (the known bugs' programs and typical
// generated ones), on the correct core: decode and properties.Execute,
// as one fuzz worker runs them, without the fuzzing engine
// (BenchmarkFuzzWorker measures them under go test -fuzz). It is here, not
// beside the target: ClusterFuzzLite's build compiles the target's file
// against go-118-fuzz-build's testing shim, whose B has no N.
func BenchmarkFuzzProgramExec(b *testing.B) {
	corpus, err := ReadCorpus(corpusDir(Program))
	if err != nil || len(corpus) == 0 {
		b.Fatalf("no seed corpus: %v", err)
	}
	var inputs [][]byte
	for _, name := range slices.Sorted(maps.Keys(corpus)) {
		inputs = append(inputs, corpus[name])
	}
	b.ResetTimer()
	for i := range b.N {
		if v := Program.Run(sut.BugNone, inputs[i%len(inputs)]); v.Failure != nil {
			b.Fatalf("%s", v.Headline())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}

// BenchmarkPropertyExec measures the property suites' executor for
// comparison with the whole-program target's benchmark: rapid
// draws a program, its stress modes and its schedule, and
// properties.Execute runs them, on the correct core.
func BenchmarkPropertyExec(b *testing.B) {
	old := flag.Lookup("rapid.checks").Value.String()
	if err := flag.Set("rapid.checks", strconv.Itoa(b.N)); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = flag.Set("rapid.checks", old) }()
	b.ResetTimer()
	rapid.Check(b, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := gen.Stress(rt, properties.Options{})
		if v := properties.Execute(p, gen.Schedule(rt), opt); v.Failure != nil {
			properties.Fatal(rt, v)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}
