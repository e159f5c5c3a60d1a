package model

// The invariant names only the model reports: the §15 invariants the core
// does not check itself, and EVENT. The names the core checks too (NO-UAF,
// OWNERSHIP, ...) are documented by their constants in package sut, which
// the model does not import; it names them by the unexported constants
// at the end of this file. A
// constant's doc comment states the invariant in the form "Name (§N,
// when): what holds.", as sut's do; it is the text properties.Describe
// returns and a failure's report prints, which go generate ./properties
// copies from here.

// InvAddOnce (§15, S): DeviceAdd runs at most once per device, and never
// after DeviceDel.
const InvAddOnce = "ADD-ONCE"

// InvAddErrorNeutral (§15, S): a failing DeviceAdd or DriverRegister
// undoes everything it did (labels, bus link, binding, deferral, async
// entries), and neither fails because of a probe.
const InvAddErrorNeutral = "ADD-ERROR-NEUTRAL"

// InvErrorPropagates (§15, S): every injected registration failure reaches
// the caller that started the registration, and no (handle, error)
// function returns (nil, nil).
const InvErrorPropagates = "ERROR-PROPAGATES"

// InvSingleDriver (§15, S): at most one driver is bound to or probing a
// device, and its probe and remove never overlap.
const InvSingleDriver = "SINGLE-DRIVER"

// InvOutcomeMapping (§15, S): every probe result has exactly the effects
// the outcome table of §7.3 gives it.
const InvOutcomeMapping = "OUTCOME-MAPPING"

// InvManualSync (§15, S): outside driver callbacks, Bind, Unbind and
// Reprobe never schedule async work, and Bind never defers.
const InvManualSync = "MANUAL-SYNC"

// InvDeferProgress (§15, Q1): no registered, live, unbound device on
// Pending would bind if it were probed now.
const InvDeferProgress = "DEFER-PROGRESS"

// InvModuleLoadWaits (§15, S, at return): when a synchronous ModuleLoad
// returns, every registration entry scheduled before its Init returned has
// finished.
const InvModuleLoadWaits = "MODULE-LOAD-WAITS"

// InvEvent (§12.3): the core reported an event the model cannot accept in
// its state, a transition the spec does not allow.
const InvEvent = "EVENT"

// The names the core checks too, spelled as sut spells them: their
// statements are the doc comments of sut's constants (go doc ./sut
// InvNoUAF), which the model does not import.
const (
	invBindOnlyLive       = "BIND-ONLY-LIVE"
	invDeferListExclusive = "DEFER-LIST-EXCLUSIVE"
	invDelOnce            = "DEL-ONCE"
	invDelQuiesces        = "DEL-QUIESCES-DEVICE"
	invDevresScope        = "DEVRES-SCOPE"
	invFreeOnlyInRelease  = "FREE-ONLY-IN-RELEASE"
	invNoLeak             = "NO-LEAK"
	invNoLostTrigger      = "NO-LOST-TRIGGER"
	invNoUAF              = "NO-UAF"
	invOwnership          = "OWNERSHIP"
	invProbeCountBalanced = "PROBECOUNT-BALANCED"
	invProbeRemovePairing = "PROBE-REMOVE-PAIRING"
	invRefNonneg          = "REF-NONNEG"
	invRelOnce            = "REL-ONCE"
	invUnregisterQuiesces = "UNREGISTER-QUIESCES-DRIVER"
	// labelDevresNoCycle is the NO-LEAK of a device kept alive only by
	// devres references (sut.LabelDevresNoCycle).
	labelDevresNoCycle = "DEVRES-NO-CYCLE"
)
