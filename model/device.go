package model

import (
	"slices"
	"strconv"
)

// device is the model of one device object (§1).
type device struct {
	handle, name, parent string

	phase              Phase
	onBus, dead, bound bool
	driver             string // attached or being probed
	asyncDriver        string // queued driver-side async attach
	canMatch           bool
	holders            []string // one label per reference
	released           bool
	devres             []devresEntry // LIFO: the last entry is released first
	devresSeq          int           // devres entries ever added (labels Devres(d/k))
	override           string

	// NO-LOST-TRIGGER bookkeeping: whether the last deferral of d came from
	// driver_probe_device, and the triggerCount that attempt started at.
	deferFromProbe bool
	deferTC        int
	// stale: since the last start of path A on d (its add, a deferred
	// retry, a Reprobe), something happened that can make it bind without
	// any trigger: an override write, an injected fault firing during one
	// of its probe attempts (pass 2 and path B included), an unbind of d,
	// or the removal of a driver while d waits on a deferred list. Such a
	// device is exempt from DEFER-PROGRESS until path A runs on it again.
	stale bool

	children []string // devices the current probe of d registered, in order
	byProbe  bool     // created by a probe script: that probe owns it
	addRan   bool     // DeviceAdd entered (ADD-ONCE)
	delRan   bool     // DeviceDel entered (DEL-ONCE)
	reg      *regAsync
}

// regAsync is the state of d's RegisterAsync completion.
type regAsync struct {
	cookie int
	done   bool
	err    error
	waited bool
}

func (d *device) clone() *device {
	c := *d
	c.holders = slices.Clone(d.holders)
	c.devres = slices.Clone(d.devres)
	c.children = slices.Clone(d.children)
	if d.reg != nil {
		r := *d.reg
		c.reg = &r
	}
	return &c
}

func (d *device) holds(label string) bool { return slices.Contains(d.holders, label) }

// dev returns the live device h, or fails the operation.
func (s *State) dev(h string) *device {
	d := s.devs[h]
	if d == nil {
		fail("unknown device %s", h)
	}
	return d
}

// live checks that handle h names a device that was not released.
func (s *State) live(h string) (*device, string) {
	d := s.devs[h]
	switch {
	case d == nil:
		return nil, "unknown device " + h
	case d.released:
		return nil, "device " + h + " already released"
	}
	return d, ""
}

// get takes a reference on d charged to label (kref get).
func (s *State) get(d *device, label string) {
	if d.released || len(d.holders) == 0 {
		fail("get %s on released device %s", label, d.handle)
	}
	d.holders = append(d.holders, label)
	s.emit(Event{Kind: EvGet, Device: d.handle, Label: label})
}

// put drops the reference of d charged to label; the put reaching zero
// releases d (§2).
func (s *State) put(d *device, label string) {
	i := slices.Index(d.holders, label)
	if i < 0 {
		fail("put %s on %s, which holds %v", label, d.handle, d.holders)
	}
	d.holders = slices.Delete(d.holders, i, i+1)
	s.emit(Event{Kind: EvPut, Device: d.handle, Label: label})
	if len(d.holders) == 0 {
		s.release(d)
	}
}

// relabel moves one reference of d from label from to label to.
func (s *State) relabel(d *device, from, to string) {
	i := slices.Index(d.holders, from)
	if i < 0 {
		fail("%s does not hold %s", d.handle, from)
	}
	d.holders[i] = to
	s.emit(Event{Kind: EvRelabel, Device: d.handle, Label: from, To: to})
}

// release is device_release: remaining devres first, then the release
// callback, which frees the object.
func (s *State) release(d *device) {
	s.emit(Event{Kind: EvRelease, Device: d.handle})
	s.devresReleaseAll(d)
	d.released = true
	s.emit(Event{Kind: EvFree, Obj: d.handle})
}

// newDevice is NewDevice (device_initialize): refcount 1, held by Owner.
func (s *State) newDevice(name, parent string) *device {
	s.nameCount[name]++
	h := name + "#" + strconv.Itoa(s.nameCount[name])
	d := &device{handle: h, name: name, parent: parent, holders: []string{LabelOwner}}
	s.devs[h] = d
	s.emit(Event{Kind: EvNewDevice, Device: h, Parent: parent})
	return d
}

func (s *State) opNewDevice(_ string, name, parent string) Result {
	if parent != "" {
		if _, why := s.live(parent); why != "" {
			return invalid("NewDevice under %s: %s", parent, why)
		}
	}
	return Result{Handle: s.newDevice(name, parent).handle}
}

func (s *State) opDeviceAdd(t string, h string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("DeviceAdd: %s", why)
	}
	if d.phase != Initialized || d.addRan || d.reg != nil {
		// A second add of a live device: refused, nothing touched (§4.1:
		// DeviceAdd runs at most once, never after DeviceDel).
		return Result{Err: ErrInval}
	}
	if why := s.parentGone(d); why != "" {
		return invalid("DeviceAdd(%s): %s", h, why)
	}
	if !d.holds(LabelOwner) {
		return invalid("DeviceAdd(%s): the caller no longer holds Owner", h)
	}
	return Result{Err: s.deviceAdd(t, d)}
}

// deviceAdd is §4.1, run by context c.
func (s *State) deviceAdd(c string, d *device) error {
	d.addRan = true
	s.emit(Event{Kind: EvAddEnter, Device: d.handle})
	s.setPhase(d, Adding)
	s.get(d, LabelAddTransient)
	var (
		err                          error
		parent                       *device
		parentRef, claimed, onTheBus bool
	)
	// Step 1: a name, then the private part.
	if d.name == "" {
		err = ErrInval
	} else {
		err = s.hit(FAddPriv)
	}
	// Step 2: parent reference and check, kobject add, name claim.
	if err == nil && d.parent != "" {
		parent = s.dev(d.parent)
		s.get(parent, parentOfLabel(d.handle))
		parentRef = true
		if parent.phase != Registered || parent.dead {
			err = ErrNoDev
		}
	}
	if err == nil {
		err = s.hit(FAddKobj)
	}
	if err == nil {
		if _, taken := s.names[d.name]; taken {
			err = ErrExist
		} else {
			s.names[d.name] = d.handle
			claimed = true
		}
	}
	// Step 3: link into the bus device list.
	if err == nil {
		if err = s.hit(FAddBus); err == nil {
			s.setOnBus(d, true)
			s.bus = append(s.bus, d.handle)
			onTheBus = true
		}
	}
	// Step 4: remaining setup.
	if err == nil {
		err = s.hit(FAddLate)
	}
	if err != nil {
		// Unwind, in reverse.
		if onTheBus {
			s.setOnBus(d, false)
		}
		if claimed {
			delete(s.names, d.name)
		}
		if parentRef {
			s.put(parent, parentOfLabel(d.handle))
		}
		s.setPhase(d, AddFailed)
		s.removeFromLists(d)
		s.put(d, LabelAddTransient)
		s.emit(Event{Kind: EvAddReturn, Device: d.handle, Err: err})
		return err
	}
	// Step 5: Registered, Owner becomes Reg.
	s.setPhase(d, Registered)
	s.relabel(d, LabelOwner, LabelReg)
	// Step 6: bus_probe_device. Path A's error (what stopped the scan) is
	// Reprobe's result only (§6.4): DeviceAdd returns nil (step 7).
	_ = s.pathA(c, d, true)
	s.put(d, LabelAddTransient)
	s.emit(Event{Kind: EvAddReturn, Device: d.handle})
	return nil
}

func (s *State) setPhase(d *device, p Phase) {
	d.phase = p
	s.emit(Event{Kind: EvPhase, Device: d.handle, Phase: p})
}

func (s *State) setOnBus(d *device, on bool) {
	d.onBus = on
	s.emit(Event{Kind: EvBusLink, Device: d.handle, Flag: on})
}

func (s *State) kill(d *device) {
	d.dead = true
	s.emit(Event{Kind: EvKill, Device: d.handle})
}

func (s *State) opNewAndRegister(t, name, parent string) Result {
	if parent != "" {
		if _, why := s.live(parent); why != "" {
			return invalid("NewAndRegister under %s: %s", parent, why)
		}
	}
	d := s.newDevice(name, parent)
	if err := s.deviceAdd(t, d); err != nil {
		s.put(d, LabelOwner)
		return Result{Err: err}
	}
	return Result{Handle: d.handle}
}

// deviceDel is §4.2: called once, on a Registered device.
func (s *State) deviceDel(c string, d *device) {
	if d.delRan {
		fail("DeviceDel(%s) entered twice (DEL-ONCE)", d.handle)
	}
	d.delRan = true
	s.emit(Event{Kind: EvDelEnter, Device: d.handle})
	if !d.dead { // step 1: Kill (no-op when a gate killed d)
		s.kill(d)
	}
	s.setOnBus(d, false)   // step 2: unlink ...
	s.releaseDriver(c, d)  // ... and device_release_driver
	s.removeFromLists(d)   // step 3
	s.devresReleaseAll(d)  // step 4
	s.setPhase(d, Deleted) // step 5
	if s.names[d.name] == d.handle {
		delete(s.names, d.name)
	}
	if d.parent != "" {
		s.put(s.dev(d.parent), parentOfLabel(d.handle))
	}
	s.emit(Event{Kind: EvDelReturn, Device: d.handle})
}

// parentGone reports a parent released before its child's add: NewDevice
// takes no reference on the parent, so the caller must keep it alive.
func (s *State) parentGone(d *device) string {
	if d.parent != "" && s.devs[d.parent].released {
		return "parent " + d.parent + " already released (NO-UAF)"
	}
	return ""
}

// unregister is Unregister: DeviceDel, then Put(d, Reg).
func (s *State) unregister(c string, d *device) {
	s.deviceDel(c, d)
	s.put(d, LabelReg)
}

func (s *State) opUnregister(t, h string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("Unregister: %s", why)
	}
	if d.phase != Registered || d.dead || !d.holds(LabelReg) {
		return invalid("Unregister(%s): phase %s, dead %v, holders %v", h, d.phase, d.dead, d.holders)
	}
	if d.byProbe {
		return invalid("Unregister(%s): the probe that registered it owns it", h)
	}
	s.unregister(t, d)
	return Result{}
}

// killGate is the test of §4.3 under lock(d): the winner kills d.
func (s *State) killGate(d *device) bool {
	if d.phase != Registered || d.dead {
		return false
	}
	s.kill(d)
	return true
}

// gatedCaller checks §4.3's precondition: the caller holds a label on d
// other than Reg (Owner, Task(t) or Lookup(t)).
func gatedCaller(t string, d *device) bool {
	return d.holds(LabelOwner) || d.holds(taskLabel(t)) || d.holds(lookupLabel(t))
}

// gatedTarget checks the preconditions of the gated form op by task t on
// h: a live device, not one a probe registered, and a caller holding a
// label on it other than Reg. It returns the device, or nil and the
// Invalid result.
func (s *State) gatedTarget(op, t, h string) (*device, Result) {
	d, why := s.live(h)
	switch {
	case why != "":
		return nil, invalid("%s: %s", op, why)
	case d.byProbe:
		return nil, invalid("gated unregister of %s: the probe that registered it owns it", h)
	case !gatedCaller(t, d):
		return nil, invalid("%s(%s): %s holds no label on it but Reg", op, h, t)
	}
	return d, Result{}
}

func (s *State) opTryUnregister(t, h string) Result {
	d, bad := s.gatedTarget("TryUnregister", t, h)
	if d == nil {
		return bad
	}
	s.asyncSynchronizeDomain(regDomain)
	if !s.killGate(d) {
		return Result{Won: false}
	}
	s.unregister(t, d)
	return Result{Won: true}
}

func (s *State) opUnregisterAsync(t, h string) Result {
	d, bad := s.gatedTarget("UnregisterAsync", t, h)
	if d == nil {
		return bad
	}
	if s.killGate(d) {
		s.get(d, asyncUnregisterLabel(s.lastCookie+1))
		s.schedule(entry{kind: jobUnregister, dev: h}, regDomain)
	}
	return Result{}
}

func (s *State) opGet(t, h string) Result {
	d := s.devs[h]
	if h == "" {
		return Result{} // Get(nil) does nothing
	}
	if d == nil || d.released {
		return invalid("Get(%s) on a released or unknown device (NO-UAF)", h)
	}
	s.get(d, taskLabel(t))
	return Result{}
}

func (s *State) opPutLabel(h, label string) Result {
	if h == "" {
		return Result{} // Put(nil) does nothing
	}
	d, why := s.live(h)
	if why != "" {
		return invalid("put %s: %s", label, why)
	}
	if !d.holds(label) {
		return invalid("put %s on %s, which holds %v (OWNERSHIP)", label, h, d.holders)
	}
	s.put(d, label)
	return Result{}
}

// opFindDevice is FindDevice with the predicate "name == name": it walks the
// bus device list and returns the first match with a Lookup reference.
func (s *State) opFindDevice(t, name string) Result {
	for i := 0; i < len(s.bus); i++ {
		d := s.devs[s.bus[i]]
		if !d.onBus {
			continue
		}
		s.get(d, iteratorLabel(t))
		if d.name == name {
			s.get(d, lookupLabel(t))
			s.put(d, iteratorLabel(t))
			return Result{Handle: d.handle}
		}
		s.put(d, iteratorLabel(t))
	}
	return Result{}
}

func (s *State) opSetOverride(h, v string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("SetOverride: %s", why)
	}
	d.override = v
	d.stale = true
	s.emit(Event{Kind: EvOverride, Device: h, Label: v})
	return Result{}
}
