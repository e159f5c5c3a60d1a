package sched

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// stackID parses the calling goroutine's id from its stack trace's header
// ("goroutine 18 [running]:"), the slow way the runtime documents; -1 if
// the header does not parse.
func stackID() int64 {
	var buf [64]byte
	fields := strings.Fields(string(buf[:runtime.Stack(buf[:], false)]))
	if len(fields) < 2 {
		return -1
	}
	id, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return -1
	}
	return id
}

// The fast goroutine id is the one the runtime prints, on this goroutine
// and on many at once, deep in a stack or not.
func TestGoroutineIDMatchesTheStack(t *testing.T) {
	require.Equal(t, stackID(), goroutineID())
	var wg sync.WaitGroup
	ids := make([][2]int64, 64)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var deep func(n int) [2]int64
			deep = func(n int) [2]int64 {
				if n == 0 {
					return [2]int64{goroutineID(), stackID()}
				}
				return deep(n - 1)
			}
			ids[i] = deep(i)
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, p := range ids {
		require.Positive(t, p[1], "goroutine %d: no id in its stack header", i)
		require.Equal(t, p[1], p[0], "goroutine %d", i)
		require.False(t, seen[p[0]], "two goroutines with id %d", p[0])
		seen[p[0]] = true
	}
}
