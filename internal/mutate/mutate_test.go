package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func fixture(t *testing.T) (string, []byte) {
	t.Helper()
	src, err := os.ReadFile("testdata/fixture.go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "fixture.go")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, src
}

// The operators on the fixture give exactly these mutants: the bug branch
// (cfg.Bug == BugX), the emit call and the String method are left alone.
func TestEnumerateFixture(t *testing.T) {
	path, src := fixture(t)
	ms, err := EnumerateSource(path, "fixture.go", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.ID+" "+m.Desc)
	}
	want := []string{
		"fixture.go:4:2:delete-call delete the call `c.lock(d)`",
		"fixture.go:4:2:swap-stmts swap `c.lock(d)` and `if d.dead && d.n < 2 { c.unlock(d) return false }`",
		"fixture.go:5:2:swap-stmts swap `if d.dead && d.n < 2 { c.unlock(d) return false }` and `d.bound.Store(true)`",
		"fixture.go:5:5:negate-if negate `d.dead && d.n < 2`",
		"fixture.go:5:12:and-or replace && by || in `d.dead && d.n < 2`",
		"fixture.go:5:19:relational replace < by <= in `d.n < 2`",
		"fixture.go:6:3:delete-call delete the call `c.unlock(d)`",
		"fixture.go:7:3:delete-return delete the early exit `return false` under `if d.dead && d.n < 2`",
		"fixture.go:7:10:bool-literal replace false by true",
		"fixture.go:9:2:atomic-store d.bound.Store stores false instead of true",
		"fixture.go:9:2:delete-call delete the call `d.bound.Store(true)`",
		"fixture.go:14:2:delete-call delete the call `c.unlock(d)`",
		"fixture.go:15:9:bool-literal replace true by false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("mutants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every mutant edits the source; the IDs are unique.
	seen := map[string]bool{}
	for _, m := range ms {
		if bytes.Equal(Apply(src, m.Edits), src) {
			t.Errorf("%s does not change the source", m.ID)
		}
		if seen[m.ID] {
			t.Errorf("duplicate ID %s", m.ID)
		}
		seen[m.ID] = true
	}
}

func TestEnumerateOperatorsFilter(t *testing.T) {
	path, src := fixture(t)
	ms, err := EnumerateSource(path, "fixture.go", src, []string{"delete-return", "remove-else"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Op != "delete-return" {
		t.Fatalf("got %v, want the one delete-return", ms)
	}
	mutated := string(Apply(src, ms[0].Edits))
	if strings.Contains(mutated, "return false") {
		t.Errorf("delete-return left the return:\n%s", mutated)
	}
}

// A swap exchanges the two statements' text.
func TestSwapEdit(t *testing.T) {
	src := []byte("package p\n\nfunc f() {\n\ta()\n\tb()\n}\n")
	ms, err := EnumerateSource("/x/p.go", "p.go", src, []string{"swap-stmts"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("got %d mutants, want 1", len(ms))
	}
	if got, want := string(Apply(src, ms[0].Edits)), "package p\n\nfunc f() {\n\tb()\n\ta()\n}\n"; got != want {
		t.Errorf("swap gave\n%s\nwant\n%s", got, want)
	}
}

// The overlay maps the original path to a mutated copy; the original file
// is not written.
func TestOverlayLeavesOriginalUntouched(t *testing.T) {
	path, src := fixture(t)
	info, _ := os.Stat(path)
	ms, err := EnumerateSource(path, "fixture.go", src, []string{"negate-if"})
	if err != nil || len(ms) == 0 {
		t.Fatal(err, len(ms))
	}
	ov, err := WriteOverlay(ms[0], t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, src) {
		t.Fatal("the original file changed")
	}
	if info2, _ := os.Stat(path); !info2.ModTime().Equal(info.ModTime()) {
		t.Error("the original file was rewritten")
	}
	var o struct{ Replace map[string]string }
	data, _ := os.ReadFile(ov)
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	copyPath, ok := o.Replace[path]
	if !ok || len(o.Replace) != 1 {
		t.Fatalf("overlay %s does not map %s alone", data, path)
	}
	mutated, _ := os.ReadFile(copyPath)
	if !strings.Contains(string(mutated), "if !(d.dead && d.n < 2) {") {
		t.Errorf("mutated copy:\n%s", mutated)
	}
}

// A spec mutant whose snippet does not match is stale, with the reason; a
// snippet found twice is stale too; indentation does not matter.
func TestSpecMutantStale(t *testing.T) {
	dir := t.TempDir()
	_, src := fixture(t)
	if err := os.WriteFile(filepath.Join(dir, "fixture.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	sms, err := ParseSpecMutants(`
# comment
=== gone
file: fixture.go
rule: §0 a rule
--- original
	c.relock(d)
+++ replacement

=== twice
file: fixture.go
rule: §0
desc: delete an unlock
--- original
	c.unlock(d)
+++ replacement

=== ok
file: fixture.go
rule: §0
desc: delete the early unlock
--- original
  if d.dead && d.n < 2 {
  c.unlock(d)
+++ replacement
		if d.dead && d.n < 2 {

=== nofile
file: missing.go
rule: §0
--- original
x
+++ replacement
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Mutant{}
	for _, s := range sms {
		got[s.Name] = s.Resolve(dir)
	}
	if m := got["gone"]; !strings.Contains(m.Stale, "not found") || m.ID != "spec:gone" || m.Desc != "§0 a rule" {
		t.Errorf("gone: %+v", m)
	}
	if m := got["twice"]; !strings.Contains(m.Stale, "found 2 times") {
		t.Errorf("twice: %+v", m)
	}
	if m := got["nofile"]; !strings.Contains(m.Stale, "cannot read") {
		t.Errorf("nofile: %+v", m)
	}
	m := got["ok"]
	if m.Stale != "" {
		t.Fatalf("ok is stale: %s", m.Stale)
	}
	mutated := string(Apply(src, m.Edits))
	if strings.Count(mutated, "c.unlock(d)") != 1 || !strings.Contains(mutated, "if d.dead && d.n < 2 {\n\t\treturn false") {
		t.Errorf("ok gave:\n%s", mutated)
	}
	// A stale mutant is reported, not run and not counted.
	res := (&Runner{}).Test(t.Context(), got["gone"])
	if res.Status != StStale || !strings.Contains(res.Detail, "not found") {
		t.Errorf("stale result %+v", res)
	}
	var b strings.Builder
	Summarize([]Result{res}, &b)
	if !strings.Contains(b.String(), "stale 1") || !strings.Contains(b.String(), "spec:gone") {
		t.Errorf("summary does not report the stale mutant:\n%s", b.String())
	}
}

// The embedded list parses, has at least 15 mutants with a rule each, and
// every one resolves on ../../sut: a change of the core that makes a spec
// mutant stale must update the mutant in the same commit.
func TestEmbeddedSpecMutants(t *testing.T) {
	sms, err := ParseSpecMutants(specMutantsText)
	if err != nil {
		t.Fatal(err)
	}
	if len(sms) < 15 {
		t.Fatalf("%d spec mutants, want at least 15", len(sms))
	}
	for _, s := range sms {
		if s.Rule == "" || s.File == "" || s.Orig == "" || s.Orig == s.Repl {
			t.Errorf("spec mutant %s is incomplete: %+v", s.Name, s)
		}
		if m := s.Resolve("../../sut"); m.Stale != "" {
			t.Errorf("stale against ../../sut: %s: %s (update the snippet in spec_mutants.txt)", m.ID, m.Stale)
		}
	}
}

func TestSummaryCounts(t *testing.T) {
	rs := []Result{
		{ID: "a", Kind: "ast", Status: StKilled},
		{ID: "b", Kind: "ast", Status: StTimeout},
		{ID: "c", Kind: "ast", Status: StSurvived, Desc: "swap x and y"},
		{ID: "d", Kind: "ast", Status: StInvalid},
		{ID: "e", Kind: "spec", Status: StKilled},
	}
	var b strings.Builder
	k, total, score := Summarize(rs, &b)
	if k != 3 || total != 4 || score != 75 {
		t.Errorf("got %d/%d %.1f, want 3/4 75", k, total, score)
	}
	for _, s := range []string{"killed 3 / total 4 (score 75.0%), invalid 1", "1 of the kills by timeout", "c  swap x and y"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("summary lacks %q:\n%s", s, b.String())
		}
	}
}

func TestInvariantLine(t *testing.T) {
	out := "--- FAIL: TestX (0.1s)\n    x_test.go:12: [rapid] failed\n        NO-LOST-TRIGGER at step 41: c#1 waits on Pending\nFAIL\n"
	if got := invariantLine.FindString(out); got != "NO-LOST-TRIGGER at step 41: c#1 waits on Pending" {
		t.Errorf("got %q", got)
	}
	if got := invariantLine.FindString("x_test.go:16: [rapid] failed after 0 tests: RUNTIME at step 56: sched: negative"); got != "RUNTIME at step 56: sched: negative" {
		t.Errorf("got %q", got)
	}
	if !isBuildFailure("# github.com/x/sut\nsut/a.go:3:2: undefined: y\nFAIL\tgithub.com/x/properties [build failed]\n") {
		t.Error("build failure not recognised")
	}
	if isBuildFailure("--- FAIL: TestX\n    NO-UAF at step 3: x\nFAIL\n") {
		t.Error("a test failure taken for a build failure")
	}
}

func TestSampleDeterministic(t *testing.T) {
	var ms []Mutant
	for i := range 50 {
		ms = append(ms, Mutant{ID: string(rune('A' + i))})
	}
	a, b := Sample(ms, 10, 7), Sample(ms, 10, 7)
	if !slices.EqualFunc(a, b, func(x, y Mutant) bool { return x.ID == y.ID }) {
		t.Error("same seed, different samples")
	}
	if c := Sample(ms, 10, 8); slices.EqualFunc(a, c, func(x, y Mutant) bool { return x.ID == y.ID }) {
		t.Error("different seeds, same sample")
	}
	for i := 1; i < len(a); i++ {
		if a[i-1].ID >= a[i].ID {
			t.Error("sample does not keep the order")
		}
	}
}
