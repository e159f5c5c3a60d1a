package properties

import (
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// device is a backend's handle on one device.
type device interface{ Handle() string }

// completion is a backend's handle on a RegisterAsync.
type completion interface{ Wait() error }

// backend is what a client's operations run against: the implementation
// (sutBackend) or the reference model (modelBackend). The client logic,
// with its preconditions and caller protocols, is written once against it,
// so both sides see exactly the same calls.
type backend interface {
	NewDevice(name string, parent device) device
	NewAndRegister(name string, parent device) (device, error)
	RegisterSync(d device) error
	RegisterAsync(d device) completion
	PutOwner(d device)
	Unregister(d device)
	Get(d device)
	Put(d device)
	TryUnregister(d device) bool
	UnregisterAsync(d device)
	DevresAdd(d, ref device) // ref nil: a plain resource
	SetOverride(d device, s string)
	Bind(d device, driver string) error
	Unbind(d device)
	Reprobe(d device) error
	FindDevice(name string) device // nil when none
	PutLookup(d device)
	DriverRegister(driver string) error
	DriverUnregister(driver string)
	ModuleLoad(module string) error
	ModuleUnload(module string) error
	WaitForDeviceProbe()
	BlockProbing()
	UnblockProbing()
	OpenGate(gate string)
	// ErrName names an error the backend returned ("ENOMEM", ...).
	ErrName(err error) string
}

// sutBackend runs operations on the implementation.
type sutBackend struct{ w *world }

func dev(d device) *sut.Device {
	if d == nil {
		return nil
	}
	return d.(*sut.Device)
}

// wrap turns a possibly nil *sut.Device into a device, keeping nil nil.
func wrap(d *sut.Device) device {
	if d == nil {
		return nil
	}
	return d
}

func (b sutBackend) NewDevice(name string, parent device) device {
	return b.w.core.NewDevice(name, dev(parent), nil)
}

func (b sutBackend) NewAndRegister(name string, parent device) (device, error) {
	d, err := b.w.core.NewAndRegister(name, dev(parent))
	return wrap(d), err
}

func (b sutBackend) RegisterSync(d device) error { return b.w.core.RegisterSync(dev(d)) }
func (b sutBackend) RegisterAsync(d device) completion {
	return b.w.core.RegisterAsync(dev(d))
}
func (b sutBackend) PutOwner(d device)              { b.w.core.PutOwner(dev(d)) }
func (b sutBackend) Unregister(d device)            { b.w.core.Unregister(dev(d)) }
func (b sutBackend) Get(d device)                   { b.w.core.Get(dev(d)) }
func (b sutBackend) Put(d device)                   { b.w.core.Put(dev(d)) }
func (b sutBackend) TryUnregister(d device) bool    { return b.w.core.TryUnregister(dev(d)) }
func (b sutBackend) UnregisterAsync(d device)       { b.w.core.UnregisterAsync(dev(d)) }
func (b sutBackend) SetOverride(d device, s string) { b.w.core.SetOverride(dev(d), s) }
func (b sutBackend) Unbind(d device)                { b.w.core.Unbind(dev(d)) }
func (b sutBackend) Reprobe(d device) error         { return b.w.core.Reprobe(dev(d)) }
func (b sutBackend) PutLookup(d device)             { b.w.core.PutLookup(dev(d)) }
func (b sutBackend) WaitForDeviceProbe()            { b.w.core.WaitForDeviceProbe() }
func (b sutBackend) BlockProbing()                  { b.w.core.BlockProbing() }
func (b sutBackend) UnblockProbing()                { b.w.core.UnblockProbing() }
func (b sutBackend) OpenGate(g string)              { b.w.gates[g].Open() }
func (b sutBackend) ErrName(err error) string       { return sut.ErrName(err) }

func (b sutBackend) DevresAdd(d, ref device) {
	r := sut.Plain()
	if ref != nil {
		r = sut.Ref(dev(ref))
	}
	b.w.core.DevresAdd(dev(d), r)
}

func (b sutBackend) Bind(d device, driver string) error {
	return b.w.core.Bind(dev(d), b.w.drivers[driver])
}

func (b sutBackend) FindDevice(name string) device {
	return wrap(b.w.core.FindDevice(func(d *sut.Device) bool { return d.Name() == name }))
}

func (b sutBackend) DriverRegister(name string) error {
	return b.w.core.DriverRegister(b.w.drivers[name])
}

func (b sutBackend) DriverUnregister(name string) { b.w.core.DriverUnregister(b.w.drivers[name]) }

func (b sutBackend) ModuleLoad(name string) error { return b.w.core.ModuleLoad(b.w.modules[name]) }

func (b sutBackend) ModuleUnload(name string) error {
	return b.w.core.ModuleUnload(b.w.modules[name])
}

// locker is the lock guarding the clients' shared bookkeeping: a runtime
// mutex for the implementation, nothing for the sequential model.
type locker interface {
	Lock()
	Unlock()
}

var _ locker = sched.Mutex(nil)

type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}
