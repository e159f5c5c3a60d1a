package fuzz

import (
	"math/rand/v2"
	"testing"

	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// Every byte string decodes to a broad program with a plan and a
// schedule; the empty one to the first program, no fault, a random walk;
// a fault bit to its point and hit.
func TestBroadDecode(t *testing.T) {
	in := Broad.Decode(nil)
	require.Empty(t, in.Program.Faults)
	require.True(t, in.Walk)
	require.Len(t, in.Program.Clients, 4)
	require.Len(t, Broad.Decode([]byte{1 << 6}).Program.Clients, 3, "bits 6-7 choose the second program")
	in = Broad.Decode([]byte{bytesBit | 1, 0, 0b10, 0, 0, 0, 0, 0, 3, 1})
	require.True(t, in.Options.ReprobeAfterProbe)
	require.False(t, in.Walk)
	require.Equal(t, []byte{0, 0, 0, 1}, in.Schedule)
	require.Len(t, in.Program.Faults, 1)
	require.Equal(t, "F-ADD-PRIV", in.Program.Faults[0].Point) // bit 9: point 1, hit 4
	require.Equal(t, 4, in.Program.Faults[0].Nth)
}

// The correct core passes random broad inputs, and the variants the target
// is for fail on some of them within a short bounded search (random bytes,
// as the fuzzer's first mutations are), each from nothing.
func TestBroadFindsItsBugs(t *testing.T) {
	inputs := func(n int) [][]byte {
		rng := rand.New(rand.NewPCG(1, 2))
		var out [][]byte
		for range n {
			b := make([]byte, 1+broadFaultBytes+rng.IntN(16))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			for i := 1; i <= broadFaultBytes; i++ {
				for range 3 { // one bit in 16 set
					b[i] &= byte(rng.IntN(256))
				}
			}
			out = append(out, b)
		}
		return out
	}
	for _, data := range inputs(100) {
		v := Broad.Run(sut.BugNone, data)
		require.Nil(t, v.Failure, "false alarm on the correct core: %s", v)
	}
	for _, bug := range Broad.Bugs {
		found := 0
		for i, data := range inputs(1000) {
			if Broad.Run(bug, data).Failure != nil {
				found = i + 1
				break
			}
		}
		require.NotZero(t, found, "%s not found in 1000 broad inputs", bug)
		t.Logf("%s: found at input %d", bug, found)
	}
}
