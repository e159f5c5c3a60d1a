package fuzz

import (
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
)

// Broad fuzzes the broad programs, properties.BroadPrograms (many families
// of operations at once; between them, every operation), instead of
// drawing programs: the bytes choose the program, its fault plan, its
// stress modes and its schedule. It is
// not in Targets: its inputs are not records, so it has no encoder and
// no corpus built from the known bugs' programs; it starts from nothing.
// A campaign's broad strategy runs the same program.
var Broad = &Target{Name: "Broad", Bugs: []sut.Bug{sut.BugH1, sut.BugH2, sut.BugH3, sut.BugH5, sut.BugH6, sut.BugH8, sut.BugH9, sut.BugH10B},
	decode: decodeBroad}

// broadFaultBytes holds one bit per fault point and hit
// (properties.BroadFaults).
var broadFaultBytes = (len(properties.FaultPoints)*properties.BroadFaultHits + 7) / 8

// decodeBroad decodes a broad input: byte 0 holds the stress modes (bits
// 0-3), the schedule mode (bytesBit, as in Decode: clear, a random walk
// seeded by the schedule bytes) and the program (bits 6-7, modulo their
// number); the next broadFaultBytes hold the
// fault plan, bit i making hit 1+i%BroadFaultHits of fault point
// i/BroadFaultHits fail (properties.BroadFaults); the rest is the schedule, as in Decode. A missing
// byte reads as 0: the empty input is the first program with no fault
// under the random walk of seed 0.
func decodeBroad(data []byte) Input {
	at := func(i int) byte {
		if i < len(data) {
			return data[i]
		}
		return 0
	}
	head := at(0)
	programs := properties.BroadPrograms()
	in := Input{Program: programs[int(head>>6)%len(programs)]}
	for i, m := range properties.StressModes {
		*m.Field(&in.Options) = head&(1<<i) != 0
	}
	in.Program.Faults = properties.BroadFaults(func(i int) bool { return at(1+i/8)&(1<<(i%8)) != 0 })
	rest := data[min(len(data), 1+broadFaultBytes):]
	if in.Walk = head&bytesBit == 0; in.Walk {
		in.Seed = seed(rest)
	} else {
		in.Schedule = decisions(rest)
	}
	return in
}
