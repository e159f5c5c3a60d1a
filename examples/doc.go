// Package examples holds user programs tested with package check, one
// package each, every one with its bug and its fixed twin:
//
//   - bank: an account whose Deposit forgets its lock (a lost update);
//   - cache: a cache that checks for a key, then loads it, unlocked in
//     between (check-then-act: the value is loaded twice);
//   - lockorder: transfers that lock two accounts in argument order (an
//     ABBA deadlock).
//
// Each test asserts that check finds the bug and shrinks it to the fewest
// preemptions it needs, and that the fixed twin passes check.Run.
package examples
