package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/devstress/devstress/internal/campaign"
)

// bugsOptions is what the bugs command's flags ask for.
type bugsOptions struct {
	campaignFlags
	strategies []campaign.Strategy
	bugs       []campaign.KnownBug
	seeds      int
	execs      int
	json       bool
}

// parseBugs reads and checks the bugs command's flags; its error is a
// usage error (exit status 2) or the help request.
func parseBugs(args []string, stdout io.Writer) (bugsOptions, error) {
	fs := flag.NewFlagSet("bugs", flag.ContinueOnError)
	o := bugsOptions{strategies: campaign.Strategies, bugs: campaign.KnownBugs}
	o.register(fs, false)
	fs.Func("strategy", "comma-separated strategies (default mix,random,broad,rapid,pct,exhaustive,stress)", func(s string) error {
		o.strategies = nil
		for _, name := range strings.Split(s, ",") {
			st, err := campaign.ParseStrategy(name)
			if err != nil {
				return err
			}
			o.strategies = append(o.strategies, st)
		}
		return nil
	})
	fs.Func("bug", "comma-separated bug variants (default: all)", func(s string) error {
		o.bugs = nil
		for _, name := range strings.Split(s, ",") {
			b, err := campaign.ParseBug(name)
			if err != nil || b == "" {
				return fmt.Errorf("unknown bug variant %q", name)
			}
			for _, kb := range campaign.KnownBugs {
				if kb.Bug == b {
					o.bugs = append(o.bugs, kb)
				}
			}
		}
		return nil
	})
	fs.IntVar(&o.seeds, "seeds", 3, "hunt with the campaign seeds 1..N")
	fs.IntVar(&o.execs, "execs", 20000, "each hunt's execution budget (programs, for exhaustive)")
	fs.BoolVar(&o.json, "json", false, "print the scoreboard as JSON")
	pos, err := parse(fs, args, stdout, "[flags]")
	if err != nil {
		return o, err
	}
	if len(pos) > 0 {
		return o, usagef("bugs: unexpected argument %q", pos[0])
	}
	if err := o.validate(); err != nil {
		return o, err
	}
	if err := positive("seeds", o.seeds); err != nil {
		return o, err
	}
	return o, positive("execs", o.execs)
}

// bugsCmd prints the scoreboard: each known bug variant hunted by each
// strategy with seeds 1..N, each hunt a campaign bounded by --execs and
// stopped at its first failure, which is minimized.
func bugsCmd(args []string, stdout, _ io.Writer) (int, error) {
	o, err := parseBugs(args, stdout)
	if err != nil {
		return helpOr(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if !o.json {
		fmt.Fprintf(stdout, "%d seeds, at most %d executions each, %d workers\n\n", o.seeds, o.execs, o.workers)
		fmt.Fprintf(stdout, "%-5s %-10s %6s %12s %11s %-10s %-10s %s\n", "bug", "strategy", "found", "median execs", "median time", "minimized", "spec", "")
	}
	var scores []campaign.Score
	for _, kb := range o.bugs {
		for _, st := range o.strategies {
			sc := campaign.Score{Bug: kb.Bug, Strategy: st, Minimal: kb.Minimal}
			for seed := 1; seed <= o.seeds && ctx.Err() == nil; seed++ {
				c := o.config
				c.Seed, c.Strategy, c.Bug, c.Execs = uint64(seed), st, kb.Bug, o.execs
				h, err := campaign.HuntBug(ctx, c, campaign.Options{Workers: o.workers, Launch: launch})
				if err != nil {
					return 1, err
				}
				sc.Hunts = append(sc.Hunts, h)
			}
			if ctx.Err() != nil {
				return 130, fmt.Errorf("interrupted")
			}
			scores = append(scores, sc)
			if !o.json {
				writeScore(stdout, sc, o.seeds)
			}
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return 0, enc.Encode(scores)
	}
	return 0, nil
}

// writeScore writes one row of the scoreboard.
func writeScore(w io.Writer, sc campaign.Score, seeds int) {
	found := sc.Found()
	execs, wall := sc.Median()
	med, wt, size, how := "-", "-", "-", ""
	if found > 0 {
		med, wt = fmt.Sprint(execs), wall.Round(time.Millisecond).String()
	}
	if minimized := sc.Minimized(); minimized > 0 {
		l, v, within := sc.Worst()
		size, how = fmt.Sprint(l), v
		if within < minimized {
			how += fmt.Sprintf(" (%d of %d within)", within, minimized)
		}
	} else if found > 0 && sc.Strategy == campaign.Stress {
		how = "the baseline: free runs do not replay, so nothing is minimized"
	}
	for _, h := range sc.Hunts {
		if h.Err != "" {
			how += fmt.Sprintf(" (seed %d: %s)", h.Seed, h.Err)
		}
	}
	fmt.Fprintf(w, "%-5s %-10s %3d/%-2d %12s %11s %-10s %-10s %s\n", sc.Bug, sc.Strategy, found, seeds, med,
		wt, size, fmt.Sprint(sc.Minimal), how)
}
