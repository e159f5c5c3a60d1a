// Package gen draws the property suites' inputs with rapid: programs of
// device-core operations ([Programs]), the core's stress modes ([Stress])
// and the schedule ([Schedule]), all drawn so that rapid's shrinking
// removes whatever a failure does not need.
//
// It is apart from package properties, which runs and checks a program
// whatever chose it, so that a binary that never draws with rapid (the fuzz
// targets, whose engine scans every coverage counter the binary links after
// every execution) does not link rapid and what rapid links.
package gen
