// Package fuzz runs devstress under Go's native fuzzing (go test -fuzz) and
// under libFuzzer (ClusterFuzzLite, OSS-Fuzz): fuzz targets over the same
// executor and checks as the property suites (properties.Execute), a
// decoder of their own from bytes to a program and its schedule, seed
// corpora built from the known bugs' counterexamples, and the step from a
// crasher to a counterexample file.
//
// Decode turns any byte string into an Input: a valid properties.Program
// (drivers with match and probe scripts, a module, one to three clients,
// a fault plan, MaxPending), the stress modes of properties.Options, and a
// schedule in one of two modes, chosen by a bit of the header: the bytes
// mode, whose scheduling decisions are the bytes left over, one byte per
// decision and 0 (keep the current task) once they run out, or the random
// walk mode (the zero bit's, so that the empty input already explores
// schedules), a sched.RandomWalk seeded by the bytes left over: the same
// input gives the same run, and a mutated byte another walk. Decoding
// is total (never a panic, never a rejection), cheap (no reflection, no
// rapid) and stable: the program is a fixed-size header and a list of
// fixed-size records, one record per operation or script entry, so a
// flipped byte changes one operation, not everything after it. Encode is
// its inverse on the decoder's range: it builds the seed corpora.
//
// A Target is a vocabulary for a fuzz target: the whole program
// (Program) or a narrower one (Registration, Deferral, Unload, Devres),
// whose records draw only the operations of one part of the core, so that
// coverage feedback is spent there. Each target's fuzz function is
// Fuzz<Name> in package fuzz/targets, which holds the fuzz functions and
// their seed corpora (fuzz/targets/testdata/fuzz/Fuzz<Name>/) and nothing
// else, to keep the fuzzing binary small (see its documentation).
// Target.Check runs one input on the correct core, or on the bug variant
// named by DEVSTRESS_FUZZ_BUG, and fails with the verdict's headline, the
// devstress command that makes the input a minimized counterexample file
// (Target.KeepCommand), and the report. The package links neither rapid
// nor shrink, so that neither is in the fuzzing binary (each package it
// links costs every execution its coverage counters); the command line
// (devstress crasher) records and minimizes a failing input.
package fuzz
