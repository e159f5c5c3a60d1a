package model_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"testing"

	"github.com/devstress/devstress/model"
	"github.com/stretchr/testify/require"
)

// Every invariant name the model reports is a constant of invariants.go,
// and the spec defines each one: a failure's name can always be looked up
// in docs/spec/device-core.md.
func TestInvariantNamesAreTheSpecs(t *testing.T) {
	spec, err := os.ReadFile("../docs/spec/device-core.md")
	require.NoError(t, err)
	f, err := parser.ParseFile(token.NewFileSet(), "invariants.go", nil, parser.SkipObjectResolution)
	require.NoError(t, err)
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "invariants.go: %s is not a string literal", vs.Names[0])
				name, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				names = append(names, name)
			}
		}
		return true
	})
	require.GreaterOrEqual(t, len(names), 20, "invariants.go lists too few names to be the model's")
	for _, name := range names {
		if name == model.InvEvent { // the event checker's own: §12.3's vocabulary, no §15 entry
			continue
		}
		require.Contains(t, string(spec), name, "the spec does not define %s", name)
	}
}
