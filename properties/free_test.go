package properties_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/internal/rapidtest"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The same programs on real goroutines: under go test -race this is where
// a data race in the core shows, and where leaked goroutines do; and a
// second search for the quiescent invariants, checked at Q1 (the first
// quiescent point with every gate open) and Q2.
//
// Under -race it runs DEVSTRESS_FREE_CHECKS programs (default 1000, which
// overrides -rapid.checks): a bus lock dropped around the device-list
// append, a race the controlled runtime cannot see, took at most 175
// programs in 8 hunts (TestMeasureFreeRace). Without -race, rapid's
// checks, or DEVSTRESS_FREE_CHECKS when set.
func TestCorrectCoreUnderFreeRuntime(t *testing.T) {
	checks := envInt(t, "DEVSTRESS_FREE_CHECKS", 0)
	if checks == 0 && raceEnabled {
		checks = 1000
	}
	if checks > 0 {
		rapidtest.SetFlag(t, "rapid.checks", strconv.Itoa(checks))
	}
	k := keep(t)
	rapid.Check(t, func(rt *rapid.T) {
		p := gen.Programs(properties.DefaultSizes).Draw(rt, "program")
		seed := rapid.Uint64().Draw(rt, "seed")
		v := properties.ExecuteFree(p, seed, properties.Options{})
		if v.Failure != nil {
			k.Fatal(rt, v)
		}
	})
}

// op is a program operation on device dev (-1: none).
func op(kind properties.OpKind, dev int) properties.Op {
	return properties.Op{Kind: kind, Dev: dev, Parent: -1, Ref: -1}
}

// h3Program is the spec's minimal counterexample of H3 (§16, (5, 0, 1)):
// a synchronous driver whose probe of a defers until b is bound; T1
// registers the driver and a, T2 registers b. A bind of b between the
// start of a's attempt and its deferral, with no re-check, leaves a on
// Pending for good.
func h3Program() properties.Program {
	register := op(properties.OpDriverRegister, -1)
	register.Driver = "A"
	newA, newB := op(properties.OpNewDevice, 0), op(properties.OpNewDevice, 0)
	newA.Name, newB.Name = "a", "b"
	return properties.Program{
		Drivers: []properties.Driver{{Name: "A", ProbeType: properties.ForceSync,
			Match: map[string]properties.MatchResult{"a": properties.MatchYes, "b": properties.MatchYes},
			Probe: map[string]properties.ProbeScript{"a": {Result: properties.ProbeDefer, Until: "b"}}}},
		Clients: [][]properties.Op{
			{register, newA, op(properties.OpRegister, 0)},
			{newB, op(properties.OpRegister, 0)},
		},
	}
}

// huntFree executes programs(i) for i = first, first+1, ... on real
// goroutines (free seed i) on the core with bug, at most limit of them, and
// returns how many ran until the first failure (0: none) and its verdict.
func huntFree(programs func(int) properties.Program, bug sut.Bug, first, limit int) (int, *properties.Verdict) {
	for i := range limit {
		v := properties.ExecuteFree(programs(first+i), uint64(first+i), properties.Options{Bug: bug})
		if v.Failure != nil {
			return i + 1, v
		}
	}
	return 0, nil
}

// generated is the program the suite's generator draws for seed i (rapid's
// example: the same on every run).
func generated(i int) properties.Program {
	return gen.Programs(properties.DefaultSizes).Example(i)
}

// TestMeasureFreeHunt measures how many free executions find each bug:
// DEVSTRESS_FREE_MEASURE=runs hunts from that many starting seeds (1,
// 1+stride, ...) per bug, up to DEVSTRESS_FREE_LIMIT executions each, over
// generated programs, or over the H3 program with DEVSTRESS_FREE_PROGRAM=h3;
// DEVSTRESS_FREE_BUGS=H3,H1 selects bugs.
func TestMeasureFreeHunt(t *testing.T) {
	runs := envInt(t, "DEVSTRESS_FREE_MEASURE", 0)
	if runs == 0 {
		t.Skip("a measurement: set DEVSTRESS_FREE_MEASURE to the number of hunts per bug")
	}
	limit := envInt(t, "DEVSTRESS_FREE_LIMIT", 20000)
	stride := envInt(t, "DEVSTRESS_FREE_STRIDE", 1000003)
	programs := generated
	if os.Getenv("DEVSTRESS_FREE_PROGRAM") == "h3" {
		programs = func(int) properties.Program { return h3Program() }
	}
	bugs := []sut.Bug{sut.BugH3, sut.BugH1, sut.BugH2, sut.BugH5, sut.BugH9, sut.BugH10B}
	if s := os.Getenv("DEVSTRESS_FREE_BUGS"); s != "" {
		bugs = nil
		for _, b := range strings.Split(s, ",") {
			bugs = append(bugs, sut.Bug(b))
		}
	}
	for _, bug := range bugs {
		var found []int
		invariants := map[string]int{}
		start := time.Now()
		for r := range runs {
			n, v := huntFree(programs, bug, 1+r*stride, limit)
			if n > 0 {
				found = append(found, n)
				invariants[v.Failure.Invariant]++
			}
		}
		slices.Sort(found)
		t.Logf("%s: found in %d/%d hunts of up to %d executions, after %v; %v; %v",
			bug, len(found), runs, limit, found, invariants, time.Since(start).Round(time.Millisecond))
	}
}

// The free executor finds H3 on its minimal program: the lost trigger is
// reported at Q1 (NO-LOST-TRIGGER), which the free executor reaches by
// settling the core once the clients have returned.
func TestFreeRuntimeFindsH3(t *testing.T) {
	// Measured on 2 shared cores (DEVSTRESS_FREE_PROGRAM=h3, see
	// TestMeasureFreeHunt): found within 106 executions in 30 hunts, 308
	// under -race in 20; the median is about 20.
	const limit = 3000
	n, v := huntFree(func(int) properties.Program { return h3Program() }, sut.BugH3, 1, limit)
	require.NotZero(t, n, "H3 not found in %d free executions", limit)
	require.Equal(t, sut.InvNoLostTrigger, v.Failure.Invariant, "%s", v)
	t.Logf("H3 found after %d free executions", n)
}

// TestMeasureFreeRace counts the free executions of generated programs
// (from seed DEVSTRESS_FREE_RACE) the race detector needs to see a data
// race planted in the core. Run it under -race with GORACE=halt_on_error=1
// and the planted race as an overlay (go test -overlay): the last "free
// execution n" line before the report is the count.
func TestMeasureFreeRace(t *testing.T) {
	first := envInt(t, "DEVSTRESS_FREE_RACE", 0)
	if first == 0 {
		t.Skip("a measurement: set DEVSTRESS_FREE_RACE to the first program seed")
	}
	for i := range envInt(t, "DEVSTRESS_FREE_LIMIT", 20000) {
		fmt.Fprintf(os.Stderr, "free execution %d\n", i+1)
		properties.ExecuteFree(generated(first+i), uint64(first+i), properties.Options{})
	}
}
