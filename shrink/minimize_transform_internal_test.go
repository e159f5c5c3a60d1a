package shrink

import (
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/stretchr/testify/require"
)

// Merging renumbers the appended client's devices (created, acted on,
// parents, devres targets) after the other's; a lookup's Ref stays.
func TestConcatOpsRenumbersTheSecondClient(t *testing.T) {
	a := []properties.Op{newOp(properties.OpNewDevice, 0, -1, "a"), devOp(properties.OpRegister, 0)}
	b := []properties.Op{
		newOp(properties.OpNewAndRegister, 0, -1, "b"),
		newOp(properties.OpNewDevice, 1, 0, "c"),
		{Kind: properties.OpDevres, Dev: 1, Ref: 0},
		{Kind: properties.OpLookupDevres, Dev: -1, Parent: -1, Ref: 0, Name: "a"},
	}
	require.Equal(t, []properties.Op{
		a[0], a[1],
		newOp(properties.OpNewAndRegister, 1, -1, "b"),
		newOp(properties.OpNewDevice, 2, 1, "c"),
		{Kind: properties.OpDevres, Dev: 2, Ref: 1},
		{Kind: properties.OpLookupDevres, Dev: -1, Parent: -1, Ref: 0, Name: "a"},
	}, concatOps(a, b))
}

// A NewDevice fuses with its registration in its own place, and, when
// nothing between uses the device, in the registration's place, with the
// devices created between renumbered; the Wait of a RegisterAsync goes.
func TestFusions(t *testing.T) {
	ops := []properties.Op{
		newOp(properties.OpNewDevice, 0, -1, "a"),
		newOp(properties.OpNewDevice, 1, -1, "b"),
		devOp(properties.OpRegisterAsync, 0),
		devOp(properties.OpWait, 0),
		devOp(properties.OpGet, 1),
		devOp(properties.OpGet, 0),
	}
	vs := fusions(ops, 0)
	require.Len(t, vs, 2)
	require.Equal(t, []properties.Op{
		newOp(properties.OpNewAndRegister, 0, -1, "a"),
		newOp(properties.OpNewDevice, 1, -1, "b"),
		devOp(properties.OpGet, 1),
		devOp(properties.OpGet, 0),
	}, vs[0].ops)
	require.Equal(t, []properties.Op{
		newOp(properties.OpNewDevice, 0, -1, "b"),
		newOp(properties.OpNewAndRegister, 1, -1, "a"),
		devOp(properties.OpGet, 0),
		devOp(properties.OpGet, 1),
	}, vs[1].ops)

	// A use of the device between: only in its own place.
	ops[1] = newOp(properties.OpNewDevice, 1, 0, "b")
	require.Len(t, fusions(ops, 0), 1)
	require.Nil(t, fusions(ops, 2), "not a NewDevice")
	require.Nil(t, fusions(ops[:2], 0), "never registered")
}

// The simpler forms come simplest first and never include the form itself.
func TestSimpler(t *testing.T) {
	forms := func(ops []properties.Op, j int) []string {
		var out []string
		for _, v := range simpler(ops, j) {
			out = append(out, v.ops[j].String())
		}
		return out
	}
	ops := []properties.Op{
		newOp(properties.OpNewDevice, 0, -1, "a"),
		newOp(properties.OpNewAndRegister, 1, 0, "b"),
		newOp(properties.OpNewAndRegister, 2, -1, "a"),
		devOp(properties.OpUnregisterAsync, 1),
		{Kind: properties.OpLookupBind, Dev: -1, Parent: -1, Ref: -1, Name: "a", Driver: "A"},
		{Kind: properties.OpLookupDevres, Dev: -1, Parent: -1, Ref: 0, Name: "b"},
		devOp(properties.OpTryUnregister, 1),
		devOp(properties.OpGet, 1),
	}
	require.Nil(t, forms(ops, 0))
	require.Equal(t, []string{`d1 := NewAndRegister("b")`}, forms(ops, 1))
	require.Equal(t, []string{"Unregister(d1)", "TryUnregister(d1)"}, forms(ops, 3))
	require.Equal(t, []string{"Bind(d0, A)", "Bind(d2, A)"}, forms(ops, 4))
	require.Equal(t, []string{"DevresAdd(d1, ref(d1))", `DevresAdd(FindDevice("b"), plain)`}, forms(ops, 5))
	require.Equal(t, []string{"Unregister(d1)"}, forms(ops, 6))
	require.Nil(t, forms(ops, 7))
}

// Handles are renamed as whole words, all at once.
func TestRenameHandles(t *testing.T) {
	s := Schedule{
		{At: Key{Task: TaskRef{Name: "register a#1"}, Point: "lock dev:a#2", Seen: 1}, To: TaskRef{Name: "attach a#12"}},
		{At: Key{Task: TaskRef{Name: "register ba#1"}, Point: "Y-REG-JOB", Seen: 2}, To: TaskRef{Name: "client1"}},
	}
	got := renameHandles(s, map[string]string{"a#1": "a#2", "a#2": "a#1"})
	require.Equal(t, "register a#2", got[0].At.Task.Name)
	require.Equal(t, "lock dev:a#1", got[0].At.Point)
	require.Equal(t, "attach a#12", got[0].To.Name)
	require.Equal(t, s[1], got[1])
	require.Equal(t, "register a#1", s[0].At.Task.Name, "the input is left alone")
}

// With the transformations, Minimize still replays the input once and
// then at most the budget's candidates.
func TestMinimizeTransformsCountEveryReplay(t *testing.T) {
	f, err := ReadFile("testdata/minimize/H1-two-clients.txt")
	require.NoError(t, err)
	minimizeCountingReplays(t, f, 0, 5, 6, 7, 9, 1000)
}
