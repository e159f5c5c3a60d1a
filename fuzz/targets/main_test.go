package targets

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"go.uber.org/goleak"
)

// TestMain runs a fuzz worker process (go test -fuzz starts them with
// -test.fuzzworker) on one processor unless GOMAXPROCS is set, as the
// campaign's workers do. A target's executions run on the controlled
// runtime, which runs one task at a time and hands off between goroutines
// at every step; with idle processors, each hand-off wakes another thread
// for nothing. One worker on one processor runs more executions than on
// two, for less CPU, and fuzzing scales by workers instead: their number
// (-test.parallel) defaults to the processors the coordinator saw when its
// flags were registered, before TestMain. The coordinator, which also runs
// the package's tests, and plain test runs (with -race too) are left as
// they are; the package has no tests of the free runtime anyway.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" && os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	goleak.VerifyTestMain(m)
}
