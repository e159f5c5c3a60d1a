package shrink_test

import (
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var bugs = []sut.Bug{sut.BugNone, sut.BugH1, sut.BugH2, sut.BugH2b, sut.BugH3, sut.BugH4, sut.BugH5, sut.BugH6,
	sut.BugH7a, sut.BugH7b, sut.BugH8, sut.BugH9, sut.BugH9d, sut.BugH10A, sut.BugH10B}

// files draws counterexample files: generated programs and stress modes,
// and schedules, expectations and digests of any shape the format allows.
func files() *rapid.Generator[shrink.File] {
	name := rapid.SampledFrom([]string{"client1", "client2", "attach a#1", "deferred-worker", "release a#1", `odd "name"`})
	ref := rapid.Custom(func(t *rapid.T) shrink.TaskRef {
		return shrink.TaskRef{Name: name.Draw(t, "name"), Nth: rapid.IntRange(1, 3).Draw(t, "nth")}
	})
	sw := rapid.Custom(func(t *rapid.T) shrink.Switch {
		if rapid.IntRange(0, 9).Draw(t, "start") == 0 {
			return shrink.Switch{At: shrink.Key{Point: "start", Seen: 1}, To: ref.Draw(t, "to")}
		}
		point := rapid.SampledFrom([]string{"Y-ADD", "Y-DEFER-ADD", "lock dev:a#1", "wait done", "block", "exit"}).Draw(t, "point")
		return shrink.Switch{At: shrink.Key{Task: ref.Draw(t, "at"), Point: point, Seen: rapid.IntRange(1, 5).Draw(t, "seen")},
			To: ref.Draw(t, "to")}
	})
	return rapid.Custom(func(t *rapid.T) shrink.File {
		f := shrink.File{
			Program: gen.Programs(properties.DefaultSizes).Draw(t, "program"),
			Options: gen.Stress(t, properties.Options{Bug: rapid.SampledFrom(bugs).Draw(t, "bug")}),
		}
		f.Options.MaxSteps = rapid.SampledFrom([]int{0, 500, 20000}).Draw(t, "max steps")
		seen := map[shrink.Key]bool{}
		for _, s := range rapid.SliceOfN(sw, 0, 6).Draw(t, "schedule") {
			if !seen[s.At] {
				seen[s.At] = true
				f.Schedule = append(f.Schedule, s)
			}
		}
		if rapid.Bool().Draw(t, "fails") {
			f.Expect = shrink.Expect{Invariant: rapid.SampledFrom([]string{"NO-UAF", "DEL-ONCE", "NO-DEADLOCK"}).Draw(t, "invariant"),
				Step: rapid.IntRange(0, 500).Draw(t, "step")}
		}
		f.Digest = rapid.SampledFrom([]string{"", "ecbcc5025a181a40"}).Draw(t, "digest")
		if len(f.Program.Clients) == 1 && len(f.Schedule) == 0 {
			f.Sequential = rapid.Bool().Draw(t, "sequential")
		}
		return f
	})
}

// normalize gives empty lists as nil, as Parse does.
func normalize(f shrink.File) shrink.File {
	p := &f.Program
	if len(p.Faults) == 0 {
		p.Faults = nil
	}
	if len(p.Modules) == 0 {
		p.Modules = nil
	}
	for i := range p.Clients {
		if len(p.Clients[i]) == 0 {
			p.Clients[i] = nil
		}
	}
	for _, d := range p.Drivers {
		for dev, pr := range d.Probe {
			if len(pr.Actions) == 0 {
				pr.Actions = nil
				d.Probe[dev] = pr
			}
		}
	}
	if len(f.Schedule) == 0 {
		f.Schedule = nil
	}
	return f
}

// Parse(Write(f)) is f, for every generated program and any schedule.
func TestWriteThenParseGivesTheFileBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := normalize(files().Draw(t, "file"))
		var b strings.Builder
		require.NoError(t, shrink.Write(&b, f))
		g, err := shrink.Parse(strings.NewReader(b.String()))
		require.NoError(t, err, "parsing:\n%s", b.String())
		require.Equal(t, f, g, "written as:\n%s", b.String())
		require.Equal(t, b.String(), g.String(), "writing again gives the same text")
	})
}
