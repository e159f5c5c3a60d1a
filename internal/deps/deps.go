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
func Of(pattern string) ([]string, error) { return list("-deps", pattern) }

// OfTest is Of for pattern's test binary (`go list -deps -test`): its
// tests' imports too, and the test packages themselves (a package
// recompiled for a test, "p [p.test]", is listed as p).
func OfTest(pattern string) ([]string, error) { return list("-deps", "-test", pattern) }

// list runs go list with args and returns the paths it prints.
func list(args ...string) ([]string, error) {
	cmd := "go list " + strings.Join(args, " ")
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s: %w: %s", cmd, err, ee.Stderr)
		}
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	var paths []string
	for line := range strings.Lines(string(out)) {
		if path, _, _ := strings.Cut(strings.TrimSpace(line), " "); path != "" {
			paths = append(paths, path)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s listed nothing", cmd)
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
