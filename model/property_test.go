package model

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

var (
	propNames   = []string{"a", "b", "c", "p", "x"}
	propDrivers = []string{"D", "A", "P", "K"}
	propPoints  = []string{FAddPriv, FAddKobj, FAddBus, FAddLate, FDrvAlloc, FDrvGroups, FProbeLinks, FProbeGroups, FAsyncSync}
)

func drawOutcome(t *rapid.T, label string) Outcome {
	switch rapid.IntRange(0, 5).Draw(t, label) {
	case 0:
		return DeferUntil(rapid.SampledFrom(propNames).Draw(t, label+"-until"))
	case 1:
		return Fail(ErrNXIO)
	case 2:
		return Fail(ErrProbeDefer)
	}
	return OK()
}

func drawMatch(t *rapid.T, label string) map[string]MatchResult {
	m := map[string]MatchResult{}
	for _, n := range propNames {
		switch rapid.IntRange(0, 9).Draw(t, label+n) {
		case 0, 1, 2, 3:
			m[n] = MatchYes
		case 4:
			m[n] = MatchDefer
		case 5:
			m[n] = MatchError
		}
	}
	return m
}

// drawCatalogue draws driver scripts: a synchronous D, a PreferAsync A, a
// parent driver P whose probe registers a child and a sub-driver S, a
// Default K made async by Config, and a module driver M1.
func drawCatalogue(t *rapid.T) ([]Driver, []Module) {
	mk := func(name string, pt ProbeType, module string) Driver {
		return Driver{Name: name, ProbeType: pt, Module: module, Match: drawMatch(t, name+"-match"),
			Probe: map[string]ProbeScript{"": {Result: drawOutcome(t, name+"-probe")}}}
	}
	d := mk("D", ProbeDefault, "")
	a := mk("A", PreferAsync, "")
	a.Probe["c"] = ProbeScript{Actions: []Action{DevresPlain()}, Result: drawOutcome(t, "A-probe-c")}
	p := mk("P", ForceSync, "")
	p.Match = map[string]MatchResult{"p": MatchYes}
	p.Probe = map[string]ProbeScript{"p": {Actions: []Action{RegisterChild("x"), SubDriver("S"), DevresRef("")},
		Result: drawOutcome(t, "P-probe")}}
	k := mk("K", ProbeDefault, "")
	m1 := mk("M1", ProbeDefault, "m")
	s := Driver{Name: "S", Match: map[string]MatchResult{"x": MatchYes}}
	mod := Module{Name: "m", Drivers: []string{"M1"}, AsyncProbe: rapid.Bool().Draw(t, "m-async")}
	return []Driver{d, a, p, k, m1, s}, []Module{mod}
}

func drawOp(t *rapid.T, handles []string) Op {
	dev := func() string {
		if len(handles) == 0 {
			return "a#1"
		}
		return rapid.SampledFrom(handles).Draw(t, "dev")
	}
	name := func() string { return rapid.SampledFrom(propNames).Draw(t, "name") }
	drv := func() string { return rapid.SampledFrom(propDrivers).Draw(t, "drv") }
	parent := func() string {
		if len(handles) == 0 || rapid.Bool().Draw(t, "root") {
			return ""
		}
		return dev()
	}
	switch rapid.IntRange(0, 30).Draw(t, "op") {
	case 0, 1, 2:
		return NewDevice{Name: name(), Parent: parent()}
	case 3, 4, 5:
		return RegisterSync{Device: dev()}
	case 6, 27, 28, 29, 30:
		return NewAndRegister{Name: name(), Parent: parent()}
	case 7:
		return RegisterAsync{Device: dev()}
	case 8:
		return CompletionWait{Device: dev()}
	case 9:
		return Unregister{Device: dev()}
	case 10:
		return TryUnregister{Device: dev()}
	case 11:
		return UnregisterAsync{Device: dev()}
	case 12:
		return Get{Device: dev()}
	case 13:
		return Put{Device: dev()}
	case 14:
		return PutOwner{Device: dev()}
	case 15:
		return FindDevice{Name: name()}
	case 16, 17:
		return DriverRegister{Driver: drv()}
	case 18:
		return DriverUnregister{Driver: drv()}
	case 19:
		if rapid.Bool().Draw(t, "load") {
			return ModuleLoad{Module: "m"}
		}
		return ModuleUnload{Module: "m"}
	case 20:
		return Bind{Device: dev(), Driver: drv()}
	case 21:
		return Unbind{Device: dev()}
	case 22:
		return Reprobe{Device: dev()}
	case 23:
		return rapid.SampledFrom([]Op{WaitForDeviceProbe{}, BlockProbing{}, UnblockProbing{}}).Draw(t, "probing")
	case 24:
		if rapid.Bool().Draw(t, "plain") {
			return DevresAdd{Device: dev()}
		}
		return DevresAdd{Device: dev(), Ref: dev()}
	case 25:
		return PutLookup{Device: dev()}
	}
	return SetOverride{Device: dev(), Value: rapid.SampledFrom([]string{"", "D", "A"}).Draw(t, "override")}
}

// feed hands the state's new events to the checker.
func feed(t *rapid.T, s *State, c *Checker, seen *int) {
	evs := s.Events()
	for _, e := range evs[*seen:] {
		if err := c.Check(e); err != nil {
			t.Fatalf("checker rejects the model's own events: %v", err)
		}
	}
	*seen = len(evs)
}

// teardown is §14.8 for one client, run as T1. It reports false when the
// program livelocks during teardown.
func teardown(t *rapid.T, s *State, created []string, gated map[string]bool, c *Checker, seen *int) (done bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(livelock); !ok {
				panic(r)
			}
			done = false
		}
	}()
	run := func(op Op) {
		r := s.Apply(op)
		if r.Livelock != "" {
			panic(livelock(r.Livelock))
		}
		if r.Invalid != "" || r.Blocked != "" {
			t.Fatalf("teardown %s: %s", op, r)
		}
		feed(t, s, c, seen)
	}
	run(UnblockProbing{})
	for i := len(created) - 1; i >= 0; i-- {
		d := s.devs[created[i]]
		if d.released || (!d.holds(LabelOwner) && !d.holds(LabelReg)) {
			continue
		}
		if d.reg != nil && !d.reg.waited {
			run(CompletionWait{Device: d.handle})
		}
		switch {
		case d.holds(LabelOwner):
			run(PutOwner{Device: d.handle})
		case d.holds(LabelReg) && (gated[d.handle] || d.dead):
			run(Get{Device: d.handle})
			run(TryUnregister{Device: d.handle})
		case d.holds(LabelReg):
			run(Unregister{Device: d.handle})
		}
	}
	for _, h := range s.Handles() {
		for _, l := range slices.Clone(s.devs[h].holders) {
			switch l {
			case taskLabel("T1"):
				run(Put{Device: h})
			case lookupLabel("T1"):
				run(PutLookup{Device: h})
			}
		}
	}
	for _, m := range s.LoadedModules() {
		run(ModuleUnload{Module: m})
	}
	for i := len(s.drvOrder) - 1; i >= 0; i-- {
		if n := s.drvOrder[i]; s.drvs[n].listed {
			run(DriverUnregister{Driver: n})
		}
	}
	run(WaitForDeviceProbe{})
	return true
}

// TestPropertyModelEventsSatisfyChecker: on random programs, scripts and
// fault plans, the model never freezes, the Checker accepts every event
// the model's own execution reports, and after §14.8's teardown both the
// model's and the Checker's Q2 checks hold. The model is the correct core,
// so any rejection is a disagreement between the two levels.
func TestPropertyModelEventsSatisfyChecker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		drivers, modules := drawCatalogue(t)
		var plan []Fault
		for i, n := 0, rapid.IntRange(0, 2).Draw(t, "faults"); i < n; i++ {
			plan = append(plan, Fault{Point: rapid.SampledFrom(propPoints).Draw(t, "point"),
				Nth: rapid.IntRange(1, 3).Draw(t, "nth"), Err: ErrNoMem})
		}
		cfg := Config{MaxPending: rapid.IntRange(0, 2).Draw(t, "maxpending"),
			AsyncProbeDrivers: []string{"K"}, ReprobeAfterProbe: rapid.Bool().Draw(t, "stress")}
		s := NewState(cfg, drivers, modules, plan)
		c := NewChecker(cfg, drivers, modules...)
		seen := 0
		var created []string
		gated := map[string]bool{}
		var prologue []Op
		for _, d := range propDrivers {
			if rapid.Bool().Draw(t, "pre-"+d) {
				prologue = append(prologue, DriverRegister{Driver: d})
			}
		}
		if rapid.Bool().Draw(t, "pre-m") {
			prologue = append(prologue, ModuleLoad{Module: "m"})
		}
		t.Logf("catalogue %+v modules %+v plan %v config %+v", drivers, modules, plan, cfg)
		for _, op := range prologue {
			t.Logf("%s -> %s", op, s.Apply(op))
			feed(t, s, c, &seen)
		}
		for i, n := 0, rapid.IntRange(1, 30).Draw(t, "ops"); i < n; i++ {
			op := drawOp(t, s.Handles())
			r := s.Apply(op)
			t.Logf("%s -> %s", op, r)
			if r.Livelock != "" {
				return // a program the spec lets run forever: nothing more to check
			}
			if _, frozen := s.Frozen(); frozen {
				t.Fatalf("%s froze the model: %s", op, r)
			}
			if r.Invalid != "" {
				continue
			}
			switch o := op.(type) {
			case NewDevice:
				created = append(created, r.Handle)
			case NewAndRegister:
				if r.Handle != "" {
					created = append(created, r.Handle)
				}
			case TryUnregister:
				gated[o.Device] = true
			case UnregisterAsync:
				gated[o.Device] = true
			}
			feed(t, s, c, &seen)
		}
		if vs := s.Q1Violations(); len(vs) > 0 {
			for _, e := range s.Events() {
				t.Logf("  %s", e)
			}
			t.Fatalf("Q1: %v", vs)
		}
		if vs := c.Quiescent(false); len(vs) > 0 {
			t.Fatalf("checker Q1: %v", vs)
		}
		if !teardown(t, s, created, gated, c, &seen) {
			return
		}
		if vs := s.Q2Violations(); len(vs) > 0 {
			t.Fatalf("model Q2: %v", vs)
		}
		if vs := c.Quiescent(true); len(vs) > 0 {
			t.Fatalf("checker Q2: %v", vs)
		}
	})
}

func TestPropertyStepDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		drivers, modules := drawCatalogue(t)
		s1 := NewState(Config{}, drivers, modules, nil)
		s2 := NewState(Config{}, drivers, modules, nil)
		for i, n := 0, rapid.IntRange(1, 20).Draw(t, "ops"); i < n; i++ {
			op := drawOp(t, s1.Handles())
			before := s1.Snapshot()
			r0, next := Step(s1, op)
			if fmt.Sprint(before) != fmt.Sprint(s1.Snapshot()) {
				t.Fatalf("Step changed its input on %s", op)
			}
			r1 := s1.Apply(op)
			r2 := s2.Apply(op)
			if r0.String() != r1.String() || r1.String() != r2.String() ||
				fmt.Sprint(next.Snapshot()) != fmt.Sprint(s1.Snapshot()) || fmt.Sprint(s1.Snapshot()) != fmt.Sprint(s2.Snapshot()) {
				t.Fatalf("%s is not deterministic", op)
			}
		}
	})
}
