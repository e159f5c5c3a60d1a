package shrink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/devstress/devstress/properties"
	"pgregory.net/rapid"
)

// Keeper makes the counterexample of a failing rapid property a file: the
// suite's failure is then a file a person reads, replays and keeps, not
// only a rapid seed.
//
//	func TestMyProperty(t *testing.T) {
//		k := shrink.Keep(t, "testdata/counterexamples", "TestCounterexampleFiles")
//		rapid.Check(t, func(rt *rapid.T) {
//			v := properties.Execute(program.Draw(rt, "program"), gen.Schedule(rt), opt)
//			if v.Failure != nil {
//				k.Fatal(rt, v)
//			}
//		})
//	}
type Keeper struct {
	t       TB
	dir     string
	regress string
	last    *properties.Verdict
}

// KeepDirEnv names the environment variable that overrides the directory
// Keep writes to.
const KeepDirEnv = "DEVSTRESS_KEEP_DIR"

// TB is the part of testing.TB that a Keeper uses.
type TB interface {
	Helper()
	Name() string
	Failed() bool
	Cleanup(func())
	Errorf(format string, args ...any)
	Log(args ...any)
}

// Keep returns a Keeper for t. Call its Fatal, instead of properties.Fatal,
// with every failing verdict of the property t checks with rapid.Check.
//
// When t has failed, at its end (a t.Cleanup) the Keeper takes the last
// verdict Fatal was given (rapid runs the shrunk case last), records it
// as a File (FromVerdict; Reproduce for a run of the free runtime, which
// does not replay), minimizes it (Minimize, bounded by replays, not
// time), and writes it under dir as <test name>-<digest>.txt. It then logs,
// once, the report of the file (its replay: the invariant, the program,
// what each client saw, the interleaving) and the command that replays
// it: regress is the name of the test of the same package that calls
// RegressionTest on dir, and the command line's replay
// (github.com/devstress/devstress/cmd/devstress). A file that cannot be
// recorded or written is an error of t that says why; the verdict is
// logged then instead.
//
// The environment variable DEVSTRESS_KEEP_DIR, when set, overrides dir,
// and only the command line's replay is printed: a tool that runs the
// suites on a changed core (a mutation campaign) sends the files there,
// not into the regression directory.
func Keep(t TB, dir, regress string) *Keeper {
	t.Helper()
	if d := os.Getenv(KeepDirEnv); d != "" {
		dir, regress = d, ""
	}
	k := &Keeper{t: t, dir: dir, regress: regress}
	t.Cleanup(k.keep)
	return k
}

// Fatal records v, a failing verdict, and fails rt with its one-line
// headline (properties.Fatal): the full report comes once, from the
// Keeper, when the test ends.
func (k *Keeper) Fatal(rt *rapid.T, v *properties.Verdict) {
	rt.Helper()
	k.last = v
	properties.Fatal(rt, v)
}

// keep writes and reports the last failing verdict of a failed test.
func (k *Keeper) keep() {
	if !k.t.Failed() || k.last == nil {
		return
	}
	path, f, stats, err := k.write(k.last)
	if err != nil {
		k.t.Errorf("the counterexample was not kept: %v\n%s", err, k.last)
		return
	}
	shown := path // as seen from the module's root, where the replay line runs
	if !filepath.IsAbs(path) {
		shown = filepath.Join(packageDir(), path)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "counterexample written to %s (minimized: %s)\n\n", shown, stats)
	lines := []string{"go run github.com/devstress/devstress/cmd/devstress replay " + shown}
	if k.regress != "" {
		lines = append([]string{fmt.Sprintf("go test %s -run '^%s$/^%s$'", packageDir(), k.regress, regexp.QuoteMeta(filepath.Base(path)))}, lines...)
	}
	if err := Report(&b, f, Replay(f), lines...); err != nil {
		k.t.Errorf("the counterexample %s was kept but cannot be reported: %v", shown, err)
		return
	}
	k.t.Log(b.String())
}

// write records, minimizes and writes v, and returns the file's path.
func (k *Keeper) write(v *properties.Verdict) (string, File, Stats, error) {
	record := func() (File, error) { return FromVerdict(v, v.Options) }
	if v.Executor == properties.Free {
		record = func() (File, error) { return Reproduce(v, 0) }
	}
	f, err := record()
	if err != nil {
		return "", File{}, Stats{}, err
	}
	m, stats, err := Minimize(f)
	if err != nil {
		return "", File{}, Stats{}, err
	}
	name := strings.NewReplacer("/", "-", " ", "_").Replace(k.t.Name()) + "-" + m.Digest + ".txt"
	path := filepath.Join(k.dir, name)
	if err := os.MkdirAll(k.dir, 0o755); err != nil {
		return "", File{}, Stats{}, err
	}
	if err := os.WriteFile(path, []byte(m.String()), 0o644); err != nil {
		return "", File{}, Stats{}, err
	}
	return path, m, stats, nil
}

// packageDir is the current directory (a test's package) as go test names
// it from the module's root: "./properties"; "." when no go.mod is found.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		} else if !errors.Is(err, os.ErrNotExist) || filepath.Dir(dir) == dir {
			return "."
		}
	}
}
