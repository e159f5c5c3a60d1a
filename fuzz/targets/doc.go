// Package targets holds devstress's native Go fuzz targets, one per file,
// each a thin Fuzz<Name> over a fuzz.Target (the decoder, the executor and
// the checks are package fuzz's), and their seed corpora,
// testdata/fuzz/Fuzz<Name>/:
//
//	go test ./fuzz/targets -run '^$' -fuzz '^Fuzz<Name>$' -fuzztime 10m
//
// Plain go test ./fuzz/targets runs every seed of every target on the
// correct core, as Go runs fuzz targets' seed corpora.
//
// The package holds the targets and nothing else, because what a fuzzing
// test binary links costs every execution: go test -fuzz instruments every
// package of the binary, and after each execution Go's fuzzing engine
// clears, copies and compares one coverage counter per instrumented
// branch, whether the execution can reach it or not. With the fuzz
// package's own tests (testify, rapid's checks, the counterexample
// tooling) in the same binary, the counters were twice as many (54 KB
// against 26 KB): about 50 microseconds more of engine per execution (an
// empty target ran 10,000 executions/s in that binary, 20,700/s in this
// one), a third of a worker's executions on the whole-program target.
// Rapid and package shrink, which the targets' run does not need, halved
// the counters again (26 KB to 12 KB) when they left (fuzz's
// TestFuzzingBinaryLinksOnlyWhatTargetsRun). The fuzz package's tests,
// which check these targets and their corpora, read them from here.
//
// Each fuzz function's name appears in its own file only: ClusterFuzzLite's
// compile_native_go_fuzzer finds a target by grepping the package for its
// name and rewrites that one file for libFuzzer, so a target's file uses
// nothing from the package's other test files (fuzz's
// TestClusterFuzzLiteBuildsEveryTarget).
package targets
