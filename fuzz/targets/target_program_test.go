package targets

import (
	"maps"
	"slices"
	"testing"

	"github.com/devstress/devstress/fuzz"
	"github.com/devstress/devstress/sut"
)

// FuzzProgram fuzzes whole programs (drivers, scripts, a module, one to
// three clients, faults, stress modes) and their schedules.
func FuzzProgram(f *testing.F) {
	bug := fuzz.Variant(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz.Program.Check(t, bug, data) })
}

// BenchmarkFuzzProgramExec measures the whole-program target's executions
// per second on its seed corpus (the known bugs' programs and typical
// generated ones), on the correct core: decode and properties.Execute,
// as one fuzz worker runs them.
func BenchmarkFuzzProgramExec(b *testing.B) {
	corpus, err := fuzz.ReadCorpus("testdata/fuzz/FuzzProgram")
	if err != nil || len(corpus) == 0 {
		b.Fatalf("no seed corpus: %v", err)
	}
	var inputs [][]byte
	for _, name := range slices.Sorted(maps.Keys(corpus)) {
		inputs = append(inputs, corpus[name])
	}
	b.ResetTimer()
	for i := range b.N {
		if v := fuzz.Program.Run(sut.BugNone, inputs[i%len(inputs)]); v.Failure != nil {
			b.Fatalf("%s", v.Headline())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}
