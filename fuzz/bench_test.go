package fuzz

import (
	"flag"
	"strconv"
	"testing"

	"github.com/devstress/devstress/properties"
	"pgregory.net/rapid"
)

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
		p := properties.Programs(properties.DefaultSizes).Draw(rt, "program")
		opt := properties.Stress(rt, properties.Options{})
		if v := properties.Execute(p, properties.RapidSchedule(rt), opt); v.Failure != nil {
			properties.Fatal(rt, v)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}
