package sut

// YieldPoints are the names of the yield points (spec §12.2) the core
// marks with rt.Yield. Schedulers that place preemptions by name, such as
// rapidsched.New with rapidsched.Points, draw from this list. Locks and waits
// are scheduling points of the runtime itself and are not listed.
var YieldPoints = []string{
	"Y-ADD", "Y-ADD-VISIBLE", "Y-ADD-READY", "Y-DEL", "Y-KILL", "Y-ITER", "Y-MATCH",
	"Y-PROBE-PRE", "Y-PROBE-POST", "Y-DEFER-ADD", "Y-DEFER-RECHECK",
	"Y-REMOVE-PRE", "Y-REMOVE-POST", "Y-SCHED", "Y-REG-JOB", "Y-REF", "Y-RELEASE",
}
