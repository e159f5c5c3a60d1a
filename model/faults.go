package model

import "fmt"

// Injected fault points (§13). Each hit of a point counts, from 1, over the
// whole run; a Fault fires on exactly one hit.
const (
	FAddPriv     = "F-ADD-PRIV"     // DeviceAdd step 1, after the name check
	FAddKobj     = "F-ADD-KOBJ"     // DeviceAdd step 2, after the parent check, before the name claim
	FAddBus      = "F-ADD-BUS"      // DeviceAdd step 3, before linking
	FAddLate     = "F-ADD-LATE"     // DeviceAdd step 4
	FDrvAlloc    = "F-DRV-ALLOC"    // DriverRegister step 2, after the duplicate check
	FDrvGroups   = "F-DRV-GROUPS"   // DriverRegister step 5, after driver_attach
	FProbeLinks  = "F-PROBE-LINKS"  // really_probe step 2, each pass of it
	FProbeGroups = "F-PROBE-GROUPS" // really_probe step 5, after Probe returned nil
	FAsyncSync   = "F-ASYNC-SYNC"   // every AsyncSchedule, RegDomain included
)

// Fault is one fault-plan entry (§14.5): the Nth hit (from 1) of Point fails
// with Err. For F-ASYNC-SYNC, Err is ignored: the entry runs inline.
type Fault struct {
	Point string
	Nth   int
	Err   error
}

func (f Fault) String() string {
	return fmt.Sprintf("(%s, %d, %s)", f.Point, f.Nth, ErrorName(f.Err))
}

// hit counts one hit of point and returns the error the plan gives it, or
// nil; a hit that fires is reported as EvFault. For F-ASYNC-SYNC a firing entry with a nil Err still fires: the
// result is then ErrNoMem, which callers only test against nil.
func (s *State) hit(point string) error {
	s.hits[point]++
	n := s.hits[point]
	for _, f := range s.plan {
		if f.Point == point && f.Nth == n {
			s.emit(Event{Kind: EvFault, Label: point})
			for _, d := range s.attempts {
				d.stale = true // this attempt's outcome owes something to the fault
			}
			if f.Err == nil {
				return ErrNoMem
			}
			return f.Err
		}
	}
	return nil
}

// Hits returns how many times each injected point was hit so far.
func (s *State) Hits() map[string]int {
	out := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		out[k] = v
	}
	return out
}
