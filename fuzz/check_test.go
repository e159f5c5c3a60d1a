package fuzz

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// fakeTB records the failure of Variant.
type fakeTB struct{ failed string }

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
}

// DEVSTRESS_FUZZ_BUG selects a known variant, none when unset, and fails
// the target when it names no variant.
func TestVariantFromEnv(t *testing.T) {
	for _, c := range []struct {
		env  string
		want sut.Bug
		fail bool
	}{{"", sut.BugNone, false}, {"H3", sut.BugH3, false}, {"H10B", sut.BugH10B, false}, {"h3", "", true}, {"H11", "", true}} {
		t.Setenv(BugEnv, c.env)
		var tb fakeTB
		got := Variant(&tb)
		require.Equal(t, c.want, got, "%s=%q", BugEnv, c.env)
		if c.fail {
			require.Contains(t, tb.failed, c.env, "%s=%q must fail the target", BugEnv, c.env)
		} else {
			require.Empty(t, tb.failed)
		}
	}
}

var written = regexp.MustCompile(`counterexample written to (\S+)`)

// A crasher becomes a counterexample file in one command: running the
// target on the failing corpus entry with DEVSTRESS_FUZZ_OUT set fails
// with the verdict, and writes the minimized file, which replays to the
// same invariant (on the variant it was found on). The command is the
// README's, go test on the targets' package, on the deferral target's
// seed H3.
func TestCrasherBecomesCounterexampleFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the targets' test binary and minimizes")
	}
	out := t.TempDir()
	target := "Fuzz" + Deferral.Name
	cmd := exec.Command("go", "test", "./targets", "-run", "^"+target+"$/^H3$", "-count=1")
	cmd.Env = append(os.Environ(), BugEnv+"=H3", OutEnv+"="+out)
	text, err := cmd.CombinedOutput()
	require.Error(t, err, "the target passes the H3 seed on variant H3:\n%s", text)
	require.Contains(t, string(text), "NO-LOST-TRIGGER", "%s", text)
	m := written.FindStringSubmatch(string(text))
	require.NotNil(t, m, "no file written:\n%s", text)
	require.Equal(t, out, filepath.Dir(m[1]))
	require.Regexp(t, "^"+target+`-[0-9a-f]{16}\.txt$`, filepath.Base(m[1]))
	f, err := shrink.ReadFile(m[1])
	require.NoError(t, err)
	require.Equal(t, sut.BugH3, f.Options.Bug)
	require.Equal(t, "NO-LOST-TRIGGER", f.Expect.Invariant)
	require.NoError(t, shrink.Check(f), "the written file replays to its expectation")
}
