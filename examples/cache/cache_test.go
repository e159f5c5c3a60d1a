package cache_test

import (
	"fmt"
	"testing"

	"github.com/devstress/devstress/check"
	"github.com/devstress/devstress/examples/cache"
	"github.com/devstress/devstress/internal/examplebench"
	"github.com/devstress/devstress/sched"
	"github.com/stretchr/testify/require"
)

// getter is what both twins offer.
type getter interface{ Get(key string) int }

// twoReaders is the test: two tasks get the same key from a new cache; the
// loader must run once.
func twoReaders[C getter](newCache func(sched.Runtime, cache.Loader) C) check.Setup {
	return func(rt sched.Runtime) func() error {
		loads := 0
		c := newCache(rt, func(key string) int { loads++; return len(key) })
		rt.Go("reader", func() { c.Get("config") })
		rt.Go("reader", func() { c.Get("config") })
		return func() error {
			if loads != 1 {
				return fmt.Errorf("config loaded %d times", loads)
			}
			return nil
		}
	}
}

func TestFixedCacheLoadsOnce(t *testing.T) {
	check.Run(t, twoReaders(cache.NewFixed))
}

// The double load is found and shrunk to one preemption: the first reader
// is switched away from between its miss and its load.
func TestCacheLoadsTwice(t *testing.T) {
	f := check.Find(twoReaders(cache.New))
	require.NotNil(t, f, "check did not find the double load")
	t.Log(f)
	require.True(t, f.Final)
	require.EqualError(t, f.Err, "config loaded 2 times")
	require.Equal(t, 1, f.Trace.Preemptions())
}

// BenchmarkFindAndShrink is the time check.Find takes to find the bug and
// shrink it, with the size check measures and a size set by hand.
func BenchmarkFindAndShrink(b *testing.B) { examplebench.FindAndShrink(b, twoReaders(cache.New)) }
