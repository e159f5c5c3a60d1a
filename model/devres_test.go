package model

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func indexOf(t *testing.T, log []string, line string) int {
	t.Helper()
	i := slices.Index(log, line)
	require.GreaterOrEqual(t, i, 0, "%q not in %v", line, log)
	return i
}

func TestDevresLIFOAndDeviceDelReleases(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	x := w.ok(NewDevice{Name: "x"}).Handle
	y := w.ok(NewDevice{Name: "y"}).Handle
	d := w.newDev("d", "")
	w.ok(DevresAdd{Device: d, Ref: x})
	w.ok(DevresAdd{Device: d, Ref: y})
	w.ok(DevresAdd{Device: d})
	w.ok(PutOwner{Device: x})
	w.ok(PutOwner{Device: y})
	require.Equal(t, []string{"Devres(d#1/1)"}, w.dev(x).Holders, "a devres action keeps x alive")
	require.Equal(t, []string{"Devres(d#1/2)"}, w.dev(y).Holders)
	require.Equal(t, 3, w.dev(d).Devres)
	require.Equal(t, 0, w.counts(d, "").Probes)

	w.ok(Unregister{Device: d})

	log := w.s.Log()
	d3 := indexOf(t, log, "devres Devres(d#1/3)")
	d2 := indexOf(t, log, "devres Devres(d#1/2)")
	relY := indexOf(t, log, "release y#1")
	d1 := indexOf(t, log, "devres Devres(d#1/1)")
	relX := indexOf(t, log, "release x#1")
	relD := indexOf(t, log, "release d#1")
	require.True(t, d3 < d2 && d2 < relY && relY < d1 && d1 < relX && relX < relD, "LIFO, during DeviceDel: %v", log)
	require.Empty(t, w.s.Q2Violations())
}

// TestDevresSelfReference is H8's program on the correct core: DeviceDel's
// devres step drops the self-reference, so Unregister releases d.
func TestDevresSelfReference(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.newDev("d", "")
	w.ok(DevresAdd{Device: d, Ref: d})
	require.Equal(t, []string{"Devres(d#1/1)", "Reg"}, w.dev(d).Holders)
	w.ok(Unregister{Device: d})
	require.True(t, w.dev(d).Released)
	require.Zero(t, w.dev(d).Devres)
	require.Empty(t, w.s.Q2Violations())
}

func TestDevresProbeTimeReleasedOnUnbind(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a"),
		Probe: probeAll(ProbeScript{Actions: []Action{DevresPlain(), DevresRef("x#1")}})}}, nil)
	x := w.newDev("x", "")
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	require.Equal(t, 2, w.dev(a).Devres)
	require.True(t, w.s.devs[a].devres[0].probeTime)
	require.Equal(t, []string{"Devres(a#1/2)", "Reg"}, w.dev(x).Holders)
	w.ok(DevresAdd{Device: a})
	require.True(t, w.s.devs[a].devres[2].probeTime, "added while a driver is attached")

	w.ok(Unbind{Device: a})
	require.Zero(t, w.dev(a).Devres)
	require.Equal(t, []string{"Reg"}, w.dev(x).Holders)
	log := w.s.Log()
	require.Less(t, indexOf(t, log, "remove a#1 D"), indexOf(t, log, "devres Devres(a#1/3)"), "devres after Remove")
}

func TestDevresSkippedUnlessRegistered(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.ok(NewDevice{Name: "d"}).Handle
	require.True(t, w.do(DevresAdd{Device: d}).Skipped)
	require.Zero(t, w.dev(d).Devres)
}

func TestDevresOnUnboundDeviceBlocksProbes(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	a := w.newDev("a", "")
	w.ok(DevresAdd{Device: a})
	require.False(t, w.s.devs[a].devres[0].probeTime)
	w.ok(DriverRegister{Driver: "D"})
	require.False(t, w.dev(a).Bound)
	require.Zero(t, w.counts(a, "D").Probes)
	require.Equal(t, ErrBusy, w.do(Bind{Device: a, Driver: "D"}).Err)
}

// TestDevresSkippedOnDeadDevice: between a gated unregister's kill and its
// job's DeviceDel, d is Registered but dead; a program DevresAdd is skipped
// (§14.4), so no entry can outlive the job's devres step.
func TestDevresSkippedOnDeadDevice(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	d := w.newDev("d", "")
	w.ok(Get{Device: d})
	w.applyNoDrain(UnregisterAsync{Device: d})
	require.Equal(t, "Registered", w.dev(d).Phase)
	require.True(t, w.dev(d).Dead)
	require.True(t, w.applyNoDrain(DevresAdd{Device: d, Ref: d}).Skipped)
	require.Zero(t, w.dev(d).Devres)
	w.s.drain()
	w.ok(Put{Device: d})
	require.True(t, w.dev(d).Released, "no self-reference keeps d alive")
	require.Empty(t, w.s.Q2Violations())
}

// A probe's DevresRefNamed holds a reference to the device that claims the
// name, and adds nothing when no device claims it.
func TestDevresRefNamedTargetsTheClaimingDevice(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a"),
		Probe: probeAll(ProbeScript{Actions: []Action{DevresRefNamed("x"), DevresRefNamed("y")}})}}, nil)
	x := w.newDev("x", "")
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	require.True(t, w.dev(a).Bound)
	require.Equal(t, 1, w.dev(a).Devres, "no device claims y")
	require.Equal(t, []string{"Devres(a#1/1)", "Reg"}, w.dev(x).Holders)
	w.ok(Unbind{Device: a})
	require.Equal(t, []string{"Reg"}, w.dev(x).Holders)
}
