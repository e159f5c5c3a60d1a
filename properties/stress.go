package properties

import "github.com/devstress/devstress/sched"

// BroadPrograms are the broad hand-written programs: BroadStress,
// BroadShared and BroadTeardown. Between them they run every operation of
// a program (TestBroadProgramsRunEveryOperation).
func BroadPrograms() []Program { return []Program{BroadStress(), BroadShared(), BroadTeardown()} }

// BroadFaultHits is how many hits of each fault point a broad program's
// fault plan covers.
const BroadFaultHits = 6

// BroadFaults returns a broad program's fault plan: for each i in
// [0, len(FaultPoints)*BroadFaultHits) with fails(i), in that order, hit
// 1+i%BroadFaultHits of fault point i/BroadFaultHits fails.
func BroadFaults(fails func(i int) bool) []sched.Fault {
	var plan []sched.Fault
	for i := range len(FaultPoints) * BroadFaultHits {
		if fails(i) {
			plan = append(plan, sched.Fault{Point: FaultPoints[i/BroadFaultHits], Nth: 1 + i%BroadFaultHits, Value: 1})
		}
	}
	return plan
}

// BroadStress is the stress test people write today, as a program: one
// broad hand-written program that touches every family of operations at
// once, four clients in parallel, for the free runtime's real goroutines
// and its faults at a rate per decision (ExecuteFree). It is
// sut/free_test.go's program: T1 registers a synchronous driver A (whose
// probe of p adds a devres and registers a child k), an asynchronous
// driver B and loads module m (driver C, whose probe of d4 defers until d0
// is bound); T2 registers d0, d1 and d2; T3 registers d3 and d4
// asynchronously and waits for each; T4 registers p and a child c under
// it, binds c to B and unbinds it, then overrides p to A and reprobes it.
// The async layer has room for two jobs. It is the baseline of the
// scoreboard's stress row: what a search of generated programs must beat.
func BroadStress() Program {
	child := broadOp(OpNewAndRegister, 1, "c", "")
	child.Parent = 0
	yes := func(names ...string) map[string]MatchResult {
		m := map[string]MatchResult{}
		for _, n := range names {
			m[n] = MatchYes
		}
		return m
	}
	return Program{
		Drivers: []Driver{
			{Name: "A", ProbeType: ForceSync, Match: yes("d0", "d1", "d2", "p"),
				Probe: map[string]ProbeScript{"p": {Actions: []Action{{Kind: ActDevres}, {Kind: ActChild, Name: "k"}}}}},
			{Name: "B", ProbeType: PreferAsync, Match: yes("d2", "d3", "c")},
			{Name: "C", Module: "m", Match: yes("d4"),
				Probe: map[string]ProbeScript{"d4": {Result: ProbeDefer, Until: "d0"}}},
		},
		Modules: []Module{{Name: "m", Drivers: []string{"C"}}},
		Clients: [][]Op{
			{broadOp(OpDriverRegister, -1, "", "A"), broadOp(OpDriverRegister, -1, "", "B"), moduleOp(OpModuleLoad, "m")},
			{broadOp(OpNewAndRegister, 0, "d0", ""), broadOp(OpNewAndRegister, 1, "d1", ""), broadOp(OpNewAndRegister, 2, "d2", "")},
			{broadOp(OpNewDevice, 0, "d3", ""), broadOp(OpRegisterAsync, 0, "", ""), broadOp(OpWait, 0, "", ""),
				broadOp(OpNewDevice, 1, "d4", ""), broadOp(OpRegisterAsync, 1, "", ""), broadOp(OpWait, 1, "", "")},
			{broadOp(OpNewAndRegister, 0, "p", ""), child, broadOp(OpBind, 1, "", "B"), broadOp(OpUnbind, 1, "", ""),
				broadOp(OpSetOverride, 0, "A", ""), broadOp(OpReprobe, 0, "", "")},
		},
		MaxPending: 2,
	}
}

// BroadShared is the second broad program: the operations BroadStress
// leaves out, with clients meeting on each other's devices. T1 registers
// an asynchronous driver A (its probe of a adds a devres, which its remove
// uses; its remove of b waits for gate g1), registers a and b, overrides b to A, takes and drops a reference
// to a, then unregisters b with TryUnregister and a asynchronously. T2
// registers driver B (c defers until a is bound), loads module m (driver
// C, which matches a), and, through lookups, overrides b to A, binds a to
// C, unbinds it and adds a devres to b, then unloads m and unregisters B.
// T3 blocks probing, registers c, finds a and drops the lookup, unblocks
// probing, waits for the probes, adds a devres to c, unregisters it and
// opens g1.
func BroadShared() Program {
	return Program{
		Drivers: []Driver{
			{Name: "A", ProbeType: PreferAsync, Match: map[string]MatchResult{"a": MatchYes, "b": MatchYes},
				Probe:  map[string]ProbeScript{"a": {Actions: []Action{{Kind: ActDevres}}}},
				Remove: map[string]RemoveScript{"a": {UseDevres: true}, "b": {Gate: "g1"}}},
			{Name: "B", Match: map[string]MatchResult{"b": MatchYes, "c": MatchYes},
				Probe: map[string]ProbeScript{"c": {Result: ProbeDefer, Until: "a"}}},
			{Name: "C", ProbeType: ForceSync, Module: "m", Match: map[string]MatchResult{"a": MatchYes}},
		},
		Modules: []Module{{Name: "m", Drivers: []string{"C"}}},
		Clients: [][]Op{
			{broadOp(OpDriverRegister, -1, "", "A"), broadOp(OpNewAndRegister, 0, "a", ""), broadOp(OpNewAndRegister, 1, "b", ""),
				broadOp(OpSetOverride, 1, "A", ""), broadOp(OpGet, 0, "", ""), broadOp(OpPut, 0, "", ""), broadOp(OpTryUnregister, 1, "", ""), broadOp(OpUnregisterAsync, 0, "", "")},
			{broadOp(OpDriverRegister, -1, "", "B"), moduleOp(OpModuleLoad, "m"), broadOp(OpLookupOverride, -1, "b", "A"),
				broadOp(OpLookupBind, -1, "a", "C"), broadOp(OpLookupUnbind, -1, "a", ""), broadOp(OpLookupDevres, -1, "b", ""),
				moduleOp(OpModuleUnload, "m"), broadOp(OpDriverUnregister, -1, "", "B")},
			{broadOp(OpBlockProbing, -1, "", ""), broadOp(OpNewDevice, 0, "c", ""), broadOp(OpRegister, 0, "", ""), broadOp(OpFind, -1, "a", ""),
				broadOp(OpPutLookup, -1, "", ""), broadOp(OpUnblockProbing, -1, "", ""), broadOp(OpWaitForProbe, -1, "", ""), broadOp(OpDevres, 0, "", ""),
				broadOp(OpUnregister, 0, "", ""), broadOp(OpOpenGate, -1, "g1", "")},
		},
	}
}

// BroadTeardown is the third broad program: teardowns racing the uses of
// what they tear down, and probes refused for what a device still holds.
// The device side: a device unregistered while its asynchronous probe
// runs and defers (§4.2, §7.1's deferred_add guards), one unregistered
// asynchronously while its own client reprobes it (§6.1: path A skips a
// dead device), one reprobed while it holds devres unbound (§7.2:
// refused, Probe not called), and one whose add may fail while a driver's
// scan defers on it (§4.1's unwind against §7.1's deferred_add guards).
// The driver side: a driver unregistered while another client binds a
// device to it (§5.2: DriverUnregister waits for binds in flight), an
// override replaced while drivers match the device (§6.0: match reads a
// copy), and deferred devices retried by the worker when the device they
// wait for binds (§6.3). Driver A (asynchronous) matches a, b
// and e, and its probes of b and e defer until c is bound; B
// (synchronous) matches c; C matches x and its probe of x fails (ENODEV),
// so that x stays unbound and every bind of x probes, and its match of y
// defers. T1 registers A, a and b, unregisters b, registers e, adds a
// devres to it and reprobes it, then unregisters a asynchronously and
// reprobes it; T2 registers y and x, overrides x to C, binds it to C,
// overrides it to B, waits for the probes and unregisters x; T3 registers
// C, B and c, unregisters C, then c.
func BroadTeardown() Program {
	return Program{
		Drivers: []Driver{
			{Name: "A", ProbeType: PreferAsync, Match: map[string]MatchResult{"a": MatchYes, "b": MatchYes, "e": MatchYes},
				Probe: map[string]ProbeScript{"b": {Result: ProbeDefer, Until: "c"}, "e": {Result: ProbeDefer, Until: "c"}}},
			{Name: "B", ProbeType: ForceSync, Match: map[string]MatchResult{"c": MatchYes}},
			{Name: "C", Match: map[string]MatchResult{"x": MatchYes, "y": MatchDefer}, Probe: map[string]ProbeScript{"x": {Result: ProbeNoDev}}},
		},
		Clients: [][]Op{
			{broadOp(OpDriverRegister, -1, "", "A"), broadOp(OpNewAndRegister, 0, "a", ""), broadOp(OpNewAndRegister, 1, "b", ""),
				broadOp(OpUnregister, 1, "", ""), broadOp(OpNewAndRegister, 2, "e", ""), broadOp(OpDevres, 2, "", ""),
				broadOp(OpReprobe, 2, "", ""), broadOp(OpUnregisterAsync, 0, "", ""), broadOp(OpReprobe, 0, "", "")},
			{broadOp(OpNewAndRegister, 0, "y", ""), broadOp(OpNewAndRegister, 1, "x", ""), broadOp(OpLookupOverride, -1, "x", "C"),
				broadOp(OpLookupBind, -1, "x", "C"), broadOp(OpLookupOverride, -1, "x", "B"), broadOp(OpWaitForProbe, -1, "", ""),
				broadOp(OpTryUnregister, 1, "", "")},
			{broadOp(OpDriverRegister, -1, "", "C"), broadOp(OpDriverRegister, -1, "", "B"), broadOp(OpNewAndRegister, 0, "c", ""),
				broadOp(OpDriverUnregister, -1, "", "C"), broadOp(OpUnregister, 0, "", "")},
		},
	}
}

// broadOp is an operation of a broad program on the client's device dev
// (-1: none), with the name and driver it takes ("" when none).
func broadOp(kind OpKind, dev int, name, driver string) Op {
	return Op{Kind: kind, Dev: dev, Parent: -1, Ref: -1, Name: name, Driver: driver}
}

// moduleOp is a load or an unload of module.
func moduleOp(kind OpKind, module string) Op {
	o := broadOp(kind, -1, "", "")
	o.Module = module
	return o
}
