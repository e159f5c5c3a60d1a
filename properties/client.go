package properties

import "slices"

// shared is the bookkeeping clients share: which client registered which
// driver and loaded which module, so that a driver value is registered,
// and a module loaded, at most once (spec §14.1, §14.3). It is read and
// written under mu, with no scheduling point in between under the
// controlled runtime.
type shared struct {
	mu      locker
	drivers owners
	modules owners
}

// owners maps a name to the client that registered or loaded it.
type owners struct {
	claimer map[string]int  // the client that took the name first: the only one to use it
	held    map[string]bool // registered or loaded now, by its claimer
	order   []string        // successfully registered and not undone, in order
}

func newOwners() owners { return owners{claimer: map[string]int{}, held: map[string]bool{}} }

func newShared(mu locker) *shared {
	return &shared{mu: mu, drivers: newOwners(), modules: newOwners()}
}

// claim marks name as taken by client i if nobody took it before.
func (s *shared) claim(t *owners, name string, i int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := t.claimer[name]; taken {
		return false
	}
	t.claimer[name] = i
	return true
}

// holds reports whether client i took name first (it may use it) and
// whether it holds it registered or loaded now.
func (s *shared) holds(t *owners, name string, i int) (claimed, now bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := t.claimer[name]
	mine := ok && c == i
	return mine, mine && t.held[name]
}

// settle records the successful registration or load of name by the
// client that claimed it.
func (s *shared) settle(t *owners, name string, err error) {
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.held[name] = true
	t.order = append(t.order, name)
}

// release lets client i undo its own successful registration or load, once.
func (s *shared) release(t *owners, name string, i int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := t.claimer[name]; !ok || c != i || !t.held[name] {
		return false
	}
	t.held[name] = false
	if j := slices.Index(t.order, name); j >= 0 {
		t.order = slices.Delete(t.order, j, j+1)
	}
	return true
}

// slotState is a client's knowledge of one of its devices.
type slotState int

const (
	slotCreated    slotState = iota // NewDevice ran; never added
	slotAdding                      // RegisterAsync issued, not waited
	slotRegistered                  // added; Owner became Reg
	slotFailed                      // add failed; Owner put
	slotGone                        // unregistered, or never created
)

type slot struct {
	d      device
	state  slotState
	comp   completion
	gated  bool // TryUnregister / UnregisterAsync used on it
	gets   int  // Task labels the client holds
	parent int
}

// client runs one client's operations against a backend, applying the
// spec's preconditions (§14) from what the client itself has seen: an
// operation whose precondition does not hold is skipped, the same way on
// every backend and in every run with the same results.
type client struct {
	b      backend
	sh     *shared
	index  int
	slots  []*slot
	lookup device
	// driverModule names the module of a driver registered only by it.
	driverModule map[string]string
	// results holds what each operation returned, as text.
	results []string
}

// The result texts of operations without an error value.
const (
	ok   = "ok"
	skip = "skip"
)

func (c *client) result(err error) string {
	if err == nil {
		return ok
	}
	return c.b.ErrName(err)
}

// alive reports whether the client keeps device i alive: it holds a Task
// label on it, or Owner or Reg. Once the client used a gated form on the
// device, Reg belongs to whoever wins the kill gate, so only its Task
// labels keep the device alive for it.
func (c *client) alive(i int) bool {
	if i < 0 || i >= len(c.slots) {
		return false
	}
	s := c.slots[i]
	if s.gets > 0 {
		return true
	}
	return !s.gated && (s.state == slotCreated || s.state == slotRegistered || s.state == slotAdding)
}

// registered reports whether device i is registered and kept alive by the
// client.
func (c *client) registered(i int) bool {
	return c.alive(i) && c.slots[i].state == slotRegistered
}

// do runs one operation and returns its result as text.
func (c *client) do(o Op) string {
	b, sh := c.b, c.sh
	switch o.Kind {
	case OpNewDevice, OpNewAndRegister:
		return c.create(o)
	case OpFind:
		if c.lookup != nil {
			return skip
		}
		c.lookup = b.FindDevice(o.Name)
		if c.lookup == nil {
			return "none"
		}
		return c.lookup.Handle()
	case OpPutLookup:
		if c.lookup == nil {
			return skip
		}
		b.PutLookup(c.lookup)
		c.lookup = nil
		return ok
	case OpLookupOverride, OpLookupBind, OpLookupUnbind, OpLookupDevres:
		return c.withLookup(o)
	case OpDriverRegister:
		if c.driverModule[o.Driver] != "" || !sh.claim(&sh.drivers, o.Driver, c.index) {
			return skip
		}
		err := b.DriverRegister(o.Driver)
		sh.settle(&sh.drivers, o.Driver, err)
		return c.result(err)
	case OpDriverUnregister:
		if !sh.release(&sh.drivers, o.Driver, c.index) {
			return skip
		}
		b.DriverUnregister(o.Driver)
		return ok
	case OpModuleLoad:
		// One task per module (§14.1), which loads it at most once
		// (§14.3); loading it again while it is loaded is ErrExist.
		if !sh.claim(&sh.modules, o.Module, c.index) {
			if _, loaded := sh.holds(&sh.modules, o.Module, c.index); !loaded {
				return skip
			}
		}
		err := b.ModuleLoad(o.Module)
		sh.settle(&sh.modules, o.Module, err)
		return c.result(err)
	case OpModuleUnload:
		// The module's task unloads it; unloading it when it is not
		// loaded (never loaded, failed, or unloaded) is ErrInval.
		if !sh.release(&sh.modules, o.Module, c.index) {
			if mine, _ := sh.holds(&sh.modules, o.Module, c.index); !mine && !sh.claim(&sh.modules, o.Module, c.index) {
				return skip
			}
		}
		return c.result(b.ModuleUnload(o.Module))
	case OpWaitForProbe:
		b.WaitForDeviceProbe()
		return ok
	case OpBlockProbing:
		b.BlockProbing()
		return ok
	case OpUnblockProbing:
		b.UnblockProbing()
		return ok
	case OpOpenGate:
		b.OpenGate(o.Name)
		return ok
	}
	if o.Dev < 0 || o.Dev >= len(c.slots) {
		return skip
	}
	return c.doDevice(o, c.slots[o.Dev])
}

// create runs NewDevice or NewAndRegister. The parent must be kept alive by
// the client until the add has taken its own reference.
func (c *client) create(o Op) string {
	s := &slot{state: slotGone, parent: o.Parent}
	c.slots = append(c.slots, s)
	var parent device
	if o.Parent >= 0 {
		if !c.alive(o.Parent) || c.slots[o.Parent].state == slotFailed {
			return skip
		}
		parent = c.slots[o.Parent].d
	}
	if o.Kind == OpNewDevice {
		s.d, s.state = c.b.NewDevice(o.Name, parent), slotCreated
		return s.d.Handle()
	}
	d, err := c.b.NewAndRegister(o.Name, parent)
	if err == nil && d != nil {
		s.d, s.state = d, slotRegistered
	}
	return c.result(err)
}

// doDevice runs an operation on one of the client's devices.
func (c *client) doDevice(o Op, s *slot) string {
	switch o.Kind {
	case OpRegister, OpRegisterAsync, OpWait:
		return c.doAdd(o, s)
	case OpUnregister, OpTryUnregister, OpUnregisterAsync:
		return c.doRemove(o, s)
	case OpGet, OpPut:
		return c.doRef(o, s)
	}
	return c.doDriverSide(o, s)
}

// doAdd registers one of the client's devices, at once or
// asynchronously, or waits for its asynchronous registration.
func (c *client) doAdd(o Op, s *slot) string {
	b := c.b
	switch o.Kind {
	case OpRegister:
		if s.state != slotCreated && s.state != slotAdding && c.alive(o.Dev) {
			// A second add of a device that is registered, failed or
			// deleted, kept alive by the client: refused with ErrInval,
			// touching nothing (§4.1: an add runs at most once).
			return c.result(b.RegisterSync(s.d))
		}
		if s.state != slotCreated || !c.parentReady(s) {
			return skip
		}
		err := b.RegisterSync(s.d)
		c.settleAdd(s, err)
		return c.result(err)
	case OpRegisterAsync:
		if s.state != slotCreated || !c.parentReady(s) {
			return skip
		}
		s.comp, s.state = b.RegisterAsync(s.d), slotAdding
		return ok
	case OpWait:
		if s.state != slotAdding {
			return skip
		}
		return c.result(c.wait(s))
	}
	return skip
}

// doRemove unregisters one of the client's devices, plainly or by a
// gated form.
func (c *client) doRemove(o Op, s *slot) string {
	b := c.b
	switch o.Kind {
	case OpUnregister:
		if !c.registered(o.Dev) || s.gated || c.hasRegisteredChild(o.Dev) {
			return skip
		}
		b.Unregister(s.d)
		s.state = slotGone
		return ok
	case OpTryUnregister, OpUnregisterAsync:
		// TryUnregister also while the device's asynchronous registration
		// may still run: it drains the registration first, then a device
		// whose add failed loses (§4.3), and Wait or the teardown puts
		// Owner. Not UnregisterAsync, which does not drain: it would lose
		// to a registration still pending, which then leaves the device
		// registered with nobody to unregister it.
		adding := s.state == slotAdding && o.Kind == OpTryUnregister
		if !c.alive(o.Dev) || (s.state != slotRegistered && !adding) || c.hasRegisteredChild(o.Dev) {
			return skip
		}
		if s.gets == 0 {
			b.Get(s.d) // the gated forms need a label other than Reg, kept
			s.gets++
		}
		s.gated = true
		if o.Kind == OpUnregisterAsync {
			b.UnregisterAsync(s.d)
			return ok
		}
		if b.TryUnregister(s.d) {
			return "won"
		}
		return "lost"
	}
	return skip
}

// doRef takes or drops a reference of the client's on one of its devices.
func (c *client) doRef(o Op, s *slot) string {
	b := c.b
	switch o.Kind {
	case OpGet:
		if !c.alive(o.Dev) || s.state == slotAdding {
			return skip
		}
		b.Get(s.d)
		s.gets++
		return ok
	case OpPut:
		if s.gets == 0 {
			return skip
		}
		b.Put(s.d)
		s.gets--
		return ok
	}
	return skip
}

// doDriverSide runs an operation on what binds one of the client's
// devices: its devres, its override, a manual bind, unbind or reprobe.
func (c *client) doDriverSide(o Op, s *slot) string {
	b := c.b
	switch o.Kind {
	case OpDevres:
		// Also after a gated unregister, when only a Task label keeps the
		// device alive: the core skips a dead device (§14.4).
		if !c.alive(o.Dev) || s.state != slotRegistered || (o.Ref >= 0 && !c.alive(o.Ref)) {
			return skip
		}
		var ref device
		if o.Ref >= 0 {
			ref = c.slots[o.Ref].d
		}
		b.DevresAdd(s.d, ref)
		return ok
	case OpSetOverride:
		if !c.alive(o.Dev) {
			return skip
		}
		b.SetOverride(s.d, o.Name)
		return ok
	case OpBind:
		if !c.registered(o.Dev) {
			return skip
		}
		return c.result(b.Bind(s.d, o.Driver))
	case OpUnbind:
		if !c.registered(o.Dev) {
			return skip
		}
		b.Unbind(s.d)
		return ok
	case OpReprobe:
		if !c.registered(o.Dev) {
			return skip
		}
		return c.result(b.Reprobe(s.d))
	}
	return skip
}

// withLookup runs an operation on a device found by name, under a Lookup
// reference taken and dropped around it: how a client reaches another
// client's device (spec §14.1).
func (c *client) withLookup(o Op) string {
	d := c.b.FindDevice(o.Name)
	if d == nil {
		return "none"
	}
	defer c.b.PutLookup(d)
	switch o.Kind {
	case OpLookupOverride:
		c.b.SetOverride(d, o.Driver)
	case OpLookupBind:
		return c.result(c.b.Bind(d, o.Driver))
	case OpLookupUnbind:
		c.b.Unbind(d)
	case OpLookupDevres:
		// The core skips a device that is not Registered or is dead
		// (§14.4), so another client's device may be under deletion.
		var ref device
		if o.Ref >= 0 {
			ref = d
		}
		c.b.DevresAdd(d, ref)
	}
	return ok
}

// wait waits for a RegisterAsync and follows the caller protocol.
func (c *client) wait(s *slot) error {
	err := s.comp.Wait()
	s.comp = nil
	c.settleAdd(s, err)
	return err
}

// parentReady reports whether a device's parent (if any) is kept alive by
// the client, as DeviceAdd needs until it takes its ParentOf reference.
func (c *client) parentReady(s *slot) bool {
	return s.parent < 0 || c.alive(s.parent)
}

// hasRegisteredChild reports whether one of the client's devices under
// device i is still registered: children are unregistered first.
func (c *client) hasRegisteredChild(i int) bool {
	for _, s := range c.slots {
		if s.parent == i && (s.state == slotRegistered || s.state == slotAdding) {
			return true
		}
	}
	return false
}

// settleAdd follows the caller protocol after an add: on error the caller
// drops its Owner reference.
func (c *client) settleAdd(s *slot, err error) {
	if err != nil {
		c.b.PutOwner(s.d)
		s.state = slotFailed
		return
	}
	s.state = slotRegistered
}

// release drops what the client still holds of one device (teardown): it
// waits for an unwaited registration, puts Owner after a missing add, and
// unregisters a registered device the way the client used it.
func (c *client) release(s *slot) {
	if s.state == slotAdding {
		_ = c.wait(s)
	}
	switch s.state {
	case slotCreated:
		c.b.PutOwner(s.d)
	case slotRegistered:
		switch {
		case !s.gated:
			c.b.Unregister(s.d)
		case s.gets > 0:
			c.b.TryUnregister(s.d) // loses if an earlier gated call won
		}
	}
	s.state = slotGone
}

// dropLabels puts every Task and Lookup label the client holds (teardown).
func (c *client) dropLabels() {
	for _, s := range c.slots {
		for ; s.gets > 0; s.gets-- {
			c.b.Put(s.d)
		}
	}
	if c.lookup != nil {
		c.b.PutLookup(c.lookup)
		c.lookup = nil
	}
}
