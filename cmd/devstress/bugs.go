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

// bugsCmd prints the scoreboard: each known bug variant hunted by each
// strategy with seeds 1..N, each hunt a campaign bounded by --execs and
// stopped at its first failure, which is minimized.
func bugsCmd(args []string, stdout, _ io.Writer) (int, error) {
	fs := flag.NewFlagSet("bugs", flag.ContinueOnError)
	var cf campaignFlags
	cf.register(fs, false)
	strategies := campaign.Strategies
	fs.Func("strategy", "comma-separated strategies (default mix,random,broad,rapid,pct,exhaustive,stress)", func(s string) error {
		strategies = nil
		for _, name := range strings.Split(s, ",") {
			st, err := campaign.ParseStrategy(name)
			if err != nil {
				return err
			}
			strategies = append(strategies, st)
		}
		return nil
	})
	bugs := campaign.KnownBugs
	fs.Func("bug", "comma-separated bug variants (default: all)", func(s string) error {
		bugs = nil
		for _, name := range strings.Split(s, ",") {
			b, err := campaign.ParseBug(name)
			if err != nil || b == "" {
				return fmt.Errorf("unknown bug variant %q", name)
			}
			for _, kb := range campaign.KnownBugs {
				if kb.Bug == b {
					bugs = append(bugs, kb)
				}
			}
		}
		return nil
	})
	seeds := fs.Int("seeds", 3, "hunt with the campaign seeds 1..N")
	execs := fs.Int("execs", 20000, "each hunt's execution budget (programs, for exhaustive)")
	asJSON := fs.Bool("json", false, "print the scoreboard as JSON")
	pos, err := parse(fs, args, stdout, "[flags]")
	if err != nil {
		return helpOr(err)
	}
	if len(pos) > 0 {
		return 2, usagef("bugs: unexpected argument %q", pos[0])
	}
	if err := cf.validate(); err != nil {
		return 2, err
	}
	if err := positive("seeds", *seeds); err != nil {
		return 2, err
	}
	if err := positive("execs", *execs); err != nil {
		return 2, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if !*asJSON {
		fmt.Fprintf(stdout, "%d seeds, at most %d executions each, %d workers\n\n", *seeds, *execs, cf.workers)
		fmt.Fprintf(stdout, "%-5s %-10s %6s %12s %11s %-10s %-10s %s\n", "bug", "strategy", "found", "median execs", "median time", "minimized", "spec", "")
	}
	var scores []campaign.Score
	for _, kb := range bugs {
		for _, st := range strategies {
			sc := campaign.Score{Bug: kb.Bug, Strategy: st, Minimal: kb.Minimal}
			for seed := 1; seed <= *seeds && ctx.Err() == nil; seed++ {
				c := cf.config
				c.Seed, c.Strategy, c.Bug, c.Execs = uint64(seed), st, kb.Bug, *execs
				h, err := campaign.HuntBug(ctx, c, campaign.Options{Workers: cf.workers, Launch: launch})
				if err != nil {
					return 1, err
				}
				sc.Hunts = append(sc.Hunts, h)
			}
			if ctx.Err() != nil {
				return 130, fmt.Errorf("interrupted")
			}
			scores = append(scores, sc)
			if !*asJSON {
				writeScore(stdout, sc, *seeds)
			}
		}
	}
	if *asJSON {
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
