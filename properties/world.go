package properties

import (
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// world is one execution of a program on the implementation: the core and
// the drivers, modules and gates instantiated for it, and the clients
// running the program's operations on it.
type world struct {
	p       Program
	rt      sched.Runtime
	core    *sut.Core
	drivers map[string]*sut.Driver
	subs    []*sut.Driver // sub drivers scripts may register
	modules map[string]*sut.Module
	gates   map[string]*sut.Gate
	clients []*client
	ids     []sched.TaskID // the clients' tasks
	shared  *shared
	done    sched.Counter // program tasks still running
	// boundary makes each client yield at "op-boundary" after every
	// operation and record a snapshot once the strategy let the core
	// drain (the sequential property).
	boundary  bool
	snapshots []sut.Snapshot
}

func newWorld(p Program, rt sched.Runtime, cfg sut.Config) *world {
	w := &world{
		p: p, rt: rt,
		drivers: map[string]*sut.Driver{},
		modules: map[string]*sut.Module{},
		gates:   map[string]*sut.Gate{},
		shared:  newShared(rt.NewMutex("properties")),
		done:    rt.NewCounter("program tasks"),
	}
	cfg.MaxPending = p.MaxPending
	w.core = sut.New(rt, cfg)
	for _, g := range GateNames {
		w.gates[g] = w.core.NewGate(g)
	}
	for _, spec := range p.Drivers {
		w.drivers[spec.Name] = w.newDriver(spec)
	}
	for _, m := range p.Modules {
		mod := &sut.Module{Name: m.Name, AsyncProbe: m.AsyncProbe}
		for _, name := range m.Drivers {
			mod.Drivers = append(mod.Drivers, w.drivers[name])
		}
		w.modules[m.Name] = mod
	}
	return w
}

// newDriver instantiates a driver of the program for this core.
func (w *world) newDriver(spec Driver) *sut.Driver {
	d := &sut.Driver{
		Name:      spec.Name,
		ProbeType: sut.ProbeType(spec.ProbeType),
		Match:     map[string]sut.MatchResult{},
		Probe:     map[string]sut.ProbeScript{},
		Remove:    map[string]sut.RemoveScript{},
	}
	for name, m := range spec.Match {
		d.Match[name] = sutMatch(m)
	}
	for name, pr := range spec.Probe {
		s := sut.ProbeScript{Result: sutOutcome(pr)}
		for _, a := range pr.Actions {
			s.Actions = append(s.Actions, w.sutAction(a))
		}
		d.Probe[name] = s
	}
	for name, r := range spec.Remove {
		d.Remove[name] = sut.RemoveScript{Wait: w.gates[r.Gate], UseDevres: r.UseDevres}
	}
	return d
}

func (w *world) sutAction(a Action) sut.Action {
	switch a.Kind {
	case ActDevres:
		return sut.DevresPlain()
	case ActDevresSelf:
		return sut.DevresRef("")
	case ActDevresRef:
		return sut.DevresRef(a.Name)
	case ActChild:
		return sut.RegisterChild(a.Name)
	case ActSubDriver:
		// A synchronous driver matching nothing (spec §14.2), one value per
		// name however many scripts register it.
		sub := w.driverByName(a.Name)
		if sub == nil {
			sub = &sut.Driver{Name: a.Name, ProbeType: sut.ForceSync}
			w.subs = append(w.subs, sub)
		}
		return sut.RegisterDriver(sub)
	default:
		return sut.WaitGate(w.gates[a.Name])
	}
}

func sutMatch(m MatchResult) sut.MatchResult {
	switch m {
	case MatchYes:
		return sut.MatchYes
	case MatchDefer:
		return sut.MatchDefer
	case MatchError:
		return sut.MatchError
	}
	return sut.MatchNo
}

func sutOutcome(p ProbeScript) sut.Result {
	switch p.Result {
	case ProbeDefer:
		return sut.DeferUntil(p.Until)
	case ProbeNoDev:
		return sut.FailWith(sut.ErrNoDev)
	case ProbeNXIO:
		return sut.FailWith(sut.ErrNXIO)
	case ProbeNoMem:
		return sut.FailWith(sut.ErrNoMem)
	}
	return sut.Succeed()
}

// spawnClients starts one task per client, then idle ones up to
// DefaultSizes.Clients: the core's own tasks then get the same ids in a
// program with fewer clients, and a schedule's preemptions (which name
// task ids) keep their meaning when shrinking removes a client.
func (w *world) spawnClients() {
	w.done.Add(len(w.p.Clients))
	for i, ops := range w.p.Clients {
		c := w.newClient(i)
		w.clients = append(w.clients, c)
		w.ids = append(w.ids, w.rt.Go(taskName(i), func() {
			for _, o := range ops {
				c.results = append(c.results, c.do(o))
				if w.boundary {
					w.rt.Yield("op-boundary")
					w.snapshots = append(w.snapshots, w.core.Snapshot())
				}
			}
			w.done.Add(-1)
		}))
	}
	for i := len(w.p.Clients); i < DefaultSizes.Clients; i++ {
		w.rt.Go(taskName(i), func() {})
	}
}

// newClient returns client i running on the implementation.
func (w *world) newClient(i int) *client {
	return &client{b: sutBackend{w}, sh: w.shared, index: i, driverModule: driverModules(w.p)}
}

// driverModules maps each driver registered only by a module to it.
func driverModules(p Program) map[string]string {
	m := map[string]string{}
	for _, d := range p.Drivers {
		if d.Module != "" {
			m[d.Name] = d.Module
		}
	}
	return m
}

func taskName(i int) string { return "client" + string(rune('1'+i)) }

// driverByName finds a program driver or a sub driver a script registers.
func (w *world) driverByName(name string) *sut.Driver {
	if d := w.drivers[name]; d != nil {
		return d
	}
	for _, d := range w.subs {
		if d.Name == name {
			return d
		}
	}
	return nil
}
