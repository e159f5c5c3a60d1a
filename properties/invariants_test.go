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

// Every invariant Fatal names has a meaning.
func TestInvariantMeaningForEveryFatalCase(t *testing.T) {
	for _, name := range fatalCases(t) {
		_, text, ok := properties.Meaning(name)
		require.True(t, ok, "Fatal names %s, which has no entry in properties/invariants.go", name)
		require.NotEmpty(t, text, name)
	}
}

// invariantName is how the code spells an invariant or oracle name: words
// of capitals joined by dashes. Fault points (F-), outcome points (S-) and
// yield points (Y-) have the same shape and are not invariants.
var invariantName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// Every invariant-shaped string literal of the code that reports failures
// (sut, model, properties, sched) has a meaning, and so have the oracles
// with one-word names: a new invariant cannot be added without one.
func TestInvariantMeaningForEveryNameInTheCode(t *testing.T) {
	names := map[string]bool{"PANIC": true, "RUNTIME": true, "EVENT": true}
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
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && invariantName.MatchString(s) && !strings.HasPrefix(s, "F-") &&
					!strings.HasPrefix(s, "S-") && !strings.HasPrefix(s, "Y-") {
					names[s] = true
				}
				return true
			})
		}
	}
	require.Contains(t, names, "NO-UAF", "the scan found no invariant name")
	for name := range names {
		_, _, ok := properties.Meaning(name)
		require.True(t, ok, "%s appears in the code but has no entry in properties/invariants.go", name)
	}
}

// specSection matches a heading of the spec and captures its number:
// "## 15. Invariants" gives 15, "### 14.8 Teardown ..." gives 14.8.
var specSection = regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+)?)[. ]`)

// Each entry names a section that is a heading of the spec, says something,
// and is listed once; the §15 entries are the names §15 defines in bold.
func TestInvariantSectionsExistInTheSpec(t *testing.T) {
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
		require.True(t, sections[inv.Section], "%s names %s, which is no heading of docs/spec/device-core.md", inv.Name, inv.Section)
		require.True(t, strings.HasSuffix(inv.Meaning, "."), "%s: the meaning is not a sentence: %q", inv.Name, inv.Meaning)
		if inv.Section == "§15" {
			require.Contains(t, s15, inv.Name, "%s is listed under §15, which does not name it", inv.Name)
		}
		section, text, ok := properties.Meaning(inv.Name)
		require.True(t, ok)
		require.Equal(t, inv.Section, section)
		require.Equal(t, inv.Meaning, text)
	}
}

func TestInvariantMeaningOfAnUnknownName(t *testing.T) {
	for _, name := range []string{"", "NO-SUCH-INVARIANT", "no-uaf", "F-ADD-KOBJ"} {
		section, text, ok := properties.Meaning(name)
		require.False(t, ok, name)
		require.Empty(t, section, name)
		require.Empty(t, text, name)
	}
}
