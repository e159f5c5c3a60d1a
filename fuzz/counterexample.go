package fuzz

import (
	"os"
	"path/filepath"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
)

// WriteCounterexample makes a failing verdict of the target a
// counterexample file: recorded (shrink.FromVerdict, which checks that it
// replays), minimized (shrink.Minimize, bounded by replays) and written to
// dir as Fuzz<Name>-<digest>.txt, whose path it returns. Moved to
// properties/testdata/counterexamples/, the file is a regression test of
// go test ./properties.
func (t *Target) WriteCounterexample(dir string, v *properties.Verdict) (string, error) {
	f, err := shrink.FromVerdict(v, v.Options)
	if err != nil {
		return "", err
	}
	m, _, err := shrink.Minimize(f)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "Fuzz"+t.Name+"-"+m.Digest+".txt")
	return path, os.WriteFile(path, []byte(m.String()), 0o644)
}
