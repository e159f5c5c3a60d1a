package sut

// DeviceAdd adds an initialised device (device_add, §4.1). It runs at most
// once per device: a device that is not Initialized gives ErrInval. On error
// the caller still holds Owner and must PutOwner(d).
func (c *Core) DeviceAdd(d *Device) error {
	c.call("DeviceAdd", d, nil)
	err := c.deviceAddChecked(d, c.self())
	c.ret("DeviceAdd", err)
	return err
}

// RegisterSync is device_register: NewDevice already initialised d, so it
// is DeviceAdd.
func (c *Core) RegisterSync(d *Device) error {
	c.call("RegisterSync", d, nil)
	err := c.deviceAddChecked(d, c.self())
	c.ret("RegisterSync", err)
	return err
}

// deviceAddChecked validates the argument of a program add.
func (c *Core) deviceAddChecked(d *Device, who owner) error {
	if d == nil {
		return errorf(ErrInval, "device_add", "nil device")
	}
	c.access(d.mem, "adds")
	if ph := d.phaseNow(); ph != PhaseInitialized {
		return errorf(ErrInval, "device_add", d.handle+" is "+ph.String()+", not Initialized")
	}
	return c.deviceAdd(d, who)
}

// NewAndRegister creates and registers a device. On failure it puts the
// device and returns (nil, err); it never returns (nil, nil).
func (c *Core) NewAndRegister(name string, parent *Device) (*Device, error) {
	c.call("NewAndRegister", parent, nil)
	who := c.self()
	d := c.newDevice(name, parent, nil, who)
	err := c.deviceAdd(d, who)
	if err != nil {
		switch c.cfg.Bug {
		case BugH7a:
			c.freeDevice(d) // H7a: a raw free instead of the put (dcf69599c47f)
		case BugH7b:
			// H7b: the put is omitted (16fdabe143fc); d leaks.
		default:
			c.put(d, labelOwner, who)
		}
		d = nil
	}
	c.emit(Event{Kind: EvReturn, Label: "NewAndRegister", Device: d.h(), Err: ErrName(err)})
	return d, err
}

// deviceAdd is device_add (§4.1) of an Initialized device in context who.
func (c *Core) deviceAdd(d *Device, who owner) error {
	c.emit(Event{Kind: EvAddEnter, Device: d.handle})
	err := c.deviceAddSteps(d, who)
	c.emit(Event{Kind: EvAddReturn, Device: d.handle, Err: ErrName(err)})
	return err
}

// deviceAddSteps runs the steps of device_add and its unwind.
func (c *Core) deviceAddSteps(d *Device, who owner) error {
	// 1. Adding; AddTransient; name; private part.
	c.setPhase(d, PhaseAdding)
	c.get(d, labelAddTransient, who)
	var u unwind
	err := c.addSetup(d, who, &u)
	if err != nil {
		c.addUnwind(d, who, u)
		return err
	}
	// 5. Registered and Owner becomes Reg, in one step.
	c.setPhase(d, PhaseRegistered)
	c.relabel(d, labelOwner, labelReg, anyOwner)
	c.rt.Yield("Y-ADD-READY")
	// 6. bus_probe_device. Path A's error (what stopped the scan) is
	// Reprobe's result only (§6.4): DeviceAdd returns nil (step 7).
	_ = c.deviceAttach(d, true, who)
	// 7.
	c.put(d, labelAddTransient, who)
	return nil
}

// unwind records what addSetup did, for addUnwind.
type unwind struct {
	parent, named, linked bool
}

// addSetup runs steps 1-4 of device_add and their faults.
func (c *Core) addSetup(d *Device, who owner, u *unwind) error {
	if d.name == "" {
		return errorf(ErrInval, "device_add", d.handle+": no name") // F-ADD-NAME
	}
	if c.fault("F-ADD-PRIV") {
		return errorf(ErrNoMem, "device_add", d.handle+": private part")
	}
	d.priv.Store(c.alloc(Event{Object: ObjDevicePrivate, Device: d.handle}))
	// 2. Parent reference, kobject add with its name claim.
	if p := d.parent; p != nil {
		c.get(p, "ParentOf("+d.handle+")", anyOwner)
		u.parent = true
		if p.phaseNow() != PhaseRegistered || p.dead.Load() {
			return errorf(ErrNoDev, "device_add", d.handle+": parent "+p.handle+" is gone")
		}
	}
	if c.fault("F-ADD-KOBJ") {
		return errorf(ErrNoMem, "device_add", d.handle+": kobject")
	}
	if !c.claimName(d) {
		return errorf(ErrExist, "device_add", d.handle+": name "+d.name+" taken")
	}
	u.named = true
	c.rt.Yield("Y-ADD")
	// 3. Link into the bus device list.
	if c.fault("F-ADD-BUS") {
		return errorf(ErrNoMem, "device_add", d.handle+": bus")
	}
	c.linkDevice(d)
	u.linked = true
	c.rt.Yield("Y-ADD-VISIBLE")
	// 4. Remaining setup.
	if c.fault("F-ADD-LATE") {
		return errorf(ErrNoMem, "device_add", d.handle+": late setup")
	}
	c.rt.Yield("Y-ADD")
	return nil
}

// addUnwind undoes a failed add in reverse (§4.1 Unwind). The caller keeps
// Owner.
func (c *Core) addUnwind(d *Device, who owner, u unwind) {
	if u.linked {
		c.unlinkDevice(d)
	}
	if u.named {
		c.releaseName(d)
	}
	if u.parent {
		c.put(d.parent, "ParentOf("+d.handle+")", anyOwner)
	}
	c.setPhase(d, PhaseAddFailed)
	c.deferredRemove(d) // after the phase change: a late deferred_add is ignored
	if p := d.priv.Load(); p != nil {
		c.free(p)
	}
	c.put(d, labelAddTransient, who)
}
