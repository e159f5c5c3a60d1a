package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The generated table says what the doc comments say: it fails after a
// doc comment changed until go generate ./properties is run.
func TestTableIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	want, err := generate(root)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(root, tableFile))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "%s is stale: run go generate ./properties", tableFile)
}
