package check

// RaceEnabled exports raceEnabled to the tests.
const RaceEnabled = raceEnabled
