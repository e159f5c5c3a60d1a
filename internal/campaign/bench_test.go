package campaign

import "testing"

// BenchmarkRunUnit is one unit of a campaign on the correct core, per
// strategy (exhaustive aside: its units run many schedules): drawing the
// program and stress modes, running it, checking it, and measuring what
// it covered. Profile it to see where a campaign's time goes.
func BenchmarkRunUnit(b *testing.B) {
	for _, s := range []Strategy{Random, PCT, Rapid, Stress} {
		b.Run(string(s), func(b *testing.B) {
			c := Config{Seed: 1, Strategy: s}.WithDefaults()
			for i := range b.N {
				if o := RunUnit(c, i); o.Failure != nil {
					b.Fatalf("unit %d failed on the correct core: %s", i, o.Failure.Headline)
				}
			}
		})
	}
}
