package model

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOpStrings(t *testing.T) {
	cases := map[string]Op{
		`NewDevice("c", parent p#1)`: NewDevice{Name: "c", Parent: "p#1"},
		`NewAndRegister("a")`:        NewAndRegister{Name: "a"},
		`DeviceAdd(a#1)`:             DeviceAdd{Dev: "a#1"},
		`RegisterSync(a#1)`:          RegisterSync{Dev: "a#1"},
		`RegisterAsync(a#1)`:         RegisterAsync{Dev: "a#1"},
		`Wait(a#1)`:                  CompletionWait{Dev: "a#1"},
		`Unregister(a#1)`:            Unregister{Dev: "a#1"},
		`TryUnregister(a#1)`:         TryUnregister{Dev: "a#1"},
		`UnregisterAsync(a#1)`:       UnregisterAsync{Dev: "a#1"},
		`Get(a#1)`:                   Get{Dev: "a#1"},
		`Put(a#1)`:                   Put{Dev: "a#1"},
		`PutOwner(a#1)`:              PutOwner{Dev: "a#1"},
		`PutLookup(a#1)`:             PutLookup{Dev: "a#1"},
		`FindDevice("a")`:            FindDevice{Name: "a"},
		`DriverRegister(D)`:          DriverRegister{Driver: "D"},
		`DriverUnregister(D)`:        DriverUnregister{Driver: "D"},
		`ModuleLoad(M)`:              ModuleLoad{Module: "M"},
		`ModuleUnload(M)`:            ModuleUnload{Module: "M"},
		`Bind(a#1, D)`:               Bind{Dev: "a#1", Driver: "D"},
		`Unbind(a#1)`:                Unbind{Dev: "a#1"},
		`Reprobe(a#1)`:               Reprobe{Dev: "a#1"},
		`WaitForDeviceProbe()`:       WaitForDeviceProbe{},
		`BlockProbing()`:             BlockProbing{},
		`UnblockProbing()`:           UnblockProbing{},
		`DevresAdd(a#1, plain)`:      DevresAdd{Dev: "a#1"},
		`DevresAdd(a#1, ref(b#1))`:   DevresAdd{Dev: "a#1", Ref: "b#1"},
		`SetOverride(a#1, "D")`:      SetOverride{Dev: "a#1", Value: "D"},
		`Open(g)`:                    OpenGate{Gate: "g"},
	}
	for want, op := range cases {
		require.Equal(t, want, op.String())
	}
}

func TestResultAndVocabularyStrings(t *testing.T) {
	require.Equal(t, "nil", Result{}.String())
	require.Equal(t, "true, nil", Result{Won: true}.String())
	require.Equal(t, "a#1, nil", Result{Handle: "a#1"}.String())
	require.Equal(t, "ErrNoMem", Result{Err: ErrNoMem}.String())
	require.Equal(t, "skipped", Result{Skipped: true}.String())
	require.Equal(t, "blocked on gate g", Result{Blocked: "g"}.String())
	require.Equal(t, "invalid: x", Result{Invalid: "x"}.String())
	require.Equal(t, "(F-ADD-KOBJ, 2, ErrNoMem)", Fault{FAddKobj, 2, ErrNoMem}.String())
	require.Equal(t, "DeferUntil(S bound)", DeferUntil("S").String())
	require.Equal(t, "ErrNXIO", Fail(ErrNXIO).String())
	require.Equal(t, "nil", OK().String())
	require.Equal(t, "PreferAsync", PreferAsync.String())
	require.Equal(t, "defer", MatchDefer.String())
	require.Equal(t, "NO-LEAK: a#1: x", Violation{"NO-LEAK", "a#1", "x"}.String())
}
