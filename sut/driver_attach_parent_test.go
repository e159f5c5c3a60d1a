package sut_test

import (
	"testing"

	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// A driver attach job queued for a child, with parent locking, runs after
// the child and then its parent were unregistered: it must not lock the
// freed parent. The job holds the parent (AsyncAttachParent) from its
// queueing, taken while ParentOf(child) still kept it; found by the
// generic properties once the main campaign drew NeedParentLock.
func TestDriverAttachJobHoldsTheParentItLocks(t *testing.T) {
	h := newHarness(t, sut.Config{Stress: sut.Stress{NeedParentLock: true}}, canonical())
	drv := asyncDriver("C", "a")
	err := h.run(func() {
		p := h.c.NewDevice("p", nil, nil)
		require.NoError(t, h.c.RegisterSync(p))
		a := h.c.NewDevice("a", p, nil)
		require.NoError(t, h.c.RegisterSync(a))
		require.NoError(t, h.c.DriverRegister(drv)) // queues the job; the canonical schedule runs it last
		h.c.Unregister(a)
		h.c.Unregister(p)
	})
	h.clean(err, func() { h.c.DriverUnregister(drv) })
	require.True(t, h.device("p#1").Released)
	require.Contains(t, h.events(sut.EvPut), "T2 put p#1 AsyncAttachParent(1) n=0", "the job puts the parent last")
}
