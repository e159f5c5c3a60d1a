//go:build !race

package check

// raceEnabled is true when the test binary is built with -race: Run then
// also runs the code on real goroutines, where the race detector sees it.
const raceEnabled = false
