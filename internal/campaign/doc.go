// Package campaign runs devstress campaigns: many executions of generated
// programs under generated schedules on the device core, split across
// worker processes and machines, with what they reached merged into one
// summary and each failure kept as a counterexample file.
//
// A campaign is a sequence of units numbered from 0. Unit i draws its
// program, stress modes and schedule from a seed derived only from the
// campaign's seed and i (UnitSeed), so a unit gives the same run wherever
// and whenever it runs. A shard k/n runs the units i with i mod n = k-1;
// within a shard, worker w of W runs the shard's j-th unit when j mod W
// = w. An execution budget (Config.Execs) bounds the unit indices, so the
// units a budgeted campaign runs, and hence its summary, do not depend on
// the number of workers, and the shards 1/n to n/n of a campaign together
// run exactly the units of the unsharded campaign.
//
// A unit is one execution, except under the exhaustive strategy, where it
// is one program whose schedules are enumerated (up to a bound).
//
// Workers are processes: Serve is a worker's side of the protocol (a Plan
// on the first line of its input, then "limit N" lines or the end of the
// input, which stops it after the unit in progress; one JSON Outcome line
// per unit on its output), Run the parent's, which merges the outcomes.
// Workers run in processes of their own because an execution checks that
// no goroutine outlives it by counting the process's goroutines: two
// executions in one process would see each other's.
package campaign
