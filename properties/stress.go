package properties

// BroadPrograms are the broad hand-written programs: BroadStress and
// BroadShared. Between them they run every operation of a program
// (TestBroadProgramsRunEveryOperation).
func BroadPrograms() []Program { return []Program{BroadStress(), BroadShared()} }

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
	op := func(kind OpKind, dev int) Op { return Op{Kind: kind, Dev: dev, Parent: -1, Ref: -1} }
	named := func(kind OpKind, dev int, name string) Op { o := op(kind, dev); o.Name = name; return o }
	withDriver := func(kind OpKind, dev int, driver string) Op { o := op(kind, dev); o.Driver = driver; return o }
	child := named(OpNewAndRegister, 1, "c")
	child.Parent = 0
	loadM := op(OpModuleLoad, -1)
	loadM.Module = "m"
	yes := func(names ...string) map[string]Match {
		m := map[string]Match{}
		for _, n := range names {
			m[n] = MatchYes
		}
		return m
	}
	return Program{
		Drivers: []Driver{
			{Name: "A", ProbeType: ForceSync, Match: yes("d0", "d1", "d2", "p"),
				Probe: map[string]Probe{"p": {Actions: []Action{{Kind: ActDevres}, {Kind: ActChild, Name: "k"}}}}},
			{Name: "B", ProbeType: PreferAsync, Match: yes("d2", "d3", "c")},
			{Name: "C", Module: "m", Match: yes("d4"),
				Probe: map[string]Probe{"d4": {Result: ProbeDefer, Until: "d0"}}},
		},
		Modules: []Module{{Name: "m", Drivers: []string{"C"}}},
		Clients: [][]Op{
			{withDriver(OpDriverRegister, -1, "A"), withDriver(OpDriverRegister, -1, "B"), loadM},
			{named(OpNewAndRegister, 0, "d0"), named(OpNewAndRegister, 1, "d1"), named(OpNewAndRegister, 2, "d2")},
			{named(OpNewDevice, 0, "d3"), op(OpRegisterAsync, 0), op(OpWait, 0),
				named(OpNewDevice, 1, "d4"), op(OpRegisterAsync, 1), op(OpWait, 1)},
			{named(OpNewAndRegister, 0, "p"), child, withDriver(OpBind, 1, "B"), op(OpUnbind, 1),
				named(OpSetOverride, 0, "A"), op(OpReprobe, 0)},
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
	op := func(kind OpKind, dev int) Op { return Op{Kind: kind, Dev: dev, Parent: -1, Ref: -1} }
	named := func(kind OpKind, dev int, name string) Op { o := op(kind, dev); o.Name = name; return o }
	lookup := func(kind OpKind, name, driver string) Op { o := named(kind, -1, name); o.Driver = driver; return o }
	withDriver := func(kind OpKind, driver string) Op { o := op(kind, -1); o.Driver = driver; return o }
	module := func(kind OpKind) Op { o := op(kind, -1); o.Module = "m"; return o }
	return Program{
		Drivers: []Driver{
			{Name: "A", ProbeType: PreferAsync, Match: map[string]Match{"a": MatchYes, "b": MatchYes},
				Probe:  map[string]Probe{"a": {Actions: []Action{{Kind: ActDevres}}}},
				Remove: map[string]Remove{"a": {UseDevres: true}, "b": {Gate: "g1"}}},
			{Name: "B", Match: map[string]Match{"b": MatchYes, "c": MatchYes},
				Probe: map[string]Probe{"c": {Result: ProbeDefer, Until: "a"}}},
			{Name: "C", ProbeType: ForceSync, Module: "m", Match: map[string]Match{"a": MatchYes}},
		},
		Modules: []Module{{Name: "m", Drivers: []string{"C"}}},
		Clients: [][]Op{
			{withDriver(OpDriverRegister, "A"), named(OpNewAndRegister, 0, "a"), named(OpNewAndRegister, 1, "b"),
				named(OpSetOverride, 1, "A"), op(OpGet, 0), op(OpPut, 0), op(OpTryUnregister, 1), op(OpUnregisterAsync, 0)},
			{withDriver(OpDriverRegister, "B"), module(OpModuleLoad), lookup(OpLookupOverride, "b", "A"),
				lookup(OpLookupBind, "a", "C"), lookup(OpLookupUnbind, "a", ""), lookup(OpLookupDevres, "b", ""),
				module(OpModuleUnload), withDriver(OpDriverUnregister, "B")},
			{op(OpBlockProbing, -1), named(OpNewDevice, 0, "c"), op(OpRegister, 0), named(OpFind, -1, "a"),
				op(OpPutLookup, -1), op(OpUnblockProbing, -1), op(OpWaitForProbe, -1), op(OpDevres, 0),
				op(OpUnregister, 0), named(OpOpenGate, -1, "g1")},
		},
	}
}
