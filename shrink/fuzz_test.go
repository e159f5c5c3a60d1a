package shrink_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/properties/gen"
	"github.com/devstress/devstress/shrink"
)

// FuzzParse: any bytes give an *Error or a File, never a panic, and a
// File that parses writes back to text that parses to the same File. The
// seeds (written files, and edits of one) run under plain go test.
func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(""))
	f.Add([]byte("devstress counterexample v2\n"))
	f.Add([]byte(strings.Replace(good, "RegisterSync(d0)", `x := FindDevice("a"); DevresAdd(x, ref(x))`, 1)))
	f.Add([]byte(strings.Replace(good, `"client2"`, `"deferred-worker"[3]`, 1)))
	for i := range 4 {
		fl := shrink.File{Program: gen.Programs(properties.DefaultSizes).Example(i)}
		var b bytes.Buffer
		if err := shrink.Write(&b, fl); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := shrink.Parse(bytes.NewReader(data))
		if err != nil {
			var e *shrink.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse returned %T, not *shrink.Error: %v", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a multi-line error: %q", err)
			}
			return
		}
		var b bytes.Buffer
		if err := shrink.Write(&b, fl); err != nil {
			t.Fatalf("a parsed file does not write: %v", err)
		}
		again, err := shrink.Parse(&b)
		if err != nil {
			t.Fatalf("a written file does not parse: %v\n%s", err, b.String())
		}
		if again.String() != fl.String() {
			t.Fatalf("write/parse changed the file:\n%s\nbecame\n%s", fl, again)
		}
	})
}
