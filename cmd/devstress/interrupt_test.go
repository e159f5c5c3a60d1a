package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An interrupt (Ctrl-C) ends a campaign after the executions in
// progress: the summary is printed and the exit status is 130 when nothing
// failed.
func TestInterruptPrintsTheSummary(t *testing.T) {
	cmd := exec.Command(binary, "run", "--time", "10m", "--seed", "1", "--workers", "2", "--progress", "1ms")
	cmd.Dir = t.TempDir()
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "the campaign ended before it showed progress: %s", stderr.String())
		if strings.HasPrefix(line, "progress: ") {
			break
		}
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	var ee *exec.ExitError
	require.ErrorAs(t, cmd.Wait(), &ee, "exit status 0 after an interrupt")
	require.Equal(t, 130, ee.ExitCode(), "%s", stderr.String())
	require.Empty(t, stderr.String())
	require.Regexp(t, `(?m)^  executions +\d+ in \S+ \(\d+/s, interrupted\)$`, string(rest))
	require.Regexp(t, `(?m)^  failures +0$`, string(rest))
}
