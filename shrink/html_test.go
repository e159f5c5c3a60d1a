package shrink_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
	"github.com/stretchr/testify/require"
)

// page reads the kept counterexample name and returns its replay's HTML
// page.
func page(t *testing.T, name string) string {
	t.Helper()
	f, err := shrink.ReadFile(filepath.Join(counterexamples, name))
	require.NoError(t, err)
	return pageOf(t, f, shrink.Replay(f))
}

func pageOf(t *testing.T, f shrink.File, v *properties.Verdict) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, shrink.HTML(&b, f, v))
	return b.String()
}

// reference matches an attribute or a CSS construct that can point
// outside the page.
var reference = regexp.MustCompile(`(?i)(?:src|href|action|xlink:href)\s*=\s*"([^"]*)"|url\(|@import`)

// Every kept counterexample's page is self-contained (no URL, no
// reference but to itself), its elements are closed, and it has one
// violation marker.
func TestHTMLIsSelfContained(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(counterexamples, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			got := page(t, name)
			require.True(t, strings.HasPrefix(got, "<!DOCTYPE html>\n"), "no doctype")
			require.NotContains(t, got, "http://")
			require.NotContains(t, got, "https://")
			require.NotContains(t, got, "<script", "the page needs no script")
			for _, m := range reference.FindAllStringSubmatch(got, -1) {
				require.True(t, strings.HasPrefix(m[1], "#"), "a reference outside the page: %s", m[0])
			}
			for _, tag := range []string{"html", "head", "body", "header", "section", "table", "tr", "td", "th", "div", "svg", "figure", "pre", "ul", "li", "p"} {
				open := len(regexp.MustCompile(`<`+tag+`[ >]`).FindAllString(got, -1))
				require.Equal(t, open, strings.Count(got, "</"+tag+">"), "<%s> elements are not all closed", tag)
			}
			require.Equal(t, 1, strings.Count(got, `id="violation"`), "not one violation marker")
		})
	}
}

// laneHeads matches the lanes' headings.
var laneHeads = regexp.MustCompile(`<th class="lane">([^<]*)</th>`)

// The H2 page has Report's lanes, its records in their lanes by step, the
// preemption and the violation marked, the records Report leaves out
// hidden but present, and a chart per device.
func TestHTMLShowsTheInterleaving(t *testing.T) {
	got := page(t, "H2.txt")
	var lanes []string
	for _, m := range laneHeads.FindAllStringSubmatch(got, -1) {
		lanes = append(lanes, m[1])
	}
	require.Equal(t, []string{"T1 client1", "T4 teardown", "T6 register a#1"}, lanes)

	require.Contains(t, got, `<h1>NO-UAF <span class="at">at step 90</span></h1>`)
	require.Contains(t, got, `<span class="section">NO-UAF (§15, S)</span>: after the release`)
	require.Contains(t, got, `<dd>06e0e7a734dcfe6a</dd>`)
	require.Contains(t, got, `<dd>bug H2</dd>`)
	require.Contains(t, got, "\n  probe b: wait g1; ok\n", "the program is missing")

	require.Regexp(t, `<tr class="preempt"><td class="step">50</td><td></td><td><div class="rec preempt">run \(preempts\)</div>`, got,
		"the preemption is not at step 50 in the teardown's lane")
	require.Regexp(t, `<tr id="violation" class="violation"><td class="step">90</td><td></td><td></td><td>(<div class="rec sched minor">run</div>)?<div class="rec fail">✗ NO-UAF: T6 reads the parent of device a#1, freed at step 62</div></td></tr>`, got,
		"the violation is not in the job's lane at step 90")
	require.Contains(t, got, `<div class="rec op">call DriverRegister A</div>`)
	require.Contains(t, got, `<div class="rec lock">lock dev:b#1</div>`, "the lock hand-off is missing")
	require.Contains(t, got, `<div class="rec decide minor">decide F-ADD-KOBJ=0</div>`, "a decision is missing")
	require.Contains(t, got, `<div class="rec lock minor">lock bus</div>`, "a lock within one step is missing")
	require.Contains(t, got, `<input type="checkbox" id="every">`)
	require.Contains(t, got, `#every:not(:checked) ~ table .minor { display: none; }`)

	require.Equal(t, 2, strings.Count(got, `<svg class="chart"`), "not a chart per device")
	require.Contains(t, got, "<b>a#1: refcount 0, released at step 61, freed at step 62</b>")
	require.Contains(t, got, "<title>step 49: T6 put AsyncRegister(1), count 1</title>")
	require.Contains(t, got, "<title>freed at step 62</title>")
	require.Contains(t, got, "3 tasks with nothing notable, without a lane: T2 client2, T3 client3, T5 deferred-worker.")
}

// A violation found after the run stopped gets a row of its own.
func TestHTMLMarksAViolationFoundAtQuiescence(t *testing.T) {
	got := page(t, "H3.txt")
	require.Contains(t, got, `<tr id="violation" class="violation"><td class="step">45</td><td colspan="2"><div class="rec fail">NO-LOST-TRIGGER violated, found by a check after the run stopped</div></td></tr>`)
}

// Every text of the page is escaped.
func TestHTMLEscapes(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H2.txt"))
	require.NoError(t, err)
	v := shrink.Replay(f)
	v.Failure.Msg = `<script>alert("x")</script> & <img src=//x>`
	got := pageOf(t, f, v)
	require.NotContains(t, got, "<script>")
	require.NotContains(t, got, "<img")
	require.Contains(t, got, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=//x&gt;")
}

// A run that passes has a page without a violation marker.
func TestHTMLOfAPass(t *testing.T) {
	f, err := shrink.ReadFile(filepath.Join(counterexamples, "H3.txt"))
	require.NoError(t, err)
	f.Options.Bug = ""
	v := shrink.Replay(f)
	require.Nil(t, v.Failure)
	got := pageOf(t, f, v)
	require.Contains(t, got, `<h1>pass <span class="at">every check held</span></h1>`)
	require.Contains(t, got, `<dd>the correct core, no stress mode</dd>`)
	require.NotContains(t, got, `id="violation"`)
	require.NotContains(t, got, `href="#violation"`)
}

// browsers are the names Debian and others give a Chromium-based browser.
var browsers = []string{"chromium", "chromium-browser", "google-chrome"}

// The H2 page renders in a headless Chromium: the DOM it builds has the
// lanes and the violation marker. Skipped under -short and, with a
// message saying what to install, when no browser is installed.
func TestHTMLRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped under -short")
	}
	var browser string
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skipf("no browser found (looked for %s on PATH): install one with apt-get install chromium", strings.Join(browsers, ", "))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "H2.html")
	require.NoError(t, os.WriteFile(path, []byte(page(t, "H2.txt")), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	require.NoError(t, err, "%s failed: %s", browser, stderr.String())

	got := string(dom)
	require.Contains(t, got, `<tr id="violation" class="violation">`, "the rendered DOM has no violation marker:\n%s", got)
	var lanes []string
	for _, m := range laneHeads.FindAllStringSubmatch(got, -1) {
		lanes = append(lanes, m[1])
	}
	require.Equal(t, []string{"T1 client1", "T4 teardown", "T6 register a#1"}, lanes, "the rendered DOM lacks the lanes")
	require.Contains(t, got, "✗ NO-UAF: T6 reads the parent of device a#1")
	require.Contains(t, got, `<svg class="chart"`)
}
