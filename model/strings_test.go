package model_test

import (
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

func TestOpStrings(t *testing.T) {
	cases := map[string]model.Op{
		`NewDevice("c", parent p#1)`: model.NewDevice{Name: "c", Parent: "p#1"},
		`NewAndRegister("a")`:        model.NewAndRegister{Name: "a"},
		`DeviceAdd(a#1)`:             model.DeviceAdd{Device: "a#1"},
		`RegisterSync(a#1)`:          model.RegisterSync{Device: "a#1"},
		`RegisterAsync(a#1)`:         model.RegisterAsync{Device: "a#1"},
		`Wait(a#1)`:                  model.CompletionWait{Device: "a#1"},
		`Unregister(a#1)`:            model.Unregister{Device: "a#1"},
		`TryUnregister(a#1)`:         model.TryUnregister{Device: "a#1"},
		`UnregisterAsync(a#1)`:       model.UnregisterAsync{Device: "a#1"},
		`Get(a#1)`:                   model.Get{Device: "a#1"},
		`Put(a#1)`:                   model.Put{Device: "a#1"},
		`PutOwner(a#1)`:              model.PutOwner{Device: "a#1"},
		`PutLookup(a#1)`:             model.PutLookup{Device: "a#1"},
		`FindDevice("a")`:            model.FindDevice{Name: "a"},
		`DriverRegister(D)`:          model.DriverRegister{Driver: "D"},
		`DriverUnregister(D)`:        model.DriverUnregister{Driver: "D"},
		`ModuleLoad(M)`:              model.ModuleLoad{Module: "M"},
		`ModuleUnload(M)`:            model.ModuleUnload{Module: "M"},
		`Bind(a#1, D)`:               model.Bind{Device: "a#1", Driver: "D"},
		`Unbind(a#1)`:                model.Unbind{Device: "a#1"},
		`Reprobe(a#1)`:               model.Reprobe{Device: "a#1"},
		`WaitForDeviceProbe()`:       model.WaitForDeviceProbe{},
		`BlockProbing()`:             model.BlockProbing{},
		`UnblockProbing()`:           model.UnblockProbing{},
		`DevresAdd(a#1, plain)`:      model.DevresAdd{Device: "a#1"},
		`DevresAdd(a#1, ref(b#1))`:   model.DevresAdd{Device: "a#1", Ref: "b#1"},
		`SetOverride(a#1, "D")`:      model.SetOverride{Device: "a#1", Value: "D"},
		`Open(g)`:                    model.OpenGate{Gate: "g"},
	}
	for want, op := range cases {
		require.Equal(t, want, op.String())
	}
}

func TestResultAndVocabularyStrings(t *testing.T) {
	require.Equal(t, "nil", model.Result{}.String())
	require.Equal(t, "true, nil", model.Result{Won: true}.String())
	require.Equal(t, "a#1, nil", model.Result{Handle: "a#1"}.String())
	require.Equal(t, "ErrNoMem", model.Result{Err: model.ErrNoMem}.String())
	require.Equal(t, "skipped", model.Result{Skipped: true}.String())
	require.Equal(t, "blocked on gate g", model.Result{Blocked: "g"}.String())
	require.Equal(t, "invalid: x", model.Result{Invalid: "x"}.String())
	require.Equal(t, "(F-ADD-KOBJ, 2, ErrNoMem)", model.Fault{model.FAddKobj, 2, model.ErrNoMem}.String())
	require.Equal(t, "DeferUntil(S bound)", model.DeferUntil("S").String())
	require.Equal(t, "ErrNXIO", model.Fail(model.ErrNXIO).String())
	require.Equal(t, "nil", model.OK().String())
	require.Equal(t, "PreferAsync", model.PreferAsync.String())
	require.Equal(t, "defer", model.MatchDefer.String())
	require.Equal(t, "NO-LEAK: a#1: x", model.Violation{"NO-LEAK", "a#1", "x"}.String())
}
