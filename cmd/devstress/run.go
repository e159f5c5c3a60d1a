package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/devstress/devstress/internal/campaign"
	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/shrink"
)

// defaultTime is the time budget of a campaign given no budget.
const defaultTime = 30 * time.Second

// campaignFlags are the flags run and bugs share: the strategy and its
// parameters, the workers.
type campaignFlags struct {
	config  campaign.Config
	workers int
}

// register adds the flags to fs; run's --strategy (one strategy) only
// when one is true, since bugs takes a list.
func (cf *campaignFlags) register(fs *flag.FlagSet, one bool) {
	cf.config.Strategy = campaign.DefaultStrategy
	if one {
		cf.strategy(fs)
	}
	fs.IntVar(&cf.config.Depth, "depth", campaign.DefaultDepth, "pct: the depth (bugs of this many ordering constraints)")
	fs.IntVar(&cf.config.Preemptions, "preemptions", campaign.DefaultPreemptions, "exhaustive: at most this many preemptions per schedule")
	fs.IntVar(&cf.config.PerProgram, "per-program", campaign.DefaultPerProgram, "exhaustive: at most this many schedules per program")
	fs.IntVar(&cf.workers, "workers", runtime.NumCPU(), "worker processes")
}

// strategy adds --strategy, one strategy.
func (cf *campaignFlags) strategy(fs *flag.FlagSet) {
	fs.Func("strategy", "mix, random, broad, rapid, pct, exhaustive, or stress (the baseline) (default "+string(campaign.DefaultStrategy)+")", func(s string) error {
		st, err := campaign.ParseStrategy(s)
		cf.config.Strategy = st
		return err
	})
}

func (cf *campaignFlags) validate() error {
	if err := positive("workers", cf.workers); err != nil {
		return err
	}
	if cf.config.Depth < 1 {
		return usagef("--depth %d: want a positive integer", cf.config.Depth)
	}
	if cf.config.Preemptions < 0 {
		return usagef("--preemptions %d: want 0 or more", cf.config.Preemptions)
	}
	return positive("per-program", cf.config.PerProgram)
}

// runCmd runs a campaign: progress while it runs, then each kept
// failure's counterexample file with its report, then the summary. Exit
// status 1 when it found a failure, 130 when interrupted without one.
func runCmd(args []string, stdout, stderr io.Writer) (int, error) {
	o, code, err := parseRun(args, stdout)
	if o == nil {
		return code, err
	}
	cf, out, budget := o.campaign, o.out, o.budget
	created := !exists(out)
	store, err := campaign.NewStore(out, o.keep)
	if err != nil {
		return 1, fmt.Errorf("--out %s: cannot write counterexample files there: %w", out, err)
	}
	pw := stdout
	if o.json {
		pw = stderr
	}
	prog := &progress{w: pw, terminal: isTerminal(os.Stdout) && !o.json, period: o.period}
	if prog.terminal {
		prog.period = 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var recordErr error
	s, runErr := campaign.Run(ctx, cf.config, campaign.Options{
		Workers: cf.workers, Launch: launch, Time: budget, Progress: prog.update, Interval: prog.interval(),
		Found: func(f campaign.Found) {
			if _, err := store.Record(f); err != nil && recordErr == nil {
				recordErr = err
			}
		},
	})
	stop() // a second interrupt ends the command; the recorded files are written
	prog.done()
	if s == nil {
		return 2, runErr
	}
	if n := store.Recorded(); n > 0 && prog.terminal {
		fmt.Fprintf(pw, "minimizing %d counterexamples...", n)
		prog.shown = true
	}
	kept, keepErr := store.Minimize()
	prog.done()
	if created {
		_ = os.Remove(out) // only if empty: no failure was written
	}
	if o.json {
		err = writeJSON(stdout, s, kept)
	} else {
		err = writeRun(stdout, s, kept)
	}
	code = 0
	switch {
	case len(s.Failures) > 0:
		code = 1
	case s.Interrupted:
		code = 130
	}
	return code, errors.Join(runErr, recordErr, keepErr, err)
}

// runOptions are devstress run's flags, checked.
type runOptions struct {
	campaign campaignFlags
	// budget is the time budget (0: none, with an execution budget).
	budget time.Duration
	out    string
	keep   int
	json   bool
	// period is that of the progress lines when not on a terminal.
	period time.Duration
}

// parseRun reads devstress run's flags. It returns nil options, with the
// command's exit status and error, when the command ends there: on -h or
// on bad input.
func parseRun(args []string, stdout io.Writer) (*runOptions, int, error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var cf campaignFlags
	cf.register(fs, true)
	budget := fs.Duration("time", 0, "time budget (default 30s when --execs is not given)")
	fs.IntVar(&cf.config.Execs, "execs", 0, "execution budget: run the campaign's executions 0..N-1 (programs, for exhaustive)")
	seed := fs.Uint64("seed", 0, "the campaign's seed (default: a random one, printed)")
	fs.Func("bug", "run against a known bug variant (H1 ... H10B)", func(s string) error {
		b, err := campaign.ParseBug(s)
		cf.config.Bug = b
		return err
	})
	fs.Func("shard", "run part k of n of the campaign (k/n)", func(s string) error {
		sh, err := campaign.ParseShard(s)
		cf.config.Shard = sh
		return err
	})
	out := fs.String("out", "devstress-out", "directory for the counterexample files")
	keep := fs.Int("keep", campaign.DefaultKeep, "keep at most this many failures of each invariant as files")
	asJSON := fs.Bool("json", false, "print the summary as JSON (progress goes to the standard error)")
	period := fs.Duration("progress", 5*time.Second, "period of the progress lines when the output is not a terminal (0: none)")
	pos, err := parse(fs, args, stdout, "[flags]")
	if err != nil {
		code, err := helpOr(err)
		return nil, code, err
	}
	if len(pos) > 0 {
		return nil, 2, usagef("run: unexpected argument %q", pos[0])
	}
	if err := cf.validate(); err != nil {
		return nil, 2, err
	}
	switch {
	case *budget < 0:
		return nil, 2, usagef("--time %s: want a positive duration", *budget)
	case cf.config.Execs < 0:
		return nil, 2, usagef("--execs %d: want a positive integer", cf.config.Execs)
	case *keep < 1:
		return nil, 2, usagef("--keep %d: want a positive integer", *keep)
	case *budget == 0 && cf.config.Execs == 0:
		*budget = defaultTime
	}
	cf.config.Seed = *seed
	if !isSet(fs, "seed") {
		cf.config.Seed = rand.Uint64()
	}
	return &runOptions{campaign: cf, budget: *budget, out: *out, keep: *keep, json: *asJSON, period: *period}, 0, nil
}

// writeRun writes each kept counterexample (its path, how it was
// minimized, its report and replay line), the failures without a file
// (headline, the invariant's statement and why there is no file), then
// the summary.
func writeRun(w io.Writer, s *campaign.Summary, kept []campaign.Kept) error {
	for _, k := range kept {
		how := fmt.Sprintf("minimized: %s", k.Stats)
		if k.Err != nil {
			how = fmt.Sprintf("not minimized: %v", k.Err)
		}
		fmt.Fprintf(w, "counterexample written to %s (%s; failures of executions %v)\n\n", k.Path, how, k.Units)
		if err := shrink.Report(w, k.File, shrink.Replay(k.File), replayLine(k.Path)); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	for _, f := range s.Failures {
		if f.File == "" {
			fmt.Fprintf(w, "execution %d: %s\n", f.Index, f.Headline)
			if inv, ok := properties.Describe(f.Invariant); ok {
				fmt.Fprintf(w, "  %s\n", inv.Line())
			}
			fmt.Fprintf(w, "  not recorded as a file: %s\n\n", f.Err)
		}
	}
	return s.Write(w)
}

// summaryJSON is the summary --json prints.
type summaryJSON struct {
	Seed                      uint64
	Strategy                  campaign.Strategy
	Bug                       string
	Shard                     string
	Workers                   int
	Executions, Units         int
	Interleavings             int
	Digests                   []string
	Preemptions, Faults       int
	Sequential                int
	Covered                   map[string][2]int
	Missing                   []string
	Failures                  []failureJSON
	ElapsedMS                 int64
	TimeUp, Interrupted       bool
	Counterexamples           []string
	CounterexamplesNotWritten int
}

type failureJSON struct {
	Execution int
	Invariant string
	Headline  string
}

func writeJSON(w io.Writer, s *campaign.Summary, kept []campaign.Kept) error {
	c := s.Config
	j := summaryJSON{Seed: c.Seed, Strategy: c.Strategy, Bug: string(c.Bug), Shard: c.Shard.String(), Workers: s.Workers,
		Executions: s.Executions, Units: s.Units, Interleavings: s.Interleavings(), Digests: s.Digests(),
		Preemptions: s.Preemptions, Faults: s.Faults(), Sequential: s.Sequential, Covered: map[string][2]int{}, Missing: s.Coverage.Missing(),
		ElapsedMS: s.Elapsed.Milliseconds(), TimeUp: s.TimeUp, Interrupted: s.Interrupted}
	for _, g := range campaign.Groups {
		r, e := s.Covered(g.Prefix)
		j.Covered[g.Name] = [2]int{r, e}
	}
	for _, f := range s.Failures {
		j.Failures = append(j.Failures, failureJSON{f.Index, f.Invariant, f.Headline})
		if f.File == "" {
			j.CounterexamplesNotWritten++
		}
	}
	for _, k := range kept {
		j.Counterexamples = append(j.Counterexamples, k.Path)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// isSet says whether the flag name was given.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
