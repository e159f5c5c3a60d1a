package fixture

func (c *Core) attach(d *Device) bool {
	c.lock(d)
	if d.dead && d.n < 2 {
		c.unlock(d)
		return false
	}
	d.bound.Store(true)
	c.emit("bound")
	if c.cfg.Bug == BugX {
		c.put(d)
	}
	c.unlock(d)
	return true
}

func (c *Core) String() string {
	if c.on {
		return fmt.Sprintf("%v", true)
	}
	return "off"
}
