package check_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/devstress/devstress/check"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

var errBroken = errors.New("broken")

// lostUpdate is two tasks incrementing x with a yield point between the
// read and the write, with or without a lock across both.
func lostUpdate(locked bool) check.Setup {
	return func(rt sched.Runtime) func() error {
		x := 0
		m := rt.NewMutex("m")
		for _, name := range []string{"a", "b"} {
			rt.Go(name, func() {
				if locked {
					m.Lock()
					defer m.Unlock()
				}
				v := x
				rt.Yield("read")
				x = v + 1
			})
		}
		return func() error {
			if x != 2 {
				return errors.New("lost update")
			}
			return nil
		}
	}
}

func TestFindReportsEachKindOfFailure(t *testing.T) {
	cases := []struct {
		name  string
		setup check.Setup
		final bool
		is    func(error) bool
	}{
		{"a task panics", func(rt sched.Runtime) func() error {
			rt.Go("t", func() { panic("boom") })
			return nil
		}, false, isA[*sched.PanicError]},
		{"the tasks deadlock", func(rt sched.Runtime) func() error {
			never := rt.NewCompletion("never")
			rt.Go("t", never.Wait)
			return nil
		}, false, isA[*sched.DeadlockError]},
		{"a task relocks", func(rt sched.Runtime) func() error {
			m := rt.NewMutex("m")
			rt.Go("t", func() { m.Lock(); m.Lock() })
			return nil
		}, false, isA[*sched.RelockError]},
		{"a task calls Fail", func(rt sched.Runtime) func() error {
			rt.Go("t", func() { rt.Fail(errBroken) })
			return nil
		}, false, is(errBroken)},
		{"the final check returns an error", func(sched.Runtime) func() error {
			return func() error { return errBroken }
		}, true, is(errBroken)},
		{"the final check calls Fail", func(rt sched.Runtime) func() error {
			return func() error { rt.Fail(errBroken); return nil }
		}, true, is(errBroken)},
		{"the final check panics", func(sched.Runtime) func() error {
			return func() error { panic("boom") }
		}, true, isA[*sched.PanicError]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := check.Find(c.setup)
			require.NotNil(t, f)
			require.True(t, c.is(f.Err), "wrong error: %v", f.Err)
			require.Equal(t, c.final, f.Final)
			require.Equal(t, 0, f.Trace.Preemptions())
		})
	}
}

func isA[E error](err error) bool {
	var e E
	return errors.As(err, &e)
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// Find is deterministic (a fixed seed), finds the bug, shrinks it to its
// one preemption, and finds nothing in the correct twin.
func TestFindShrinksAndIsDeterministic(t *testing.T) {
	f1, f2 := check.Find(lostUpdate(false)), check.Find(lostUpdate(false))
	require.NotNil(t, f1)
	require.Equal(t, 1, f1.Trace.Preemptions(), "not shrunk:\n%v", f1)
	require.Equal(t, f1.String(), f2.String())
	require.Positive(t, f1.Found)
	require.Greater(t, f1.Runs, f1.Found)
	require.Nil(t, check.Find(lostUpdate(true)))
	_, err := os.Stat("testdata")
	require.ErrorIs(t, err, os.ErrNotExist, "Find wrote a fail file")
}

func TestRunPassesTheCorrectTwin(t *testing.T) {
	check.Run(t, lostUpdate(true))
}

// helperEnv makes the TestHelper tests run: they are buggy programs under
// check.Run, run in a child process so that their failure can be
// inspected.
const helperEnv = "CHECK_TEST_HELPER"

func TestHelperLostUpdate(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("run by TestRunPrintsALineThatReplaysTheFailure")
	}
	check.Run(t, lostUpdate(false))
}

func TestHelperDataRace(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("run by TestRunFindsDataRacesUnderRace")
	}
	check.Run(t, func(rt sched.Runtime) func() error {
		x := 0
		rt.Go("a", func() { x++ }) // no yield point: serialized runs cannot interleave it
		rt.Go("b", func() { x++ })
		return nil
	})
}

// child runs this test binary on the helper test in dir with args and
// returns its output, which must report a failure.
func child(t *testing.T, helper, dir string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, append([]string{"-test.run=^" + helper + "$"}, args...)...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the helper did not fail:\n%s", out)
	return string(out)
}

var (
	replayLine = regexp.MustCompile(`To reproduce, specify -run=("[^"]*") -rapid\.failfile=("[^"]*") \(or -rapid\.seed=(\d+)\)`)
	shrunkRun  = regexp.MustCompile(`(?s)the run, 1 preemption\(s\).*?\n\s*found at run`)
)

// The line Run prints replays the failure it reports: the fail file at
// once, the seed by searching and shrinking again.
func TestRunPrintsALineThatReplaysTheFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary three times")
	}
	dir := t.TempDir()
	out := child(t, "TestHelperLostUpdate", dir)
	m := replayLine.FindStringSubmatch(out)
	require.NotNil(t, m, "no replay line in:\n%s", out)
	run, err := strconv.Unquote(m[1])
	require.NoError(t, err)
	require.Equal(t, "TestHelperLostUpdate", run)
	failfile, err := strconv.Unquote(m[2])
	require.NoError(t, err)
	want := shrunkRun.FindString(out)
	require.NotEmpty(t, want, "no shrunk run in:\n%s", out)
	require.Contains(t, want, "fail lost update")

	replayed := child(t, "TestHelperLostUpdate", dir, "-test.run="+run, "-rapid.failfile="+failfile)
	require.Equal(t, want, shrunkRun.FindString(replayed), "the fail file replays another run:\n%s", replayed)

	fresh := t.TempDir() // no fail file there for rapid to replay first
	reseeded := child(t, "TestHelperLostUpdate", fresh, "-test.run="+run, "-rapid.seed="+m[3], "-rapid.nofailfile")
	require.Equal(t, want, shrunkRun.FindString(reseeded), "the seed replays another run:\n%s", reseeded)
	entries, err := os.ReadDir(fresh)
	require.NoError(t, err)
	require.Empty(t, entries)
}

// recorder is a testing.TB that records what Run logs.
type recorder struct {
	testing.TB
	logs []string
}

func (r *recorder) Log(args ...any) { r.logs = append(r.logs, fmt.Sprint(args...)) }
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// Runs that reach tasks or scheduling points beyond the size preemptions
// are drawn among are reported; the measured size covers the program.
func TestRunSaysWhenRunsReachBeyondTheSize(t *testing.T) {
	small := &recorder{TB: t}
	check.Run(small, lostUpdate(true), check.Size(1, 1))
	require.Contains(t, strings.Join(small.logs, "\n"),
		"some runs reached 3 task(s) or 2 scheduling point(s) in a task, beyond the 1 task(s) x 1 scheduling point(s) each (set with Size)")
	require.Contains(t, strings.Join(small.logs, "\n"), "widen the search with check.Size(3, 2)")

	measured := &recorder{TB: t}
	check.Run(measured, lostUpdate(true))
	require.Contains(t, strings.Join(measured.logs, "\n"),
		"check: preemptions drawn among 3 task(s) x 2 scheduling point(s) each (measured on the first runs)")
	require.NotContains(t, strings.Join(measured.logs, "\n"), "beyond")
}

// A data race between two yield points is invisible to the controlled
// runs; built with -race, Run also runs the code on real goroutines, where
// the race detector reports it.
func TestRunFindsDataRacesUnderRace(t *testing.T) {
	if !check.RaceEnabled {
		t.Skip("needs go test -race")
	}
	out := child(t, "TestHelperDataRace", t.TempDir(), "-test.v")
	require.Contains(t, out, "[rapid] OK, passed", "the controlled runs should pass")
	require.Contains(t, out, "WARNING: DATA RACE")
}
