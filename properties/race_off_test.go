//go:build !race

package properties_test

// raceEnabled is true in binaries built with -race.
const raceEnabled = false
