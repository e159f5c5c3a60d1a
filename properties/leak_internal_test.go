package properties

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A goroutine that outlives a run is a failure; one that ends late, as on
// a loaded machine, is not.
func TestCheckGoroutinesWaitsForLateEndsAndReportsLeaks(t *testing.T) {
	baseline := runtime.NumGoroutine()
	late := make(chan struct{})
	go func() { time.Sleep(300 * time.Millisecond); close(late) }()
	require.Nil(t, checkGoroutines(baseline), "a goroutine that ends within the patience is no leak")
	<-late

	old := leakPatience
	leakPatience = 50 * time.Millisecond
	defer func() { leakPatience = old }()
	// Other goroutines of the test binary may end meanwhile and lower the
	// count, so the baseline is taken just before, and three are left
	// blocked: a leak shows even if one unrelated goroutine ends.
	baseline = runtime.NumGoroutine()
	block := make(chan struct{})
	for range 3 {
		go func() { <-block }()
	}
	f := checkGoroutines(baseline)
	require.NotNil(t, f)
	require.Equal(t, "LEAKED-GOROUTINE", f.Invariant)
	require.Regexp(t, `^[1-3] goroutines outlive the run$`, f.Msg)
	close(block)
	leakPatience = old
	require.Nil(t, checkGoroutines(baseline))
}
