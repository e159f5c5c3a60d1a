package sut_test

import (
	"testing"

	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// TestBadInputErrors: calls the API can refuse return a clear error.
func TestBadInputErrors(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	a := syncDriver("A", "d")
	unknown := syncDriver("U", "d")
	var d *sut.Device
	err := h.run(func() {
		require.ErrorIs(t, h.c.DeviceAdd(nil), sut.ErrInval)
		require.ErrorIs(t, h.c.RegisterAsync(nil).Wait(), sut.ErrInval)
		require.ErrorIs(t, h.c.Bind(nil, a), sut.ErrInval)
		require.ErrorIs(t, h.c.DriverRegister(nil), sut.ErrInval)
		require.ErrorIs(t, h.c.ModuleLoad(nil), sut.ErrInval)
		require.ErrorIs(t, h.c.ModuleUnload(&sut.Module{Name: "never"}), sut.ErrInval)
		h.c.Get(nil)
		h.c.Put(nil)
		require.NoError(t, h.c.DriverRegister(a))
		require.ErrorIs(t, h.c.DriverRegister(a), sut.ErrBusy, "listed name")
		require.ErrorIs(t, h.c.DriverRegister(syncDriver("A")), sut.ErrBusy, "another value, same name")
		d = h.c.NewDevice("d", nil, nil)
		require.NoError(t, h.c.RegisterSync(d))
		require.ErrorIs(t, h.c.RegisterSync(d), sut.ErrInval, "double registration")
		require.ErrorIs(t, h.c.RegisterAsync(d).Wait(), sut.ErrInval, "double registration, async")
		require.ErrorIs(t, h.c.Bind(d, unknown), sut.ErrNoDev, "unknown driver")
		dup := h.c.NewDevice("d", nil, nil)
		require.ErrorIs(t, h.c.RegisterSync(dup), sut.ErrExist, "name claimed")
		h.c.PutOwner(dup)
		parent := h.c.NewDevice("p", nil, nil)
		orphan := h.c.NewDevice("o", parent, nil)
		require.ErrorIs(t, h.c.RegisterSync(orphan), sut.ErrNoDev, "parent not registered")
		h.c.PutOwner(orphan)
		h.c.PutOwner(parent)
		unnamed := h.c.NewDevice("", nil, nil)
		require.ErrorIs(t, h.c.RegisterSync(unnamed), sut.ErrInval, "no name")
		h.c.PutOwner(unnamed)
		h.c.DriverUnregister(a)
		require.ErrorIs(t, h.c.DriverRegister(a), sut.ErrInval, "a driver value is registered once")
	})
	h.clean(err, func() { h.c.Unregister(d) })
}

// TestBadInputViolations: calls with no error return report a Violation,
// never an escaping panic or a hang.
func TestBadInputViolations(t *testing.T) {
	tests := []struct {
		name    string
		program func(c *sut.Core)
		want    string
	}{
		{"unregister a nil device", func(c *sut.Core) { c.Unregister(nil) }, sut.InvAPIPrecondition},
		{"unregister a never-registered device", func(c *sut.Core) {
			c.Unregister(c.NewDevice("d", nil, nil))
		}, sut.InvAPIPrecondition},
		{"unregister twice", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			_ = c.RegisterSync(d)
			c.Get(d)
			c.Unregister(d)
			c.Unregister(d)
		}, sut.InvDelOnce},
		{"unregister an unknown driver", func(c *sut.Core) { c.DriverUnregister(syncDriver("X")) }, sut.InvAPIPrecondition},
		{"get a released device", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			c.PutOwner(d)
			c.Get(d)
		}, sut.InvNoUAF},
		{"put a released device", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			c.PutOwner(d)
			c.PutOwner(d)
		}, sut.InvRefNonneg},
		{"read a released device", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			c.PutOwner(d)
			_ = d.Name()
		}, sut.InvNoUAF},
		{"register a released device", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			c.PutOwner(d)
			_ = c.RegisterSync(d)
		}, sut.InvNoUAF},
		{"put a label not held", func(c *sut.Core) {
			d := c.NewDevice("d", nil, nil)
			c.Put(d)
		}, sut.InvOwnership},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, sut.Config{}, canonical())
			err := h.run(func() { tt.program(h.c) })
			requireViolation(t, err, tt.want)
			t.Log(err)
		})
	}
}

// TestOwnershipAcrossTasks: a task cannot put another task's label.
func TestOwnershipAcrossTasks(t *testing.T) {
	h := newHarness(t, sut.Config{}, canonical())
	var d *sut.Device
	err := h.run(
		func() {
			d = h.c.NewDevice("d", nil, nil)
			h.c.Get(d)
		},
		func() { h.c.PutOwner(d) },
	)
	requireViolation(t, err, sut.InvOwnership)
}
