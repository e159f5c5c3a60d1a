package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/devstress/devstress/shrink"
)

// Result is the outcome of one mutant.
type Result struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Op        string  `json:"op"`
	Status    string  `json:"status"` // killed, killed (timeout), survived, invalid, stale, error
	Seconds   float64 `json:"seconds"`
	Invariant string  `json:"invariant,omitempty"` // first failing invariant line, if found
	Desc      string  `json:"desc"`
	Rule      string  `json:"rule,omitempty"`
	Detail    string  `json:"detail,omitempty"` // stale reason, build error, tool error
	SutTests  string  `json:"sut_tests,omitempty"`
}

// The statuses.
const (
	StKilled   = "killed"
	StTimeout  = "killed (timeout)"
	StSurvived = "survived"
	StInvalid  = "invalid"
	StStale    = "stale"
	StError    = "error"
	StNotRun   = "not run" // the campaign was interrupted first
)

// Runner runs the test command against mutants via go test -overlay.
type Runner struct {
	ModRoot  string   // directory the go command runs in
	Pkgs     []string // test packages
	Run      string   // go test -run regexp
	Checks   int      // -rapid.checks (0: not passed)
	Extra    []string // extra go test / test binary arguments
	Env      []string // extra environment, KEY=VALUE
	Timeout  time.Duration
	TmpRoot  string // where mutated copies are written
	SutPkg   string // if set, also run this package's own tests (reported separately)
	KeepTmp  bool
	GoBinary string
	// BuildOnly only compiles the mutated package (go build -overlay):
	// "invalid" or "builds", no tests run.
	BuildOnly bool
}

// StBuilds is the status of a compiling mutant under -build-only.
const StBuilds = "builds"

// WriteOverlay writes the mutated copy of m.File and the overlay JSON into
// a fresh directory under tmpRoot and returns the overlay file's path. The
// original file is only read.
func WriteOverlay(m Mutant, tmpRoot string) (string, error) {
	src, err := os.ReadFile(m.File)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(tmpRoot, "mutant-")
	if err != nil {
		return "", err
	}
	mutated := filepath.Join(dir, filepath.Base(m.File))
	if err := os.WriteFile(mutated, Apply(src, m.Edits), 0o644); err != nil {
		return "", err
	}
	ov, err := json.Marshal(struct{ Replace map[string]string }{map[string]string{m.File: mutated}})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, os.WriteFile(path, ov, 0o644)
}

// invariantLine finds the first failing invariant line, e.g.
// "NO-LOST-TRIGGER at step 41: ...".
var invariantLine = regexp.MustCompile(`\b[A-Z][A-Z0-9-]+ at step \d+[^\n]*`)

// buildFailed recognises go test output of a mutant that does not compile.
var buildFailed = regexp.MustCompile(`\[build failed\]|\[setup failed\]|^# |cannot use |undefined: |declared and not used`)

// Test runs the test command against m and classifies the outcome.
func (r *Runner) Test(ctx context.Context, m Mutant) (res Result) {
	res = Result{ID: m.ID, Kind: m.Kind, Op: m.Op, Desc: m.Desc, Rule: m.Rule}
	if m.Stale != "" {
		res.Status, res.Detail = StStale, m.Stale
		return res
	}
	start := time.Now()
	defer func() { res.Seconds = time.Since(start).Seconds() }()
	ov, err := WriteOverlay(m, r.TmpRoot)
	if err != nil {
		res.Status, res.Detail = StError, err.Error()
		return res
	}
	if !r.KeepTmp {
		// A copy that stays only takes room under TmpRoot (which the
		// command removes when it made it): the outcome does not depend
		// on it.
		defer func() { _ = os.RemoveAll(filepath.Dir(ov)) }()
	}
	if r.BuildOnly {
		out, _, code, err := r.goCmd(ctx, "build", ov, []string{filepath.Dir(m.File)}, "", 0, nil)
		switch {
		case err != nil:
			res.Status, res.Detail = StError, err.Error()
		case code != 0:
			res.Status, res.Detail = StInvalid, firstLines(out, 3)
		default:
			res.Status = StBuilds
		}
		return res
	}
	out, timedOut, code, err := r.goTest(ctx, ov, r.Pkgs, r.Run, r.Checks, r.Extra)
	switch {
	case ctx.Err() != nil:
		res.Status = StNotRun
		return res
	case err != nil:
		res.Status, res.Detail = StError, err.Error()
	case timedOut:
		res.Status = StTimeout
	case code == 0:
		res.Status = StSurvived
	case isBuildFailure(out):
		res.Status, res.Detail = StInvalid, firstLines(out, 3)
		return res
	default:
		res.Status = StKilled
		if strings.Contains(out, "panic: test timed out") {
			res.Status = StTimeout
		}
	}
	if res.Status == StKilled || res.Status == StTimeout {
		if inv := invariantLine.FindString(out); inv != "" {
			res.Invariant = shorten(inv, 160)
		} else if res.Status == StKilled {
			res.Invariant = shorten(firstFailure(out), 160)
		}
	}
	if r.SutPkg != "" && res.Status != StError {
		sout, sto, scode, serr := r.goTest(ctx, ov, []string{r.SutPkg}, "", 0, nil)
		switch {
		case serr != nil:
			res.SutTests = "error"
		case sto:
			res.SutTests = StTimeout
		case scode == 0:
			res.SutTests = StSurvived
		case isBuildFailure(sout):
			res.SutTests = StInvalid
		default:
			res.SutTests = StKilled
		}
	}
	return res
}

func isBuildFailure(out string) bool {
	for _, l := range strings.Split(out, "\n") {
		if buildFailed.MatchString(l) {
			return true
		}
	}
	return false
}

// goTest runs go test with the overlay in its own process group, killed as
// a whole at the deadline. It returns the combined output, whether the
// deadline passed, and the exit code.
func (r *Runner) goTest(ctx context.Context, overlay string, pkgs []string, run string, checks int, extra []string) (string, bool, int, error) {
	return r.goCmd(ctx, "test", overlay, pkgs, run, checks, extra)
}

// goCmd runs go test or go build with the overlay.
func (r *Runner) goCmd(ctx context.Context, verb, overlay string, pkgs []string, run string, checks int, extra []string) (string, bool, int, error) {
	args := []string{verb, "-overlay=" + overlay}
	if verb == "test" {
		args = append(args, "-count=1", "-vet=off")
	}
	if verb == "test" && r.Timeout > 0 {
		args = append(args, "-timeout="+r.Timeout.String())
	}
	if run != "" {
		args = append(args, "-run", run)
	}
	args = append(args, pkgs...)
	if checks > 0 {
		args = append(args, fmt.Sprintf("-rapid.checks=%d", checks))
	}
	args = append(args, extra...)
	// The go command's own deadline covers the build; ours adds a margin
	// for compiling and linking, then kills the process group.
	limit := r.Timeout + 3*time.Minute
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	goBin := r.GoBinary
	if goBin == "" {
		goBin = "go"
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = r.ModRoot
	cmd.Env = append(os.Environ(), r.Env...)
	if overlay != "" {
		// A mutant's failing suite writes its counterexample (shrink.Keep)
		// beside the overlay, not into the regression directory of the
		// tree under test.
		cmd.Env = append(cmd.Env, shrink.KeepDirEnv+"="+filepath.Join(filepath.Dir(overlay), "counterexamples"))
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", false, 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	timedOut := false
	select {
	case werr = <-done:
	case <-cctx.Done():
		timedOut = ctx.Err() == nil // our deadline, not an interrupt of the tool
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		werr = <-done
		if !timedOut {
			return buf.String(), false, 0, ctx.Err()
		}
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
		if code < 0 {
			code = 1
		}
	} else if werr != nil {
		return buf.String(), timedOut, 0, werr
	}
	return buf.String(), timedOut, code, nil
}

// firstFailure is the first line that looks like a test failure message,
// for kills without an invariant line.
func firstFailure(out string) string {
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "FAIL") ||
			strings.HasPrefix(t, "[rapid]") || strings.HasPrefix(t, "ok ") {
			continue
		}
		if strings.Contains(t, "panic") || strings.Contains(t, "fatal") || strings.Contains(t, "error") ||
			strings.Contains(t, "leak") || strings.Contains(t, ".go:") {
			return t
		}
	}
	return ""
}

func firstLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, " | ")
}

func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n-3] + "..."
	}
	return s
}
