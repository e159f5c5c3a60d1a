package sut

import "github.com/devstress/devstress/conc"

// bus holds the ordered device and driver lists, the claimed names and each
// driver's boundDevices, under one mutex (the klist locks, §12.1). Iterators
// remember the sequence number of their node, so a node removed under them
// does not lose their place; a driver node's removal waits for the iterators
// sitting on it (klist_remove), a device node's does not.
type bus struct {
	mu      conc.Mutex
	devices []*Device // linked devices, by busSeq
	drivers []*Driver // listed drivers, by busSeq
	names   map[string]*Device
	seq     int
}

// nextDriver moves a driver-list iterator from prev (nil: the start) to the
// next listed driver, holding its node, and returns it (nil at the end).
func (c *Core) nextDriver(prev *Driver) *Driver {
	after := 0
	if prev != nil {
		after = prev.busSeq
	}
	c.bus.mu.Lock()
	var next *Driver
	for _, drv := range c.bus.drivers {
		if drv.busSeq > after {
			next = drv
			break
		}
	}
	if next != nil {
		next.iters.Add(1)
	}
	c.bus.mu.Unlock()
	if prev != nil {
		prev.iters.Add(-1)
	}
	return next
}

// nextDevice moves a device-list iterator from prev (nil, seq 0: the start)
// to the next linked device, taking an Iterator(T) reference on it and
// dropping the one on prev. It returns the device (nil at the end) and the
// sequence number to pass next time.
func (c *Core) nextDevice(prev *Device, prevSeq int) (*Device, int) {
	label := taskLabel("Iterator", c.rt.Self())
	c.bus.mu.Lock()
	var next *Device
	for _, d := range c.bus.devices {
		if d.busSeq > prevSeq {
			next = d
			break
		}
	}
	seq := 0
	if next != nil {
		seq = next.busSeq
		c.get(next, label, c.self())
	}
	c.bus.mu.Unlock()
	c.put(prev, label, c.self())
	return next, seq
}

// claimName claims d's name (kobject add, §4.1 step 2): false if taken.
func (c *Core) claimName(d *Device) bool {
	c.bus.mu.Lock()
	_, taken := c.bus.names[d.name]
	if !taken {
		c.bus.names[d.name] = d
		d.named = true
	}
	c.bus.mu.Unlock()
	return !taken
}

// releaseName gives d's name back if d claimed it.
func (c *Core) releaseName(d *Device) {
	c.bus.mu.Lock()
	if d.named {
		delete(c.bus.names, d.name)
		d.named = false
	}
	c.bus.mu.Unlock()
}

// linkDevice appends d to the bus device list (§4.1 step 3).
func (c *Core) linkDevice(d *Device) {
	c.bus.mu.Lock()
	c.bus.seq++
	d.busSeq, d.onBus = c.bus.seq, true
	c.bus.devices = append(c.bus.devices, d)
	c.bus.mu.Unlock()
	c.emit(Event{Kind: EvBusLink, Device: d.handle, Flag: true})
}

// unlinkDevice removes d from the bus device list if it is linked; iterators
// sitting on d keep their place and their reference.
func (c *Core) unlinkDevice(d *Device) {
	c.bus.mu.Lock()
	linked := d.onBus
	if linked {
		d.onBus = false
		c.bus.devices = removeDevice(c.bus.devices, d)
	}
	c.bus.mu.Unlock()
	if linked {
		c.emit(Event{Kind: EvBusLink, Device: d.handle})
	}
}

// removeDevice returns list without d, preserving order.
func removeDevice(list []*Device, d *Device) []*Device {
	for i, x := range list {
		if x == d {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// claimedDevice returns the registered device that holds name, with a
// reference label taken for who under the bus lock, or nil.
func (c *Core) claimedDevice(name, label string, who owner) *Device {
	c.bus.mu.Lock()
	d := c.bus.names[name]
	if d != nil {
		c.get(d, label, who)
	}
	c.bus.mu.Unlock()
	return d
}

// FindDevice returns the first bus device for which pred holds, with a
// Lookup(T) reference the caller drops with PutLookup, or nil.
func (c *Core) FindDevice(pred func(*Device) bool) *Device {
	c.call("FindDevice", nil, nil)
	who := c.self()
	var found *Device
	d, seq := c.nextDevice(nil, 0)
	for ; d != nil; d, seq = c.nextDevice(d, seq) {
		c.rt.Yield("Y-ITER")
		if pred(d) {
			c.get(d, taskLabel("Lookup", c.rt.Self()), who)
			found = d
			c.put(d, taskLabel("Iterator", c.rt.Self()), who)
			break
		}
	}
	c.emit(Event{Kind: EvReturn, Label: "FindDevice", Device: found.h()})
	return found
}

// ListedDrivers returns the names of the listed drivers in bus
// (registration) order. Unlike Snapshot it reads under the bus lock, so a
// task may call it while the core runs.
func (c *Core) ListedDrivers() []string {
	c.bus.mu.Lock()
	defer c.bus.mu.Unlock()
	names := make([]string, len(c.bus.drivers))
	for i, drv := range c.bus.drivers {
		names[i] = drv.Name
	}
	return names
}
