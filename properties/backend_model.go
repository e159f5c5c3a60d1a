package properties

import (
	"fmt"

	"github.com/devstress/devstress/model"
)

// modelBackend runs a client's operations on the reference model, as
// program task T1, after each of which the model has drained the async
// work (spec §14.7). The model cannot continue past a closed script gate
// (Result.Blocked), and refuses an operation outside the spec's
// preconditions (Result.Invalid): either stops it, and every later call
// does nothing.
type modelBackend struct {
	s       *model.State
	stopped string // why the model stopped, "" while it runs
}

// modelDevice is a model device handle.
type modelDevice string

func (d modelDevice) Handle() string { return string(d) }

func handle(d device) string {
	if d == nil {
		return ""
	}
	return d.Handle()
}

func (b *modelBackend) apply(op model.Op) model.Result {
	if b.stopped != "" {
		return model.Result{}
	}
	r := b.s.ApplyAs("T1", op)
	switch {
	case r.Blocked != "":
		b.stopped = fmt.Sprintf("%s blocks on closed gate %s", op, r.Blocked)
	case r.Invalid != "":
		b.stopped = fmt.Sprintf("the model refuses %s: %s", op, r.Invalid)
	}
	return r
}

func (b *modelBackend) dev(r model.Result) device {
	if r.Handle == "" {
		return nil
	}
	return modelDevice(r.Handle)
}

func (b *modelBackend) NewDevice(name string, parent device) device {
	return b.dev(b.apply(model.NewDevice{Name: name, Parent: handle(parent)}))
}

func (b *modelBackend) NewAndRegister(name string, parent device) (device, error) {
	r := b.apply(model.NewAndRegister{Name: name, Parent: handle(parent)})
	return b.dev(r), r.Err
}

func (b *modelBackend) RegisterSync(d device) error {
	return b.apply(model.RegisterSync{Device: handle(d)}).Err
}

func (b *modelBackend) RegisterAsync(d device) completion {
	b.apply(model.RegisterAsync{Device: handle(d)})
	return modelCompletion{b, handle(d)}
}

type modelCompletion struct {
	b   *modelBackend
	dev string
}

func (c modelCompletion) Wait() error { return c.b.apply(model.CompletionWait{Device: c.dev}).Err }

func (b *modelBackend) PutOwner(d device)   { b.apply(model.PutOwner{Device: handle(d)}) }
func (b *modelBackend) Unregister(d device) { b.apply(model.Unregister{Device: handle(d)}) }
func (b *modelBackend) Get(d device)        { b.apply(model.Get{Device: handle(d)}) }
func (b *modelBackend) Put(d device)        { b.apply(model.Put{Device: handle(d)}) }
func (b *modelBackend) TryUnregister(d device) bool {
	return b.apply(model.TryUnregister{Device: handle(d)}).Won
}
func (b *modelBackend) UnregisterAsync(d device) { b.apply(model.UnregisterAsync{Device: handle(d)}) }
func (b *modelBackend) DevresAdd(d, ref device) {
	b.apply(model.DevresAdd{Device: handle(d), Ref: handle(ref)})
}
func (b *modelBackend) SetOverride(d device, s string) {
	b.apply(model.SetOverride{Device: handle(d), Value: s})
}
func (b *modelBackend) Bind(d device, driver string) error {
	return b.apply(model.Bind{Device: handle(d), Driver: driver}).Err
}
func (b *modelBackend) Unbind(d device)        { b.apply(model.Unbind{Device: handle(d)}) }
func (b *modelBackend) Reprobe(d device) error { return b.apply(model.Reprobe{Device: handle(d)}).Err }
func (b *modelBackend) FindDevice(name string) device {
	return b.dev(b.apply(model.FindDevice{Name: name}))
}
func (b *modelBackend) PutLookup(d device) { b.apply(model.PutLookup{Device: handle(d)}) }
func (b *modelBackend) DriverRegister(driver string) error {
	return b.apply(model.DriverRegister{Driver: driver}).Err
}
func (b *modelBackend) DriverUnregister(driver string) {
	b.apply(model.DriverUnregister{Driver: driver})
}
func (b *modelBackend) ModuleLoad(m string) error {
	return b.apply(model.ModuleLoad{Module: m}).Err
}
func (b *modelBackend) ModuleUnload(m string) error {
	return b.apply(model.ModuleUnload{Module: m}).Err
}
func (b *modelBackend) WaitForDeviceProbe()      { b.apply(model.WaitForDeviceProbe{}) }
func (b *modelBackend) BlockProbing()            { b.apply(model.BlockProbing{}) }
func (b *modelBackend) UnblockProbing()          { b.apply(model.UnblockProbing{}) }
func (b *modelBackend) OpenGate(g string)        { b.apply(model.OpenGate{Gate: g}) }
func (b *modelBackend) ErrName(err error) string { return model.ErrorName(err) }

// newModel returns the model's initial state for p under opt: its drivers
// (with the sub drivers scripts register), modules, configuration and fault
// plan. Injected faults fail with ErrNoMem (spec §13).
func newModel(p Program, opt Options) *model.State {
	var modules []model.Module
	for _, m := range p.Modules {
		modules = append(modules, model.Module{Name: m.Name, Drivers: m.Drivers, AsyncProbe: m.AsyncProbe})
	}
	var plan []model.Fault
	for _, f := range p.Faults {
		plan = append(plan, model.Fault{Point: f.Point, Nth: f.Nth, Err: model.ErrNoMem})
	}
	cfg := model.Config{MaxPending: p.MaxPending, ReprobeAfterProbe: opt.ReprobeAfterProbe,
		NeedParentLock: opt.NeedParentLock, DelayedRelease: opt.DelayedRelease}
	return model.NewState(cfg, modelDrivers(p), modules, plan)
}

// modelDrivers is p's driver catalogue in the model's terms, with the sub
// drivers its scripts register (synchronous, matching nothing).
func modelDrivers(p Program) []model.Driver {
	var drivers []model.Driver
	subs := map[string]bool{}
	for _, d := range p.Drivers {
		md := model.Driver{Name: d.Name, ProbeType: model.ProbeType(d.ProbeType), Module: d.Module,
			Match: map[string]model.MatchResult{}, Probe: map[string]model.ProbeScript{},
			Remove: map[string]model.RemoveScript{}}
		for name, m := range d.Match {
			md.Match[name] = model.MatchResult(m)
		}
		for name, pr := range d.Probe {
			s := model.ProbeScript{Result: modelOutcome(pr)}
			for _, a := range pr.Actions {
				s.Actions = append(s.Actions, modelAction(a))
				if a.Kind == ActSubDriver {
					subs[a.Name] = true
				}
			}
			md.Probe[name] = s
		}
		for name, r := range d.Remove {
			md.Remove[name] = model.RemoveScript{Gate: r.Gate, UseDevres: r.UseDevres}
		}
		drivers = append(drivers, md)
	}
	for _, name := range sortedKeys(subs) {
		drivers = append(drivers, model.Driver{Name: name, ProbeType: model.ForceSync})
	}
	return drivers
}

func modelOutcome(p ProbeScript) model.Outcome {
	switch p.Result {
	case ProbeDefer:
		return model.DeferUntil(p.Until)
	case ProbeNoDev:
		return model.Fail(model.ErrNoDev)
	case ProbeNXIO:
		return model.Fail(model.ErrNXIO)
	case ProbeNoMem:
		return model.Fail(model.ErrNoMem)
	}
	return model.OK()
}

func modelAction(a Action) model.Action {
	switch a.Kind {
	case ActDevres:
		return model.DevresPlain()
	case ActDevresSelf:
		return model.DevresRef("")
	case ActDevresRef:
		return model.DevresRefNamed(a.Name)
	case ActChild:
		return model.RegisterChild(a.Name)
	case ActSubDriver:
		return model.SubDriver(a.Name)
	default:
		return model.WaitGate(a.Name)
	}
}
