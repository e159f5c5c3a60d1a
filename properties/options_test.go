package properties_test

import (
	"reflect"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// StressModes has one entry per field of sut.Stress, in its order: each
// entry's Field switches on the field its Ident names, and nothing else.
func TestStressModesAreTheCoresStress(t *testing.T) {
	st := reflect.TypeFor[sut.Stress]()
	require.Len(t, properties.StressModes, st.NumField())
	for i, m := range properties.StressModes {
		require.Equal(t, st.Field(i).Name, m.Ident, m.Name)
		var o properties.Options
		*m.Field(&o) = true
		want := sut.Stress{}
		reflect.ValueOf(&want).Elem().Field(i).SetBool(true)
		require.Equal(t, properties.Options{Stress: want}, o, m.Name)
	}
}

// GoString names the options that are set, stress modes by their file
// names, in StressModes' order.
func TestOptionsGoString(t *testing.T) {
	require.Equal(t, "{}", properties.Options{}.GoString())
	o := properties.Options{Bug: sut.BugH2, MaxSteps: 50, Stress: sut.Stress{FineYields: true, DelayedRelease: true}}
	require.Equal(t, "{bug H2 max-steps 50 delayed-release fine-yields}", o.GoString())
}
