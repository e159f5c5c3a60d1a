package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

//go:embed spec_mutants.txt
var specMutantsText string

// SpecMutant is a hand-written targeted edit derived from the spec: in
// File, replace the snippet Orig by Repl; Rule is the spec rule the edit
// breaks.
type SpecMutant struct {
	Name, File, Rule, Desc string
	Orig, Repl             string
	Line                   int // of the "===" header in the list
}

// ParseSpecMutants reads the spec mutant list. Format, one block a mutant:
//
//	=== <name>
//	file: <file in the target dir>
//	rule: <spec section and rule>
//	desc: <one line>
//	--- original
//	<exact lines of the source>
//	+++ replacement
//	<lines replacing them; may be empty>
//
// Lines starting with "#" outside the snippets are comments.
func ParseSpecMutants(text string) ([]SpecMutant, error) {
	var out []SpecMutant
	var cur *SpecMutant
	section := ""
	var orig, repl []string
	flush := func() error {
		if cur == nil {
			return nil
		}
		if cur.File == "" || len(orig) == 0 {
			return fmt.Errorf("spec mutant %q (line %d): needs file: and a --- original snippet", cur.Name, cur.Line)
		}
		cur.Orig = strings.Join(trimBlankTail(orig), "\n")
		cur.Repl = strings.Join(trimBlankTail(repl), "\n")
		out = append(out, *cur)
		cur, orig, repl, section = nil, nil, nil, ""
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "=== "):
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &SpecMutant{Name: strings.TrimSpace(line[4:]), Line: n}
			continue
		case cur == nil:
			if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
				return nil, fmt.Errorf("spec mutants line %d: text outside a block", n)
			}
			continue
		case line == "--- original":
			section = "orig"
			continue
		case line == "+++ replacement":
			section = "repl"
			continue
		}
		switch section {
		case "orig":
			orig = append(orig, line)
		case "repl":
			repl = append(repl, line)
		default:
			if err := cur.setHeader(line, n); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range out {
		if seen[m.Name] {
			return nil, fmt.Errorf("spec mutant %q listed twice", m.Name)
		}
		seen[m.Name] = true
	}
	return out, sc.Err()
}

// setHeader reads line n of a block's header, a "key: value" line (file,
// rule or desc), into m; comments and blank lines are skipped.
func (m *SpecMutant) setHeader(line string, n int) error {
	if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
		return nil
	}
	k, v, ok := strings.Cut(line, ":")
	if !ok {
		return fmt.Errorf("spec mutants line %d: want key: value", n)
	}
	v = strings.TrimSpace(v)
	switch strings.TrimSpace(k) {
	case "file":
		m.File = v
	case "rule":
		m.Rule = v
	case "desc":
		m.Desc = v
	default:
		return fmt.Errorf("spec mutants line %d: unknown key %q", n, k)
	}
	return nil
}

func trimBlankTail(ls []string) []string {
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// Resolve turns a spec mutant into a Mutant on the sources of dir. The
// snippet must occur exactly once, either verbatim or line by line ignoring
// indentation and trailing blanks; otherwise the mutant is stale, with the
// reason in Stale.
func (s SpecMutant) Resolve(dir string) Mutant {
	abs, _ := filepath.Abs(filepath.Join(dir, s.File))
	m := Mutant{ID: "spec:" + s.Name, Kind: "spec", Op: "spec", File: abs, Desc: s.Desc, Rule: s.Rule}
	if m.Desc == "" {
		m.Desc = s.Rule
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		m.Stale = fmt.Sprintf("cannot read %s: %v", s.File, err)
		return m
	}
	edit, why := FindSnippet(src, s.Orig)
	if why != "" {
		m.Stale = fmt.Sprintf("%s: original snippet %s", s.File, why)
		return m
	}
	edit.Text = s.Repl
	m.Edits = []Edit{edit}
	return m
}

// FindSnippet locates snippet in src: verbatim, else line by line with
// leading and trailing white space ignored. It returns the range to
// replace, or a reason why it cannot ("not found", "found N times").
func FindSnippet(src []byte, snippet string) (Edit, string) {
	if n := bytes.Count(src, []byte(snippet)); n == 1 {
		i := bytes.Index(src, []byte(snippet))
		return Edit{Start: i, End: i + len(snippet)}, ""
	} else if n > 1 {
		return Edit{}, fmt.Sprintf("found %d times", n)
	}
	want := strings.Split(snippet, "\n")
	for i := range want {
		want[i] = strings.TrimSpace(want[i])
	}
	// Offsets of the starts of src's lines.
	var starts []int
	lines := strings.SplitAfter(string(src), "\n")
	o := 0
	for _, l := range lines {
		starts = append(starts, o)
		o += len(l)
	}
	var hits []Edit
	for i := 0; i+len(want) <= len(lines); i++ {
		ok := true
		for j, w := range want {
			if strings.TrimSpace(lines[i+j]) != w {
				ok = false
				break
			}
		}
		if ok {
			last := lines[i+len(want)-1]
			end := starts[i+len(want)-1] + len(strings.TrimRight(last, "\n"))
			hits = append(hits, Edit{Start: starts[i], End: end})
		}
	}
	switch len(hits) {
	case 0:
		return Edit{}, "not found (the source changed: update or drop this mutant)"
	case 1:
		return hits[0], ""
	}
	return Edit{}, fmt.Sprintf("found %d times (make it unique)", len(hits))
}
