package fuzz

import (
	"slices"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Every program gen.Programs draws, with stress modes and a
// schedule, is in the whole-program decoder's range: it encodes, and the
// bytes decode back to it. The fuzzer can reach whatever the property
// suites reach.
func TestDecoderCoversGenerator(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		in := Input{
			Program:  gen.Programs(properties.DefaultSizes).Draw(rt, "program"),
			Options:  gen.Stress(rt, properties.Options{}),
			Schedule: rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(rt, "schedule"),
		}
		b, err := Program.Encode(in)
		require.NoError(rt, err)
		require.True(rt, SameInput(Program.Decode(b), in), "decodes to\n%s", Program.Decode(b).Program)
	})
}

// Any bytes decode, for every target, to an input that encodes back to
// itself, the same input each time.
func TestDecodeIsTotalAndInvertible(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		require.NoError(rt, RoundTrip(rapid.SliceOf(rapid.Byte()).Draw(rt, "data")))
	})
}

// A target's programs use only its operations, and have a module only
// when it loads modules (a driver in a module never loaded would never
// register).
func TestTargetsDrawTheirOperations(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		data := rapid.SliceOf(rapid.Byte()).Draw(rt, "data")
		for _, tg := range Targets {
			p := tg.Decode(data).Program
			if !tg.allows(properties.OpModuleLoad) {
				require.Empty(rt, p.Modules, "target %s", tg.Name)
			}
			for _, c := range p.Clients {
				for _, o := range c {
					require.True(rt, tg.allows(o.Kind), "target %s decodes %s", tg.Name, o)
				}
			}
		}
	})
}

// In the bytes mode, the schedule answers each scheduling decision from
// its bytes (modulo the number of candidates), then 0 once they run out.
func TestDecisionsPastTheEndAreZero(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		data := rapid.SliceOfN(rapid.Byte(), headerLen, -1).Draw(rt, "data")
		data[5] |= bytesBit
		in := Program.Decode(data)
		require.False(rt, in.Walk)
		s := in.Strategy()
		cands := []sched.TaskID{1, 2, 3}
		for i := range len(in.Schedule) + 10 {
			got, err := s.Choose(sched.Choice{Step: i + 1, Candidates: cands})
			require.NoError(rt, err)
			want := 0
			if i < len(in.Schedule) {
				want = int(in.Schedule[i]) % len(cands)
			}
			require.Equal(rt, want, got, "decision %d", i)
		}
	})
}

// A flipped byte of the program changes one operation, not what follows
// it: the operations of the records before the flipped one stay as they
// were, every client but the one(s) the record names keeps all its
// operations, and each client gains or loses at most one. A flipped byte
// of the schedule changes no program.
func TestDecodeIsStable(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tg := rapid.SampledFrom(Targets).Draw(rt, "target")
		data := rapid.SliceOfN(rapid.Byte(), headerLen, 200).Draw(rt, "data")
		data[3] &^= 3 << 6        // no copies: they repeat client 1's operations
		data[0] %= maxRecords - 4 // as many records as the header says, whatever the prelude
		data = append(data, make([]byte, recordLen*int(data[0])+2)...)
		end := headerLen + recordLen*int(data[0])
		i := rapid.IntRange(headerLen, len(data)-1).Draw(rt, "flipped byte")
		flipped := slices.Clone(data)
		flipped[i] = rapid.Byte().Draw(rt, "new value")
		before, after := tg.Decode(data).Program, tg.Decode(flipped).Program
		if i >= end {
			require.True(rt, SameInput(Input{Program: before}, Input{Program: after}), "a schedule byte changed the program")
			return
		}
		r := (i - headerLen) / recordLen
		prefix := slices.Clone(data)
		prefix[0] = byte(r)
		earlier := tg.Decode(prefix).Program
		named := map[int]bool{int(data[headerLen+r*recordLen+1]) % 3: true, int(flipped[headerLen+r*recordLen+1]) % 3: true}
		for c := range max(len(before.Clients), len(after.Clients)) {
			b, a := clientOps(before, c), clientOps(after, c)
			e := clientOps(earlier, c)
			require.Equal(rt, e, nilIfEmpty(b[:len(e)]), "client %d before", c+1)
			require.Equal(rt, e, nilIfEmpty(a[:len(e)]), "client %d after: the flip changed earlier operations", c+1)
			if !named[c] {
				require.Equal(rt, b, a, "client %d, which the record does not name, changed", c+1)
			}
			require.LessOrEqual(rt, abs(len(a)-len(b)), 1, "client %d", c+1)
		}
	})
}

func clientOps(p properties.Program, c int) []properties.Op {
	if c < len(p.Clients) {
		return p.Clients[c]
	}
	return nil
}

func abs(x int) int { return max(x, -x) }

// Schedules of long runs of zeros, trailing zeros included, encode as
// [gap, choice] pairs and decode back to the same decisions.
func TestSchedulePairs(t *testing.T) {
	long := append(make([]byte, 600), 1)
	for _, ds := range [][]byte{nil, {0}, {1}, {0, 0, 2}, long, append(long, make([]byte, 300)...), make([]byte, 256), make([]byte, 257)} {
		require.Equal(t, string(ds), string(decisions(pairs(ds))), "%d decisions", len(ds))
	}
	require.Equal(t, []byte{0, 0, 7}, decisions([]byte{2, 7, 9}), "a lone last byte is ignored")
	require.Equal(t, []byte{0, 0, 7}, decisions([]byte{maxGap + 2, 7}), "gaps are modulo maxGap")
}

// The schedule mode is the input's: the zero byte's is the random walk
// (the empty input explores schedules), bytesBit selects the bytes, and
// the walk's seed is read from the schedule bytes, each of them counting.
func TestScheduleMode(t *testing.T) {
	require.True(t, Program.Decode(nil).Walk, "the empty input's schedule is a random walk")
	require.Zero(t, Program.Decode(nil).Seed)
	header := []byte{0, 0, 0, 0, 0, bytesBit}
	in := Program.Decode(append(slices.Clone(header), 3, 7))
	require.False(t, in.Walk)
	require.Equal(t, []byte{0, 0, 0, 7}, in.Schedule)
	header[5] = 0
	for _, c := range []struct {
		tail []byte
		seed uint64
	}{{nil, 0}, {[]byte{1}, 1}, {[]byte{0, 2}, 0x200}, {[]byte{1, 0, 0, 0, 0, 0, 0, 0, 3}, 2}, {[]byte{0, 0, 0, 0, 0, 0, 0, 9}, 9 << 56}} {
		in := Program.Decode(append(slices.Clone(header), c.tail...))
		require.True(t, in.Walk)
		require.Empty(t, in.Schedule)
		require.Equal(t, c.seed, in.Seed, "tail %v", c.tail)
	}
}

// A walk's run is the input's: the same bytes give the same trace, and
// the seed the bytes give steers it (some seeds give other traces).
func TestWalkIsDeterministicAndSeeded(t *testing.T) {
	corpus, err := ReadCorpus(corpusDir(Program))
	require.NoError(t, err)
	data := slices.Clone(corpus["typical-0"])
	data[5] &^= bytesBit
	in := Program.Decode(data)
	require.True(t, in.Walk)
	program := data[:headerLen+recordLen*int(data[0])]
	digests := map[string]bool{}
	for s := range 8 {
		b := slices.Concat(program, []byte{byte(s)})
		first, again := Program.Run(sut.BugNone, b), Program.Run(sut.BugNone, b)
		require.Nil(t, first.Failure)
		require.Equal(t, first.Trace.Digest(), again.Trace.Digest(), "seed %d", s)
		digests[first.Trace.Digest()] = true
	}
	require.Greater(t, len(digests), 1, "every seed gives the same run")
}

// A driver matches every device it has no match record for, and its
// probe succeeds, so that most programs bind (as gen.Programs'
// do); a match record says otherwise.
func TestDriversMatchByDefault(t *testing.T) {
	header := []byte{0, 1, 0, 0, 0, 1 | 1<<3}
	p := Program.Decode(header).Program
	require.Len(t, p.Drivers, 1)
	require.Equal(t, map[string]properties.MatchResult{"a": properties.MatchYes, "b": properties.MatchYes, "c": properties.MatchYes}, p.Drivers[0].Match)
	require.Empty(t, p.Drivers[0].Probe)
	v := Program.Run(sut.BugNone, header)
	require.Nil(t, v.Failure)
	require.Contains(t, v.Trace.String(), "probe ok", "the prelude's driver binds the prelude's device")
	match, err := (&encoder{t: Program}).kind(recordKind{op: -1, script: scriptMatch})
	require.NoError(t, err)
	p = Program.Decode(append([]byte{1, 1, 0, 0, 0, 1 | 1<<3}, match, 0, matchScale.first[properties.MatchNo], 0)).Program
	require.Equal(t, map[string]properties.MatchResult{"b": properties.MatchYes, "c": properties.MatchYes}, p.Drivers[0].Match)
}
