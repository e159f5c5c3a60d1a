// Package examplebench is the benchmark the examples share: the time
// check.Find takes to find a program's bug and shrink it.
package examplebench

import (
	"testing"

	"github.com/devstress/devstress/check"
)

// FindAndShrink runs check.Find on setup, with the size check measures
// against a size set by hand to a two-task program (2 tasks, 4 points);
// the metrics runs-to-find and runs count the runs. It fails b when Find
// finds nothing.
func FindAndShrink(b *testing.B, setup check.Setup) {
	for _, sizing := range []struct {
		name string
		opts []check.Option
	}{{"measured", nil}, {"by-hand", []check.Option{check.Size(2, 4)}}} {
		b.Run(sizing.name, func(b *testing.B) {
			var f *check.Failure
			for range b.N {
				f = check.Find(setup, sizing.opts...)
			}
			if f == nil {
				b.Fatal("check.Find found no failure")
			}
			b.ReportMetric(float64(f.Found), "runs-to-find")
			b.ReportMetric(float64(f.Runs), "runs")
		})
	}
}
