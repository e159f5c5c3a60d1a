package targets

import (
	"testing"

	"github.com/devstress/devstress/fuzz"
)

// FuzzDecode: any bytes decode, for every target, to an input that
// encodes back to itself; no decoding panics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 0xff, 0xff, 0xff, 0x12, 0x3f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := fuzz.RoundTrip(data); err != nil {
			t.Fatal(err)
		}
	})
}
