// Package deps lists what a package links, for the tests that make the
// packages' import rules executable (model links only the standard library,
// sut no engine, sched no test framework).
package deps

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Of returns the import paths of pattern and everything it links, as
// `go list -deps` prints them (the standard library included). It fails
// when go list fails or lists nothing.
func Of(pattern string) ([]string, error) {
	out, err := exec.Command("go", "list", "-deps", pattern).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("go list -deps %s: %w: %s", pattern, err, ee.Stderr)
		}
		return nil, fmt.Errorf("go list -deps %s: %w", pattern, err)
	}
	paths := strings.Fields(string(out))
	if len(paths) == 0 {
		return nil, fmt.Errorf("go list -deps %s listed nothing", pattern)
	}
	return paths, nil
}

// Standard reports whether path is a package of the standard library: its
// first element has no dot, as every module path outside it has.
func Standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// Testing reports whether path is package testing or one under it.
func Testing(path string) bool {
	return path == "testing" || strings.HasPrefix(path, "testing/")
}
