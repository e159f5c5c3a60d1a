package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// binary is the devstress command, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devstress-cmd")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "devstress")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building devstress:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "removing the test binary:", err)
	}
	os.Exit(code)
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// devstressIn runs the command in dir with args.
func devstressIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code, out.String(), errb.String()}
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	return devstressIn(t, t.TempDir(), args...)
}

// noCrash asserts an error is one line prefixed "devstress: ", no panic.
func noCrash(t *testing.T, r result, args []string) {
	t.Helper()
	require.NotContains(t, r.stderr, "panic", "%q", args)
	require.NotContains(t, r.stderr, "goroutine ", "%q", args)
	require.Regexp(t, `^devstress: [^\n]+\n$`, r.stderr, "%q", args)
}

// summaryOf runs a campaign with --json and returns its summary.
func summaryOf(t *testing.T, args ...string) summaryJSON {
	t.Helper()
	r := run(t, append([]string{"run", "--json"}, args...)...)
	require.Equal(t, 0, r.code, "%q: %s", args, r.stderr)
	var s summaryJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s), "%s", r.stdout)
	return s
}

const h3 = "../../properties/testdata/counterexamples/H3.txt"

// deferralH3 is a fuzz input that fails on variant H3: the seed corpus
// entry of FuzzDeferral made from H3.txt.
var deferralH3, _ = filepath.Abs("../../fuzz/targets/testdata/fuzz/FuzzDeferral/H3")

// Bad input: one line on the standard error, prefixed, and the exit
// status of a usage error (2) or a failure (1).
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(h3)
	require.NoError(t, err)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	truncated := write("truncated.txt", string(good[:len(good)/2]))
	corrupt := write("corrupt.txt", strings.Replace(string(good), "client 1", "client one", 1))
	newer := write("newer.txt", strings.Replace(string(good), "counterexample v1", "counterexample v99", 1))
	notDir := write("file", "")
	h3abs, err := filepath.Abs(h3)
	require.NoError(t, err)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"frob"}, 2, `unknown command "frob"`},
		{[]string{"--frob"}, 2, "flag provided but not defined: -frob"},
		{[]string{"run", "--workers", "0"}, 2, "--workers 0"},
		{[]string{"run", "--shard", "3/2"}, 2, "shard 3/2"},
		{[]string{"run", "--shard", "1/0"}, 2, "shard 1/0"},
		{[]string{"run", "--bug", "H99"}, 2, `unknown bug variant "H99"`},
		{[]string{"run", "--time", "-1s"}, 2, "--time -1s"},
		{[]string{"run", "--execs", "-3"}, 2, "--execs -3"},
		{[]string{"run", "--strategy", "dfs"}, 2, `unknown strategy "dfs"`},
		{[]string{"run", "--depth", "0"}, 2, "--depth 0"},
		{[]string{"run", "stray"}, 2, `unexpected argument "stray"`},
		{[]string{"bugs", "--seeds", "0"}, 2, "--seeds 0"},
		{[]string{"bugs", "--bug", "H11"}, 2, `"H11"`},
		{[]string{"replay"}, 2, "want one counterexample file"},
		{[]string{"replay", "a.txt", "b.txt"}, 2, "want one counterexample file"},
		{[]string{"export", h3abs}, 2, "-o X_test.go is required"},
		{[]string{"replay", filepath.Join(dir, "missing.txt")}, 1, "missing.txt"},
		{[]string{"replay", truncated}, 1, "truncated.txt"},
		{[]string{"minimize", corrupt}, 1, "corrupt.txt:"},
		{[]string{"report", newer}, 1, "newer"},
		{[]string{"export", newer, "-o", filepath.Join(dir, "x_test.go")}, 1, "newer"},
		{[]string{"run", "--execs", "1", "--out", filepath.Join(notDir, "out")}, 1, "cannot write counterexample files"},
		{[]string{"report", h3abs, "-o", filepath.Join(notDir, "page.html")}, 1, "not a directory"},
		{[]string{"minimize", h3abs, "-o", filepath.Join(dir, "no", "such", "x.txt")}, 1, "no such file or directory"},
		{[]string{"crasher"}, 2, "want one fuzz input file"},
		{[]string{"crasher", truncated}, 2, `"` + filepath.Base(dir) + `" is not a fuzz target`},
		{[]string{"crasher", "--target", "FuzzDecode", truncated}, 2, "one of FuzzProgram, "},
		{[]string{"crasher", "--target", "FuzzProgram", "--bug", "H99", truncated}, 2, `crasher: --bug: unknown bug variant "H99"`},
		{[]string{"crasher", "--target", "FuzzProgram", filepath.Join(dir, "missing")}, 1, "no such file or directory"},
		{[]string{"crasher", "--target", "FuzzProgram", write("bad-entry", "go test fuzz v1\nint(3)\n")}, 1, "bad-entry: fuzz: a corpus file of this package holds one []byte(...) value"},
		{[]string{"crasher", "--target", "FuzzDeferral", deferralH3}, 1, "passes as an input of FuzzDeferral on the correct core"},
	} {
		r := devstressIn(t, dir, c.args...)
		require.Equal(t, c.code, r.code, "%q: %s", c.args, r.stderr)
		noCrash(t, r, c.args)
		require.Contains(t, r.stderr, c.says, "%q", c.args)
	}
	_, err = os.Stat(filepath.Join(dir, "x_test.go"))
	require.True(t, os.IsNotExist(err), "a failed export wrote its output")
}

// help lists the commands; -h a command's flags; both exit 0.
func TestHelp(t *testing.T) {
	r := run(t, "help")
	require.Equal(t, 0, r.code)
	for _, c := range []string{"run", "replay", "minimize", "report", "export", "bugs", "crasher"} {
		require.Regexp(t, `(?m)^  `+c+` `, r.stdout)
	}
	require.NotContains(t, r.stdout, "worker")
	r = run(t, "run", "-h")
	require.Equal(t, 0, r.code)
	require.Contains(t, r.stdout, "-shard")
}

// A campaign without a terminal prints plain progress lines, then the
// summary: its counts and coverage; exit 0 on the correct core, and no
// output directory is left behind.
func TestRunPlainProgressAndSummary(t *testing.T) {
	dir := t.TempDir()
	r := devstressIn(t, dir, "run", "--execs", "60", "--seed", "1", "--workers", "1", "--progress", "1ms")
	require.Equal(t, 0, r.code, "%s", r.stderr)
	require.NotContains(t, r.stdout, "\r", "terminal control without a terminal")
	require.Regexp(t, `(?m)^progress: \d+ executions \(\d+/s\), \d+ interleavings, 0 failures, \d+ to go$`, r.stdout)
	for _, line := range []string{
		`campaign: mix strategy, seed 1, shard 1/1, 1 workers, the correct core`,
		`executions +60 in \S+ \(\d+/s, budget done\)`,
		`interleavings +\d+ distinct trace digests`,
		`preemptions +\d+, in \d+ executions \(at most \d+ in one\)`,
		`faults +\d+ injected, \d+ of 10 fault points`,
		`operations +\d+ of 29`,
		`outcome rows +\d+ of 11`,
		`invariants +\d+ checked at every step and at quiescence`,
		`failures +0`,
	} {
		require.Regexp(t, `(?m)^\s*`+line+`$`, r.stdout)
	}
	_, err := os.Stat(filepath.Join(dir, "devstress-out"))
	require.True(t, os.IsNotExist(err), "an empty output directory is left")
}

// The same seed and budget give the same campaign, with any number of
// workers.
func TestRunIsDeterministic(t *testing.T) {
	a := summaryOf(t, "--execs", "80", "--seed", "5", "--workers", "1")
	b := summaryOf(t, "--execs", "80", "--seed", "5", "--workers", "1")
	c := summaryOf(t, "--execs", "80", "--seed", "5", "--workers", "2")
	other := summaryOf(t, "--execs", "80", "--seed", "6", "--workers", "1")
	require.Equal(t, 80, a.Executions)
	require.Greater(t, a.Interleavings, 1)
	for _, s := range []summaryJSON{b, c} {
		require.Equal(t, a.Digests, s.Digests)
		require.Equal(t, [4]int{a.Executions, a.Interleavings, a.Preemptions, a.Faults},
			[4]int{s.Executions, s.Interleavings, s.Preemptions, s.Faults})
		require.Equal(t, a.Covered, s.Covered)
	}
	require.NotEqual(t, a.Digests, other.Digests, "seeds 5 and 6 run the same campaign")
}

// Shards 1/2 and 2/2 together run exactly the unsharded campaign.
func TestShardsSplitTheCampaign(t *testing.T) {
	for _, st := range []string{"rapid", "exhaustive"} {
		args := []string{"--execs", "60", "--seed", "9", "--workers", "1", "--strategy", st, "--per-program", "4"}
		whole := summaryOf(t, args...)
		one := summaryOf(t, append(args, "--shard", "1/2")...)
		two := summaryOf(t, append(args, "--shard", "2/2")...)
		require.Equal(t, whole.Units, one.Units+two.Units, st)
		require.Equal(t, whole.Executions, one.Executions+two.Executions, st)
		union := map[string]bool{}
		for _, d := range append(one.Digests, two.Digests...) {
			union[d] = true
		}
		require.Len(t, union, len(whole.Digests), st)
		for _, d := range whole.Digests {
			require.True(t, union[d], "%s: digest %s in no shard", st, d)
		}
	}
}

// A campaign against H6 finds it, writes a minimized counterexample and
// prints its report with the replay line; the file replays, minimizes,
// reports (text and HTML) and exports.
func TestBugH6FoundAndReplayed(t *testing.T) {
	dir := t.TempDir()
	r := devstressIn(t, dir, "run", "--bug", "H6", "--execs", "100", "--seed", "1", "--workers", "1", "--keep", "1", "--out", "found")
	require.Equal(t, 1, r.code, "%s", r.stderr)
	m := regexp.MustCompile(`counterexample written to (found/\S+\.txt) \(minimized: `).FindStringSubmatch(r.stdout)
	require.NotNil(t, m, "%s", r.stdout)
	path := m[1]
	require.Contains(t, r.stdout, "replay:\n  devstress replay "+path+"\n")
	require.Regexp(t, `(?m)^  failures +[1-9]\d*$`, r.stdout)
	require.Contains(t, r.stdout, "bug H6")

	rep := devstressIn(t, dir, "replay", path)
	require.Equal(t, 0, rep.code, "%s", rep.stderr)
	require.Contains(t, rep.stdout, path+" replays as it expects")

	min := devstressIn(t, dir, "minimize", path)
	require.Equal(t, 0, min.code, "%s", min.stderr)
	require.True(t, strings.HasPrefix(min.stdout, "devstress counterexample v1\n"), "%s", min.stdout)
	require.Equal(t, 0, devstressIn(t, dir, "minimize", path, "-o", "again.txt").code)
	require.Equal(t, 0, devstressIn(t, dir, "replay", "again.txt").code)

	text := devstressIn(t, dir, "report", path)
	require.Equal(t, 0, text.code, "%s", text.stderr)
	require.Contains(t, text.stdout, "interleaving (")
	require.Equal(t, 0, devstressIn(t, dir, "report", path, "-o", "page.html").code)
	page, err := os.ReadFile(filepath.Join(dir, "page.html"))
	require.NoError(t, err)
	require.Contains(t, string(page), `id="violation"`)

	exp := devstressIn(t, dir, "export", path, "-o", "h6_test.go", "--package", "regress", "--test", "TestH6")
	require.Equal(t, 0, exp.code, "%s", exp.stderr)
	src, err := os.ReadFile(filepath.Join(dir, "h6_test.go"))
	require.NoError(t, err)
	require.Contains(t, string(src), "package regress\n")
	require.Contains(t, string(src), "func TestH6(t *testing.T)")

	// On the correct core, the file no longer fails: replay says so.
	f, err := os.ReadFile(filepath.Join(dir, path))
	require.NoError(t, err)
	fixed := strings.Replace(string(f), "bug H6\n", "", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fixed.txt"), []byte(fixed), 0o644))
	mis := devstressIn(t, dir, "replay", "fixed.txt")
	require.Equal(t, 1, mis.code)
	noCrash(t, mis, nil)
	require.Contains(t, mis.stderr, "does not replay as it expects")
	require.Contains(t, mis.stdout, "pass: every check held")
}

// The scoreboard finds H7a with each strategy asked for, within the spec's
// minimal in the sum of its counts.
func TestBugsScoreboard(t *testing.T) {
	r := run(t, "bugs", "--bug", "H7a", "--strategy", "rapid,pct", "--seeds", "1", "--execs", "300", "--workers", "1", "--json")
	require.Equal(t, 0, r.code, "%s", r.stderr)
	var scores []struct {
		Bug, Strategy string
		Hunts         []struct {
			Found      bool
			Executions int
			Size       [3]int
		}
		Minimal [3]int
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &scores), "%s", r.stdout)
	require.Len(t, scores, 2)
	for _, s := range scores {
		require.Equal(t, "H7a", s.Bug)
		require.Len(t, s.Hunts, 1)
		require.True(t, s.Hunts[0].Found, "%s did not find H7a", s.Strategy)
		require.Positive(t, s.Hunts[0].Executions)
		require.Positive(t, s.Hunts[0].Size[0])
	}
	text := run(t, "bugs", "--bug", "H7a", "--strategy", "rapid", "--seeds", "1", "--execs", "300", "--workers", "1")
	require.Equal(t, 0, text.code, "%s", text.stderr)
	require.Regexp(t, `(?m)^H7a +rapid +1/1 +\d+ +\S+ +\[\d \d \d\] +\[1 1 0\]`, text.stdout)
}
