package sut

import (
	"fmt"
	"sync/atomic"

	"github.com/devstress/devstress/conc"
)

// Phase is a device's registration phase (§1).
type Phase int32

// The phases: Initialized → Adding → Registered → Deleted, or Adding →
// AddFailed.
const (
	PhaseInitialized Phase = iota
	PhaseAdding
	PhaseRegistered
	PhaseDeleted
	PhaseAddFailed
)

var phaseNames = [...]string{"Initialized", "Adding", "Registered", "Deleted", "AddFailed"}

func (p Phase) String() string {
	if p >= 0 && int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("Phase(%d)", int(p))
}

// Device is a device of the core. Create it with NewDevice; its fields are
// reached only through the core, which checks that it was not freed.
type Device struct {
	core      *Core
	handle    string // "<name>#<k>", the instrumentation's identity
	name      string
	parent    *Device
	releaseFn func(*Device)
	mem       *object                // the device itself
	priv      atomic.Pointer[object] // the private part, from DeviceAdd step 1

	// ledger (kref.go)
	holders    atomic.Pointer[[]holder]
	releases   atomic.Int32
	releasedAt atomic.Int64
	inRelease  atomic.Bool

	lock      conc.Mutex   // lock(d), non-recursive
	lockOwner atomic.Int64 // task holding lock(d), for NO-SELF-WAIT

	phase    atomic.Int32 // Phase; written by the adding and deleting task
	dead     atomic.Bool  // written under lock(d), once
	delEnter atomic.Bool  // DeviceDel entered (DEL-ONCE)
	bound    atomic.Bool  // under lock(d); read outside it
	canMatch atomic.Bool
	driver   atomic.Pointer[Driver] // under lock(d); read outside it by DevresAdd

	asyncDriver atomic.Pointer[Driver] // written under lock(d)
	children    []*Device              // devices the bound driver's probe registered; lock(d)
	probeOK     int                    // successful probes not yet removed; lock(d)
	probes      int                    // successful probes in total; lock(d)
	removes     int                    // removes in total; lock(d)

	onBus  bool // bus.mu
	busSeq int  // bus.mu: position in the device list
	named  bool // bus.mu: d's name is claimed

	deferred    DeferredList // deferred.mu
	lastDeferTC int          // deferred.mu: triggerCount of the last deferral, -1 for match

	devresMu  conc.Mutex
	devres    []*devresEntry // devresMu
	devresSeq int            // devresMu: entries ever added
	// devresClosing is set under devresMu when a probe failure, an unbind
	// or a reprobe releases the probe-time entries, and cleared with
	// driver := nil: program DevresAdd calls in between are skipped.
	devresClosing atomic.Bool

	overrideMu conc.Mutex
	override   *overrideString // overrideMu
}

// overrideString is a driver_override value in simulated memory.
type overrideString struct {
	s   string
	mem *object
}

// h is d's handle, or "" for nil.
func (d *Device) h() string {
	if d == nil {
		return ""
	}
	return d.handle
}

// Handle returns the instrumentation's name of d, "<name>#<k>" (k counts
// NewDevice calls with that name from 1). It reads no core state and may be
// called after d was released.
func (d *Device) Handle() string { return d.h() }

func (d *Device) phaseNow() Phase { return Phase(d.phase.Load()) }

// NewDevice initialises a device (device_initialize): refcount 1, held by
// Owner for the calling context. release is called once, when the count
// reaches 0; it is the only place the device is freed. A nil release is
// allowed (nothing extra to do). parent, if any, must be kept alive by the
// caller until DeviceAdd takes its ParentOf reference.
func (c *Core) NewDevice(name string, parent *Device, release func(*Device)) *Device {
	c.call("NewDevice", parent, nil)
	d := c.newDevice(name, parent, release, c.self())
	c.emit(Event{Kind: EvReturn, Label: "NewDevice", Device: d.handle})
	return d
}

// newDevice is NewDevice for the context who (probe scripts create
// children in their own context).
func (c *Core) newDevice(name string, parent *Device, release func(*Device), who owner) *Device {
	if parent != nil {
		c.access(parent.mem, "reads")
	}
	// Everything other tasks may read through the registry (the holders
	// above all: Inherit and the checks walk every device) is set before
	// the device is published; build has no effects, as add requires.
	d := c.devices.add(func(cur []*Device) *Device {
		k := 1
		for _, o := range cur {
			if o.name == name {
				k++
			}
		}
		h := fmt.Sprintf("%s#%d", name, k)
		d := &Device{core: c, handle: h, name: name, parent: parent, releaseFn: release, lastDeferTC: -1,
			lock:       c.rt.NewMutex("dev:" + h),
			devresMu:   c.rt.NewMutex("devres:" + h),
			overrideMu: c.rt.NewMutex("override:" + h)}
		first := []holder{{label: labelOwner, owner: who, step: c.rt.Step(), task: c.rt.Self()}}
		d.holders.Store(&first)
		return d
	})
	d.mem = c.alloc(Event{Object: ObjDevice, Device: d.handle}) // an effect: after publication, read only by holders of d
	c.emit(Event{Kind: EvNewDevice, Device: d.handle, Label: parent.h()})
	return d
}

// Name returns d's name. It is a core access: reading a freed device is
// NO-UAF.
func (d *Device) Name() string {
	d.core.access(d.mem, "reads the name of")
	return d.name
}

// setPhase moves d to p and reports it.
func (c *Core) setPhase(d *Device, p Phase) {
	d.phase.Store(int32(p))
	c.emit(Event{Kind: EvPhase, Device: d.handle, Label: p.String()})
}

// checkDevice validates a device argument of an API call: nil is
// API-PRECONDITION, a freed device NO-UAF.
func (c *Core) checkDevice(d *Device, op string) {
	if d == nil {
		c.fail(InvAPIPrecondition, "%s %s a nil device", c.rt.Self(), op)
		return // not reached: fail stops the task
	}
	c.access(d.mem, op)
}

// lockDev acquires lock(d) (a Y-LOCK point) and reports it.
func (c *Core) lockDev(d *Device) {
	c.access(d.mem, "locks")
	d.lock.Lock()
	d.lockOwner.Store(int64(c.rt.Self()))
	c.emit(Event{Kind: EvLock, Device: d.handle})
}

// unlockDev releases lock(d).
func (c *Core) unlockDev(d *Device) {
	c.emit(Event{Kind: EvUnlock, Device: d.handle})
	d.lockOwner.Store(0)
	d.lock.Unlock()
}

// parentLocking reports whether this path locks d's parent first
// (NeedParentLock, §1).
func (c *Core) parentLocking(d *Device) bool {
	return c.cfg.NeedParentLock && d.parent != nil
}

// lockWithParent takes lock(parent) if parent locking applies, then lock(d).
func (c *Core) lockWithParent(d *Device) {
	if c.parentLocking(d) {
		c.lockDev(d.parent)
	}
	c.lockDev(d)
}

// unlockWithParent undoes lockWithParent.
func (c *Core) unlockWithParent(d *Device) {
	c.unlockDev(d)
	if c.parentLocking(d) {
		c.unlockDev(d.parent)
	}
}
