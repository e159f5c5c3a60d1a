package sut_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/devstress/devstress/internal/deps"
)

// The core links only what code under test may use: package conc and the
// standard library, never an engine, a strategy or a test framework.
func TestCoreLinksNoEngineNorTestFramework(t *testing.T) {
	linked, err := deps.Of(".")
	require.NoError(t, err)
	require.Contains(t, linked, "github.com/devstress/devstress/conc")
	for _, d := range linked {
		require.NotEqual(t, "github.com/devstress/devstress/sched", d, "sut links the engines")
		require.NotContains(t, d, "pgregory.net/rapid", "sut links rapid")
		require.False(t, deps.Testing(d), "sut links %s", d)
	}
}

// The core's concurrency is the runtime's (the package's Rules of the
// code): no go statement, and no import of sync, time or math/rand, in any
// file that is not a test. sync/atomic is allowed: it holds the fields the
// spec reads outside their lock, and adds no scheduling point.
func TestCoreUsesOnlyTheRuntimeForConcurrency(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			switch path {
			case "sync", "time", "math/rand", "math/rand/v2":
				t.Errorf("%s imports %s: use the runtime's primitives", fset.Position(imp.Pos()), path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				t.Errorf("%s: a go statement: spawn tasks with rt.Go", fset.Position(g.Pos()))
			}
			return true
		})
	}
	require.Positive(t, checked, "no file of the core was checked")
}
