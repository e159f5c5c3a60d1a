package properties_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sut"
	"github.com/stretchr/testify/require"
)

// fatalCases returns the invariant names of the case clauses of Fatal's
// switch, read from report.go's source.
func fatalCases(t *testing.T) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "report.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "Fatal" {
			continue
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, err := strconv.Unquote(lit.Value)
						require.NoError(t, err)
						names = append(names, s)
					}
				}
			}
			return true
		})
	}
	require.NotEmpty(t, names, "no case of Fatal's switch found in report.go")
	return names
}

// Every invariant Fatal names has a statement.
func TestDescribeEveryFatalCase(t *testing.T) {
	for _, name := range fatalCases(t) {
		_, ok := properties.Describe(name)
		require.True(t, ok, "Fatal names %s, which no documented constant names", name)
	}
}

// invariantName is how the code spells an invariant or oracle name: words
// of capitals joined by dashes. Fault points (F-), outcome points (S-) and
// yield points (Y-) have the same shape and are not invariants.
var invariantName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// namesInTheCode returns the names a failure can carry as the code that
// reports failures (sut, model, properties, sched) spells them: the values
// of its Inv* constants, and its invariant-shaped string literals (the model's checker spells the names the core checks too as
// literals).
func namesInTheCode(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, dir := range []string{"../sut", "../model", ".", "../sched"} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			require.NoError(t, err)
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ValueSpec:
					for i, id := range n.Names {
						if strings.HasPrefix(id.Name, "Inv") && i < len(n.Values) {
							if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								s, err := strconv.Unquote(lit.Value)
								require.NoError(t, err)
								names[s] = true
							}
						}
					}
				case *ast.BasicLit:
					s, err := strconv.Unquote(n.Value)
					if n.Kind == token.STRING && err == nil && invariantName.MatchString(s) &&
						!strings.HasPrefix(s, "F-") && !strings.HasPrefix(s, "S-") && !strings.HasPrefix(s, "Y-") {
						names[s] = true
					}
				}
				return true
			})
		}
	}
	return names
}

// Every name the code can give a failure has a statement: a new invariant
// cannot be added without a documented constant.
func TestDescribeEveryNameInTheCode(t *testing.T) {
	names := namesInTheCode(t)
	for _, name := range []string{"NO-UAF", "ADD-ONCE", "PANIC", "EVENT"} {
		require.Contains(t, names, name, "the scan missed a name of sut, model or properties")
	}
	for name := range names {
		_, ok := properties.Describe(name)
		require.True(t, ok, "%s appears in the code but no documented constant names it; document its constant as \"InvX (§N, when): what holds.\" and run go generate ./properties", name)
	}
}

// specSection matches a heading of the spec and captures its number:
// "## 15. Invariants" gives 15, "### 14.8 Teardown ..." gives 14.8.
var specSection = regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+)?)[. ]`)

// specInvariant matches an invariant's definition in §15 and captures its
// name and when it is checked: "- **NO-LEAK** (Q2): ..." gives NO-LEAK, Q2.
var specInvariant = regexp.MustCompile(`(?m)^- \*\*([A-Z0-9-]+)\*\* \(([^)]*)\):`)

// Each entry names a section that is a heading of the spec, says one or
// two sentences, and is listed once; every invariant §15 defines has an
// entry that says when it is checked as §15 does.
func TestDescribeSectionsExistInTheSpec(t *testing.T) {
	spec, err := os.ReadFile("../docs/spec/device-core.md")
	require.NoError(t, err)
	sections := map[string]bool{}
	for _, m := range specSection.FindAllStringSubmatch(string(spec), -1) {
		sections["§"+m[1]] = true
	}
	require.Contains(t, sections, "§15")
	require.Contains(t, sections, "§14.8")

	_, s15, ok := strings.Cut(string(spec), "\n## 15. Invariants\n")
	require.True(t, ok, "the spec has no §15 heading")
	s15, _, _ = strings.Cut(s15, "\n## ")

	seen := map[string]bool{}
	for _, inv := range properties.Invariants() {
		require.False(t, seen[inv.Name], "%s is listed twice", inv.Name)
		seen[inv.Name] = true
		require.True(t, sections[inv.Section()], "%s names %s, which is no heading of docs/spec/device-core.md", inv.Name, inv.Section())
		require.True(t, strings.HasSuffix(inv.Meaning, "."), "%s: the statement is not a sentence: %q", inv.Name, inv.Meaning)
		require.LessOrEqual(t, strings.Count(inv.Meaning, ". "), 1, "%s: more than two sentences: %q", inv.Name, inv.Meaning)
		if inv.Section() == "§15" {
			require.Contains(t, s15, inv.Name, "%s is listed under §15, which does not name it", inv.Name)
		}
		got, ok := properties.Describe(inv.Name)
		require.True(t, ok)
		require.Equal(t, inv, got)
	}

	defs := specInvariant.FindAllStringSubmatch(s15, -1)
	require.Greater(t, len(defs), 20, "the §15 definitions were not found")
	for _, m := range defs {
		inv, ok := properties.Describe(m[1])
		require.True(t, ok, "§15 defines %s, which no documented constant names", m[1])
		require.Equal(t, "§15, "+m[2], inv.Where, "%s: §15 checks it (%s)", m[1], m[2])
	}
}

// The statement names its constant, and the line is what a report prints.
func TestDescribeNoLeak(t *testing.T) {
	inv, ok := properties.Describe(sut.InvNoLeak)
	require.True(t, ok)
	require.Equal(t, "sut.InvNoLeak", inv.Const)
	require.Equal(t, "§15", inv.Section())
	require.Equal(t, "NO-LEAK (§15, Q2): every device was released exactly once and every ledger resource and driver priv freed.", inv.Line())
}

func TestDescribeAnUnknownName(t *testing.T) {
	for _, name := range []string{"", "NO-SUCH-INVARIANT", "no-uaf", "F-ADD-KOBJ"} {
		inv, ok := properties.Describe(name)
		require.False(t, ok, name)
		require.Zero(t, inv, name)
	}
}

// A failing verdict's report prints its invariant's statement on the line
// under the failure, and leaves the headline as it is.
func TestVerdictStringStatesTheInvariant(t *testing.T) {
	v := &properties.Verdict{Failure: &properties.Failure{Invariant: sut.InvNoLeak, Step: 7, Msg: "a#1 never released"}}
	first, rest, _ := strings.Cut(v.String(), "\n")
	require.Equal(t, "NO-LEAK at step 7: a#1 never released", first)
	require.True(t, strings.HasPrefix(rest, "  NO-LEAK (§15, Q2): every device was released exactly once"), "%s", v)
	require.NotContains(t, v.Headline(), "§15")
}
