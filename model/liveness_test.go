package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWouldBindIsADryRun(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D", Match: matchAll("a"), Probe: probeAll(ProbeScript{Result: DeferUntil("s")})},
		{Name: "A", ProbeType: PreferAsync},
	}, nil)
	w.ok(DriverRegister{Driver: "D"})
	w.ok(DriverRegister{Driver: "A"})
	a := w.newDev("a", "")
	require.Equal(t, []string{a}, w.s.Snapshot().Pending)
	require.False(t, w.s.WouldBind(a), "D still defers")
	require.Empty(t, w.s.LivenessViolations())

	// An override write does not trigger deferred probing: a now matches the
	// async driver A only, and would bind in pass 2 if probed.
	w.ok(SetOverride{Device: a, Value: "A"})
	before, log := w.s.Snapshot(), w.s.Log()
	require.True(t, w.s.WouldBind(a))
	require.Equal(t, before, w.s.Snapshot(), "the dry run leaves the state alone")
	require.Equal(t, log, w.s.Log())
	require.Empty(t, w.s.LivenessViolations(), "an override write is exempt until a's next attempt")
}

// TestDeferProgressFlagsALostBind: what H3 leaves behind, a supplier bound
// with no retry of the consumer, is flagged.
func TestDeferProgressFlagsALostBind(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("C"),
		Probe: probeAll(ProbeScript{Result: DeferUntil("S")})}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	c := w.newDev("C", "")
	w.newDev("S", "")
	w.s.devs["S#1"].bound = true // bound by a driver whose trigger was lost
	require.Equal(t, []Violation{{"DEFER-PROGRESS", c, "on Pending but would bind if probed now"}}, w.s.LivenessViolations())
}

// TestDeferProgressExemptsDriverRemoval: K's match deferral stops C's scan
// before M; unregistering K lifts the stop without a trigger.
func TestDeferProgressExemptsDriverRemoval(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "K", Match: map[string]MatchResult{"C": MatchDefer}},
		{Name: "M", Match: matchAll("C")},
	}, nil)
	w.ok(DriverRegister{Driver: "K"})
	w.ok(DriverRegister{Driver: "M"})
	c := w.newDev("C", "")
	require.Equal(t, []string{c}, w.s.Snapshot().Pending)
	require.False(t, w.s.WouldBind(c))
	w.ok(DriverUnregister{Driver: "K"})
	require.Equal(t, []string{c}, w.s.Snapshot().Pending, "driver removal is no trigger")
	require.True(t, w.s.WouldBind(c))
	require.Empty(t, w.s.LivenessViolations())
}

// TestDeferProgressExemptsUnbind: after a manual unbind, M's path B
// attempt defers a onto Pending; only a full scan would find D again.
func TestDeferProgressExemptsUnbind(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{
		{Name: "D", Match: matchAll("a")},
		{Name: "M", Match: matchAll("a"), Probe: probeAll(ProbeScript{Result: DeferUntil("s")})},
	}, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	w.ok(Unbind{Device: a})
	w.ok(DriverRegister{Driver: "M"})
	require.Equal(t, []string{a}, w.s.Snapshot().Pending)
	require.True(t, w.s.WouldBind(a))
	require.Empty(t, w.s.LivenessViolations())
	w.ok(Reprobe{Device: a})
	require.Equal(t, "D", w.dev(a).Driver, "a full scan clears the exemption and binds")
}

// TestDeferProgressExemptsInjectedRefusal: C defers on M (so it waits on
// Pending), then K's attempt is refused once by F-PROBE-LINKS; nothing
// retries C, and a fault-free dry run would bind it. The correct core does
// this, so it is not a violation.
func TestDeferProgressExemptsInjectedRefusal(t *testing.T) {
	w := newWorld(t, Config{AsyncProbeDrivers: []string{"K"}}, []Driver{
		{Name: "M", Match: matchAll("C"), Probe: probeAll(ProbeScript{Result: DeferUntil("S")})},
		{Name: "K", Match: matchAll("C")},
	}, nil, Fault{FProbeLinks, 2, ErrNoMem})
	w.ok(DriverRegister{Driver: "M"})
	w.ok(DriverRegister{Driver: "K"})
	c := w.newDev("C", "")
	require.False(t, w.dev(c).Bound)
	require.Equal(t, []string{c}, w.s.Snapshot().Pending)
	require.True(t, w.s.WouldBind(c))
	require.Empty(t, w.s.LivenessViolations())
	w.ok(UnblockProbing{}) // any trigger retries C, which clears the exemption
	require.True(t, w.dev(c).Bound)
}

func TestWouldBindRefusals(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	a := w.newDev("a", "")
	w.ok(DriverRegister{Driver: "D"})
	w.ok(Unbind{Device: a})
	require.True(t, w.s.WouldBind(a))
	w.ok(DevresAdd{Device: a})
	require.False(t, w.s.WouldBind(a), "devres present: refusal")
	require.False(t, w.s.WouldBind("nope#1"))
}

func TestWouldBindIgnoresFaultsAndGates(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a"),
		Probe: map[string]ProbeScript{"b": {Actions: []Action{WaitGate("g")}}}}}, nil,
		Fault{FProbeLinks, 1, ErrNoMem})
	a := w.newDev("a", "")
	b := w.newDev("b", "")
	w.ok(DriverRegister{Driver: "D"})
	w.ok(SetOverride{Device: b, Value: "D"})
	require.False(t, w.dev(a).Bound, "the first hit of F-PROBE-LINKS failed a's probe")
	require.Equal(t, 1, w.s.Hits()[FProbeLinks])
	require.True(t, w.s.WouldBind(a), "the fault plan is not consulted by the dry run")
	require.Equal(t, 1, w.s.Hits()[FProbeLinks], "the dry run counts no hit")
	require.False(t, w.s.WouldBind(b), "a probe that would wait on a closed gate does not count")
	_, frozen := w.s.Frozen()
	require.False(t, frozen)
}

func TestNoLostTriggerCheck(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("c"),
		Probe: probeAll(ProbeScript{Result: DeferUntil("s")})}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	c := w.newDev("c", "")
	require.Empty(t, w.s.LivenessViolations())
	// What H3 leaves behind: a trigger happened after c's attempt started
	// and c never got another attempt.
	w.s.triggerCount++
	require.Equal(t, []Violation{{"NO-LOST-TRIGGER", c, "deferred by a probe started at triggerCount 0, now 1"}},
		w.s.LivenessViolations())
	w.s.deferAll = true
	require.Empty(t, w.s.LivenessViolations(), "exempt while probing is blocked")
}

func TestMatchDeferralIsExemptFromNoLostTrigger(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "M", Match: map[string]MatchResult{"c": MatchDefer}}}, nil)
	w.ok(DriverRegister{Driver: "M"})
	c := w.newDev("c", "")
	require.Equal(t, []string{c}, w.s.Snapshot().Pending)
	w.s.triggerCount += 3
	require.Empty(t, w.s.LivenessViolations())
}

func TestBlockAndUnblockProbing(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	w.ok(BlockProbing{})
	a := w.newDev("a", "")
	snap := w.s.Snapshot()
	require.True(t, snap.DeferAll)
	require.Equal(t, []string{a}, snap.Pending)
	require.Zero(t, snap.TriggerCount, "defer-all: no re-trigger")
	require.Empty(t, w.s.LivenessViolations())
	w.ok(UnblockProbing{})
	require.True(t, w.dev(a).Bound)
	snap = w.s.Snapshot()
	require.False(t, snap.DeferAll)
	require.Equal(t, 2, snap.TriggerCount, "unblock, then the bind")
	w.quiet()
}

func TestQ2ReportsLeaks(t *testing.T) {
	w := newWorld(t, Config{}, nil, nil)
	a := w.newDev("a", "")
	w.ok(DevresAdd{Device: a, Ref: a})
	require.Equal(t, []Violation{{"NO-LEAK", a, "never released; holders [Reg Devres(a#1/1)]"}}, w.s.Q2Violations())
	// Simulate H8's leftover: the devres self-reference is all that is left.
	w.s.devs[a].holders = []string{"Devres(a#1/1)"}
	require.Equal(t, "DEVRES-NO-CYCLE", w.s.Q2Violations()[0].Invariant)
}

func TestPairingViolations(t *testing.T) {
	w := newWorld(t, Config{}, []Driver{{Name: "D", Match: matchAll("a")}}, nil)
	w.ok(DriverRegister{Driver: "D"})
	a := w.newDev("a", "")
	require.Empty(t, w.s.PairingViolations())
	w.s.pair(a, "D").Removes++ // a remove without its success
	require.Equal(t, "PROBE-REMOVE-PAIRING", w.s.PairingViolations()[0].Invariant)
}
