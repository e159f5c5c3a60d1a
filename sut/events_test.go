package sut

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// eventTexts pins the text of every event kind as the core emits it:
// golden files, counterexample files, reports and the trace digests
// depend on it, byte for byte.
var eventTexts = []struct {
	ev   Event
	text string
}{
	{Event{Kind: EvCall, Task: 1, Label: "Bind", Device: "a#1", Driver: "A"}, "T1 call Bind a#1 A"},
	{Event{Kind: EvReturn, Task: 1, Label: "NewAndRegister", Device: "a#1", Err: "ErrNoMem"}, "T1 return NewAndRegister a#1 err=ErrNoMem"},
	{Event{Kind: EvReturn, Task: 2, Label: "TryUnregister", Flag: true}, "T2 return TryUnregister +"},
	{Event{Kind: EvNewDevice, Task: 1, Device: "k#1", Label: "p#1"}, "T1 new k#1 p#1"},
	{Event{Kind: EvNewDevice, Task: 1, Device: "a#1"}, "T1 new a#1"},
	{Event{Kind: EvGet, Task: 1, Device: "a#1", Label: "AddTransient", Count: 2}, "T1 get a#1 AddTransient n=2"},
	{Event{Kind: EvPut, Task: 3, Device: "a#1", Label: "Task(T1)", Count: 0}, "T3 put a#1 Task(T1) n=0"},
	{Event{Kind: EvRelabel, Task: 1, Device: "b#1", Label: "Owner", To: "Reg"}, "T1 relabel b#1 Owner->Reg"},
	{Event{Kind: EvRelease, Task: 1, Device: "a#1"}, "T1 release a#1"},
	{Event{Kind: EvFree, Task: 1, Object: ObjDevice, Device: "a#1"}, "T1 free device a#1"},
	{Event{Kind: EvFree, Task: 1, Object: ObjDevicePrivate, Device: "a#1"}, "T1 free private part of a#1"},
	{Event{Kind: EvFree, Task: 1, Object: ObjDriverPriv, Driver: "A"}, "T1 free priv of driver A"},
	{Event{Kind: EvFree, Task: 1, Object: ObjOverride, Device: "a#1", Label: `x"y`}, `T1 free override "x\"y" of a#1`},
	{Event{Kind: EvFree, Task: 1, Object: ObjDevres, Device: "a#1", Label: "Devres(a#1/2)"}, "T1 free devres Devres(a#1/2)"},
	{Event{Kind: EvFree, Task: 1, Object: ObjModuleCode, Module: "m"}, "T1 free code of module m"},
	{Event{Kind: EvAddEnter, Task: 1, Device: "a#1"}, "T1 add a#1"},
	{Event{Kind: EvAddReturn, Task: 1, Device: "a#1", Err: "ErrExist"}, "T1 add-return a#1 err=ErrExist"},
	{Event{Kind: EvDelEnter, Task: 1, Device: "a#1"}, "T1 del a#1"},
	{Event{Kind: EvDelReturn, Task: 1, Device: "a#1"}, "T1 del-return a#1"},
	{Event{Kind: EvLock, Task: 1, Device: "a#1"}, "T1 lock a#1"},
	{Event{Kind: EvUnlock, Task: 1, Device: "a#1"}, "T1 unlock a#1"},
	{Event{Kind: EvPhase, Task: 1, Device: "a#1", Label: "Registered"}, "T1 phase a#1 Registered"},
	{Event{Kind: EvKill, Task: 1, Device: "a#1"}, "T1 kill a#1"},
	{Event{Kind: EvBusLink, Task: 1, Device: "a#1", Flag: true}, "T1 bus a#1 +"},
	{Event{Kind: EvBusLink, Task: 1, Device: "a#1"}, "T1 bus a#1"},
	{Event{Kind: EvDriverState, Task: 1, Driver: "A", Label: "Registering"}, "T1 driver-state A Registering"},
	{Event{Kind: EvAsyncDriver, Task: 1, Device: "a#1", Driver: "A"}, "T1 async-driver a#1 A"},
	{Event{Kind: EvProbeStart, Task: 1, Device: "a#1", Driver: "A"}, "T1 probe a#1 A"},
	{Event{Kind: EvProbeReturn, Task: 1, Device: "a#1", Driver: "A", Err: "ErrProbeDefer"}, "T1 probe-return a#1 A err=ErrProbeDefer"},
	{Event{Kind: EvBound, Task: 1, Device: "a#1", Driver: "A"}, "T1 bound a#1 A"},
	{Event{Kind: EvUnbound, Task: 1, Device: "a#1", Driver: "A"}, "T1 unbound a#1 A"},
	{Event{Kind: EvRemoveStart, Task: 1, Device: "a#1", Driver: "A"}, "T1 remove a#1 A"},
	{Event{Kind: EvRemoveReturn, Task: 1, Device: "a#1", Driver: "A"}, "T1 remove-return a#1 A"},
	{Event{Kind: EvDeferredAdd, Task: 1, Device: "a#1", Count: -1, Flag: true}, "T1 deferred-add a#1 n=-1 +"},
	{Event{Kind: EvDeferredRemove, Task: 1, Device: "a#1", List: DeferredPending}, "T1 deferred-remove a#1 Pending"},
	{Event{Kind: EvDeferredRemove, Task: 1, Device: "a#1", List: DeferredActive}, "T1 deferred-remove a#1 Active"},
	{Event{Kind: EvDeferredPop, Task: 4, Device: "a#1"}, "T4 deferred-pop a#1"},
	{Event{Kind: EvTrigger, Task: 1, Count: 3, Devices: []string{"a#1", "b#1"}}, "T1 trigger a#1,b#1 n=3"},
	{Event{Kind: EvTrigger, Task: 1, Count: 1}, "T1 trigger n=1"},
	{Event{Kind: EvTrigger, Task: 1, Count: 2, Devices: []string{"c#2"}}, "T1 trigger c#2 n=2"},
	{Event{Kind: EvDeferAll, Task: 1, Flag: true}, "T1 defer-all +"},
	{Event{Kind: EvAsyncSchedule, Task: 1, Count: 1, Domain: DomainReg}, "T1 async-schedule reg fp= n=1"},
	{Event{Kind: EvAsyncSchedule, Task: 1, Count: 2, Domain: DomainDefault, Devices: []string{"a#1", "k#1"}, Flag: true}, "T1 async-schedule default fp=a#1,k#1 n=2 +"},
	{Event{Kind: EvAsyncStart, Task: 5, Count: 2}, "T5 async-start n=2"},
	{Event{Kind: EvAsyncEnd, Task: 5, Count: 2}, "T5 async-end n=2"},
	{Event{Kind: EvComplete, Task: 5, Device: "a#1", Count: 2, Err: "ErrNoMem"}, "T5 complete a#1 err=ErrNoMem n=2"},
	{Event{Kind: EvDevresAdd, Task: 1, Device: "a#1", Label: "Devres(a#1/1)", Flag: true}, "T1 devres-add a#1 Devres(a#1/1) +"},
	{Event{Kind: EvDevresRelease, Task: 1, Device: "a#1", Label: "Devres(a#1/1)"}, "T1 devres-release a#1 Devres(a#1/1)"},
	{Event{Kind: EvFault, Task: 1, Label: "F-ADD-KOBJ"}, "T1 fault F-ADD-KOBJ"},
	{Event{Kind: EvModule, Task: 1, Module: "m", Flag: true}, "T1 module m loaded"},
	{Event{Kind: EvModule, Task: 1, Module: "m"}, "T1 module m unloaded"},
	{Event{Kind: EvOverride, Task: 1, Device: "a#1", Label: "B"}, "T1 override a#1 B"},
	{Event{Kind: EvAttempt, Task: 1, Device: "a#1", Driver: "A", Label: "bound", Flag: true}, "T1 attempt a#1 A bound +"},
	{Event{Kind: EvFault, Label: "F-ASYNC-SYNC"}, "- fault F-ASYNC-SYNC"},
}

// Every kind's text is pinned, and String and AppendText agree.
func TestEventText(t *testing.T) {
	seen := map[EventKind]bool{}
	for _, c := range eventTexts {
		seen[c.ev.Kind] = true
		require.Equal(t, c.text, c.ev.String())
		b, err := c.ev.AppendText([]byte("x"))
		require.NoError(t, err)
		require.Equal(t, "x"+c.text, string(b))
	}
	for k := EvCall; k <= EvAttempt; k++ {
		require.True(t, seen[k], "the text of %s is not pinned", k)
	}
	require.Equal(t, "- event(99)", Event{Kind: 99}.String())
}

// The payload enums spell their values as the spec does, and an unknown
// value by its number; ObjectName is the description in a free's text.
func TestEventPayloadNames(t *testing.T) {
	require.Equal(t, []string{"None", "Pending", "Active", "DeferredList(3)"},
		[]string{DeferredNone.String(), DeferredPending.String(), DeferredActive.String(), DeferredList(3).String()})
	require.Equal(t, []string{"default", "reg", "DomainID(2)"},
		[]string{DomainDefault.String(), DomainReg.String(), DomainID(2).String()})
	require.Equal(t, `override "x" of a#1`, Event{Kind: EvFree, Object: ObjOverride, Device: "a#1", Label: "x"}.ObjectName())
	require.Empty(t, Event{Kind: EvGet, Device: "a#1"}.ObjectName(), "ObjNone")
	require.Equal(t, "T1 free", Event{Kind: EvFree, Task: 1}.String())
}

// AppendText allocates nothing when b has room: the trace digest renders
// every event.
func TestEventAppendTextAllocates0(t *testing.T) {
	b := make([]byte, 0, 256)
	for _, c := range eventTexts {
		allocs := testing.AllocsPerRun(100, func() { b, _ = c.ev.AppendText(b[:0]) })
		require.Zero(t, allocs, "%s", c.text)
	}
}

// An Event is boxed on every emit: its one-byte fields share a word, and it
// stays within the 144-byte size class.
func TestEventSize(t *testing.T) {
	require.LessOrEqual(t, unsafe.Sizeof(Event{}), uintptr(144))
}
