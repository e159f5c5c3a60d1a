package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Mutant is one planted fault: a set of byte edits to one source file.
type Mutant struct {
	ID    string // file:line:col:operator, or spec:<name>
	Kind  string // "ast" or "spec"
	Op    string // operator name, or "spec"
	File  string // absolute path of the mutated file
	Desc  string // one line
	Rule  string // spec mutants: the rule of the spec the edit breaks
	Stale string // spec mutants: why the snippet does not apply ("" if it does)
	Edits []Edit // on the original source, non-overlapping
	pos   int    // offset of the mutant's position, for ordering
}

// Edit replaces src[Start:End] by Text.
type Edit struct {
	Start, End int
	Text       string
}

// Apply returns src with the edits applied (src is not modified).
func Apply(src []byte, edits []Edit) []byte {
	es := append([]Edit(nil), edits...)
	sort.Slice(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b bytes.Buffer
	last := 0
	for _, e := range es {
		b.Write(src[last:e.Start])
		b.WriteString(e.Text)
		last = e.End
	}
	b.Write(src[last:])
	return b.Bytes()
}

// The AST operators. Each models a real concurrency or lifetime bug or is a
// classic mutation operator.
var allOperators = []string{
	"delete-call",   // delete a call statement: a lost unlock/put/trigger/wait
	"swap-stmts",    // swap two adjacent statements: an ordering bug
	"negate-if",     // negate an if condition
	"and-or",        // && <-> ||
	"bool-literal",  // true <-> false
	"eq-neq",        // == <-> !=
	"relational",    // < <-> <=, > <-> >=
	"delete-return", // delete a return that ends an if body (missed early exit)
	"atomic-store",  // x.Store(true) <-> x.Store(false)
	"remove-else",   // delete an else branch
}

// instrumentation names calls that only report, check or format: emitting
// events, failing with a violation, API call/return records, simulated
// memory access checks, yield points and error/message construction. They
// are neither deleted nor swapped, and no expression inside them is
// mutated: a mutant there tests the oracle wiring, not the device core.
var instrumentation = map[string]bool{
	"emit": true, "fail": true, "call": true, "ret": true, "retBool": true,
	"access": true, "violation": true, "Yield": true, "errorf": true,
	"checkProbeStart": true, "checkDelQuiesced": true, "checkDriverQuiesced": true,
	"checkDrain": true, "checkDevice": true, "checkDeferLists": true,
	"enterDriver": true,
}

// checkOnly reports whether a statement list is an inline self-check: it
// calls fail (a violation report), so the if or case around it is oracle
// code, not device core.
// A list of instrumentation calls only (an if that only emits an event)
// counts too.
func checkOnly(list []ast.Stmt) bool {
	instr := len(list) > 0
	for _, s := range list {
		c := stmtCall(s)
		if c != nil && callName(c) == "fail" {
			return true
		}
		if c == nil || !isInstrumentation(c) {
			instr = false
		}
	}
	return instr
}

// faultOnly reports whether cond is just an injected-fault query
// (c.fault("F-…")): negating it changes the environment, not the core.
func faultOnly(cond ast.Expr) bool {
	return callName(cond) == "fault"
}

// skipFunc reports whether a function is reporting or checking code only:
// String/Error methods, the core's self-checks (check*, Check*), and the
// violation helpers.
func skipFunc(name string) bool {
	switch name {
	case "String", "Error", "violation", "fail", "n", "h", "Handle", "ErrName", "errorf":
		return true
	}
	return strings.HasPrefix(name, "check") || strings.HasPrefix(name, "Check")
}

// DefaultExclude lists the files of sut/ that are instrumentation, oracle or
// test environment rather than device core: events, snapshots, violations,
// Q1/Q2 checks and the free executor's settle, the simulated-memory and
// label ledgers, the registries, errors, the driver scripts (the simulated
// drivers) and yield names.
const DefaultExclude = "events.go,snapshot.go,violation.go,check.go,settle.go,memory.go,ledger.go,registry.go,errors.go,script.go,yields.go,doc.go"

// enumerator collects the AST mutants of one file.
type enumerator struct {
	fset *token.FileSet
	file string // absolute path
	rel  string // name used in IDs
	src  []byte
	ops  map[string]bool
	out  []Mutant
}

// EnumerateDir returns the AST mutants of the non-test .go files of dir,
// except the excluded base names, for the given operators (all if empty).
func EnumerateDir(dir string, exclude []string, ops []string) ([]Mutant, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(abs, "*.go"))
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, e := range exclude {
		if e = strings.TrimSpace(e); e != "" {
			skip[e] = true
		}
	}
	var all []Mutant
	for _, f := range names {
		base := filepath.Base(f)
		if strings.HasSuffix(base, "_test.go") || skip[base] {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ms, err := EnumerateSource(f, base, src, ops)
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

// EnumerateSource returns the AST mutants of one file's source. path is the
// file's absolute path (the overlay key); rel names it in IDs.
func EnumerateSource(path, rel string, src []byte, ops []string) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	e := &enumerator{fset: fset, file: path, rel: rel, src: src, ops: map[string]bool{}}
	if len(ops) == 0 {
		ops = allOperators
	}
	for _, o := range ops {
		e.ops[o] = true
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || skipFunc(fd.Name.Name) {
			continue
		}
		e.walk(fd.Body)
	}
	// Stable order: by position, then operator; IDs are unique.
	sort.SliceStable(e.out, func(i, j int) bool {
		a, b := e.out[i].pos, e.out[j].pos
		if a != b {
			return a < b
		}
		return e.out[i].Op < e.out[j].Op
	})
	seen := map[string]int{}
	for i := range e.out {
		id := e.out[i].ID
		if n := seen[id]; n > 0 {
			e.out[i].ID = fmt.Sprintf("%s#%d", id, n+1)
		}
		seen[id]++
	}
	return e.out, nil
}

func (e *enumerator) off(p token.Pos) int { return e.fset.Position(p).Offset }

func (e *enumerator) text(n ast.Node) string {
	return string(e.src[e.off(n.Pos()):e.off(n.End())])
}

// add records a mutant of operator op at pos.
func (e *enumerator) add(op string, pos token.Pos, desc string, edits ...Edit) {
	if !e.ops[op] {
		return
	}
	p := e.fset.Position(pos)
	e.out = append(e.out, Mutant{
		ID:    fmt.Sprintf("%s:%d:%d:%s", e.rel, p.Line, p.Column, op),
		Kind:  "ast",
		Op:    op,
		File:  e.file,
		Desc:  desc,
		Edits: edits,
		pos:   p.Offset,
	})
}

// oneLine shortens s to one line for descriptions.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 70 {
		s = s[:67] + "..."
	}
	return s
}

// callName is the called function's or method's name, "" if not a call.
func callName(n ast.Node) string {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "fmt" {
			return "fmt." + f.Sel.Name
		}
		return f.Sel.Name
	}
	return ""
}

func isInstrumentation(n ast.Node) bool {
	name := callName(n)
	return instrumentation[name] || strings.HasPrefix(name, "fmt.")
}

// stmtCall is the call of an expression, defer or go statement.
func stmtCall(s ast.Stmt) *ast.CallExpr {
	switch s := s.(type) {
	case *ast.ExprStmt:
		c, _ := s.X.(*ast.CallExpr)
		return c
	case *ast.DeferStmt:
		return s.Call
	case *ast.GoStmt:
		return s.Call
	}
	return nil
}

var bugName = regexp.MustCompile(`^Bug[A-Z0-9]`)

// mentionsBug reports whether n refers to a Bug variant or to cfg.Bug.
func mentionsBug(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.Ident:
			if bugName.MatchString(m.Name) {
				found = true
			}
		case *ast.SelectorExpr:
			if m.Sel.Name == "Bug" {
				found = true
			}
		}
		return !found
	})
	return found
}

// bugEq reports whether cond selects a bug variant (c.cfg.Bug == BugX
// somewhere in it, not under a negation by !=): its body is the
// deliberate historical bug.
func bugEq(cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(m ast.Node) bool {
		if b, ok := m.(*ast.BinaryExpr); ok && b.Op == token.EQL && (mentionsBug(b.X) || mentionsBug(b.Y)) {
			found = true
		}
		return !found
	})
	return found
}

// walk visits n, recording mutants and skipping bug variants and
// instrumentation.
func (e *enumerator) walk(n ast.Node) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.IfStmt:
			e.ifStmt(m)
			return false
		case *ast.SwitchStmt:
			if m.Init != nil {
				e.walk(m.Init)
			}
			if m.Tag != nil && !mentionsBug(m.Tag) {
				e.walk(m.Tag)
			}
			e.walk(m.Body)
			return false
		case *ast.CaseClause:
			if checkOnly(m.Body) {
				return false
			}
			for _, x := range m.List {
				if mentionsBug(x) {
					return false // case BugX: a deliberate historical bug
				}
			}
			for _, x := range m.List {
				e.walk(x)
			}
			e.block(m.Body)
			for _, s := range m.Body {
				e.walk(s)
			}
			return false
		case *ast.BlockStmt:
			e.block(m.List)
			return true
		case *ast.CallExpr:
			if isInstrumentation(m) {
				return false
			}
			if e.call(m) {
				e.walk(m.Fun) // the literal argument is the atomic-store mutant
				return false
			}
			return true
		case *ast.BinaryExpr:
			e.binary(m)
			return true
		case *ast.Ident:
			if m.Name == "true" || m.Name == "false" {
				to := "false"
				if m.Name == "false" {
					to = "true"
				}
				e.add("bool-literal", m.Pos(), fmt.Sprintf("replace %s by %s", m.Name, to),
					Edit{e.off(m.Pos()), e.off(m.End()), to})
			}
		}
		return true
	})
}

// ifStmt handles negate-if, delete-return and remove-else, and the bug
// variant rules: a condition naming a bug variant is not mutated, and the
// body of one selecting it (cfg.Bug == BugX) is skipped.
func (e *enumerator) ifStmt(s *ast.IfStmt) {
	if s.Init != nil {
		e.walk(s.Init)
	}
	if s.Else == nil && checkOnly(s.Body.List) {
		return // an inline self-check
	}
	bug := mentionsBug(s.Cond)
	if !bug && !faultOnly(s.Cond) {
		e.add("negate-if", s.Cond.Pos(), "negate `"+oneLine(e.text(s.Cond))+"`",
			Edit{e.off(s.Cond.Pos()), e.off(s.Cond.End()), "!(" + e.text(s.Cond) + ")"})
	}
	if !bug {
		e.walk(s.Cond)
	}
	if !bug || !bugEq(s.Cond) {
		if n := len(s.Body.List); n > 0 {
			if r, ok := s.Body.List[n-1].(*ast.ReturnStmt); ok {
				e.add("delete-return", r.Pos(), "delete the early exit `"+oneLine(e.text(r))+"` under `if "+oneLine(e.text(s.Cond))+"`",
					Edit{e.off(r.Pos()), e.off(r.End()), ""})
			}
		}
		e.walk(s.Body)
	}
	if s.Else != nil {
		e.add("remove-else", s.Else.Pos(), "remove the else branch of `if "+oneLine(e.text(s.Cond))+"`",
			Edit{e.off(s.Body.End()), e.off(s.Else.End()), ""})
		e.walk(s.Else)
	}
}

// block handles delete-call and swap-stmts on a statement list.
func (e *enumerator) block(list []ast.Stmt) {
	for i, s := range list {
		if c := stmtCall(s); c != nil && !isInstrumentation(c) {
			name := callName(c)
			if name != "" {
				e.add("delete-call", s.Pos(), "delete the call `"+oneLine(e.text(s))+"`",
					Edit{e.off(s.Pos()), e.off(s.End()), ""})
			}
		}
		if i+1 < len(list) && swappable(list[i]) && swappable(list[i+1]) {
			a, b := list[i], list[i+1]
			ta, tb := e.text(a), e.text(b)
			if ta != tb {
				e.add("swap-stmts", a.Pos(), "swap `"+oneLine(ta)+"` and `"+oneLine(tb)+"`",
					Edit{e.off(a.Pos()), e.off(a.End()), tb},
					Edit{e.off(b.Pos()), e.off(b.End()), ta})
			}
		}
	}
}

// swappable: statements whose order matters for behaviour and that can
// move without breaking the build by scope (no := or declarations, no
// control transfer) and are not instrumentation.
func swappable(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
		c := stmtCall(s)
		return c == nil || !isInstrumentation(c)
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			return false
		}
		for _, r := range s.Rhs {
			if isInstrumentation(r) {
				return false
			}
		}
		return true
	case *ast.IncDecStmt:
		return true
	case *ast.IfStmt:
		return s.Init == nil && !mentionsBug(s.Cond) && (s.Else != nil || !checkOnly(s.Body.List))
	}
	return false
}

// call handles atomic-store: x.Store(true) <-> x.Store(false). It reports
// whether c was such a call.
func (e *enumerator) call(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Store" || len(c.Args) != 1 {
		return false
	}
	id, ok := c.Args[0].(*ast.Ident)
	if !ok || (id.Name != "true" && id.Name != "false") {
		return false
	}
	to := "false"
	if id.Name == "false" {
		to = "true"
	}
	e.add("atomic-store", c.Pos(), fmt.Sprintf("%s stores %s instead of %s", oneLine(e.text(sel)), to, id.Name),
		Edit{e.off(id.Pos()), e.off(id.End()), to})
	return true
}

// binary handles and-or, eq-neq and relational.
func (e *enumerator) binary(b *ast.BinaryExpr) {
	swap := map[token.Token]struct {
		op, to string
	}{
		token.LAND: {"and-or", "||"}, token.LOR: {"and-or", "&&"},
		token.EQL: {"eq-neq", "!="}, token.NEQ: {"eq-neq", "=="},
		token.LSS: {"relational", "<="}, token.LEQ: {"relational", "<"},
		token.GTR: {"relational", ">="}, token.GEQ: {"relational", ">"},
	}
	r, ok := swap[b.Op]
	if !ok {
		return
	}
	start := e.off(b.OpPos)
	e.add(r.op, b.OpPos, fmt.Sprintf("replace %s by %s in `%s`", b.Op, r.to, oneLine(e.text(b))),
		Edit{start, start + len(b.Op.String()), r.to})
}
