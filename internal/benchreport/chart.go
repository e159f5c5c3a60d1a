package main

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"

	"github.com/devstress/devstress/internal/campaign"
)

// The chart's geometry, in SVG user units.
const (
	chartLeft  = 70  // room for the bug names
	chartWidth = 640 // the time axis
	chartRight = 40  // room for the not-found marks
	rowHeight  = 7   // one strategy's line within a bug's band
	bandGap    = 8   // between bugs' bands
	legendRow  = 16
)

// palette colours the strategies in the report's order, then the fuzz
// targets.
var palette = []string{"#d62728", "#7f7f7f", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#ff7f0e", "#000000"}

// A series is one strategy's line in every bug's band.
type series struct {
	label string
	// point returns, for bug i, whether the series ran on it, whether
	// any hunt found it, whether all did, and the median and 0.9-quantile
	// times.
	point func(i int) (ran, any, all bool, median, p90 time.Duration)
}

// chart writes the time-to-detect chart: for every bug a band with a line
// per strategy, a dot at the median time to the first failure (hollow
// when some seeds missed), a whisker to the 0.9-quantile, a cross past
// the axis when no seed found it, nothing where it did not run; the time axis is logarithmic, with the
// one-second goal marked.
func (r *report) chart(w *strings.Builder) {
	var ss []series
	for _, sr := range r.Runs {
		ss = append(ss, series{label: sr.Label, point: func(i int) (bool, bool, bool, time.Duration, time.Duration) {
			sc := sr.Scores[i]
			_, m := sc.Median()
			_, p := sc.Quantile(0.9)
			return true, sc.Found() > 0, sc.Found() == len(sc.Hunts), m, p
		}})
	}
	for _, target := range r.fuzzTargets() {
		ss = append(ss, series{label: "Fuzz" + target + " (empty corpus)", point: func(i int) (bool, bool, bool, time.Duration, time.Duration) {
			for _, f := range r.Fuzz {
				if f.Target == target && f.Corpus == "empty" && f.Bug == string(campaign.KnownBugs[i].Bug) {
					return true, f.Found > 0, f.Found == f.Runs, f.time(), f.time()
				}
			}
			return false, false, false, 0, 0
		}})
	}
	lo, hi := r.decades()
	x := func(d time.Duration) float64 {
		return chartLeft + chartWidth*(math.Log10(d.Seconds())-lo)/(hi-lo)
	}
	legendH := legendRow * ((len(ss) + 2) / 3)
	band := rowHeight*len(ss) + bandGap
	top := legendH + 24
	height := top + band*len(campaign.KnownBugs) + 10
	width := chartLeft + chartWidth + chartRight
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(w, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	for i, s := range ss {
		lx, ly := 10+(i%3)*240, 14+(i/3)*legendRow
		fmt.Fprintf(w, `<circle cx="%d" cy="%d" r="4" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx+4, ly-4, palette[i%len(palette)], lx+12, ly, html.EscapeString(s.label))
	}
	for e := lo; e <= hi; e++ {
		d := time.Duration(math.Pow(10, e) * float64(time.Second))
		fmt.Fprintf(w, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n",
			x(d), top, x(d), height-10, x(d), top-4, d)
	}
	fmt.Fprintf(w, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d62728" stroke-dasharray="4 3"/>`+"\n", x(goalTime), top, x(goalTime), height-10)
	for i, kb := range campaign.KnownBugs {
		y0 := top + i*band + bandGap/2
		fmt.Fprintf(w, `<text x="6" y="%d">%s</text>`+"\n", y0+band/2, kb.Bug)
		if i > 0 {
			fmt.Fprintf(w, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="#eee"/>`+"\n", y0-bandGap/2, width, y0-bandGap/2)
		}
		for j, s := range ss {
			y := float64(y0 + j*rowHeight + rowHeight/2)
			c := palette[j%len(palette)]
			ran, found, all, m, p := s.point(i)
			if !ran {
				continue
			}
			if !found {
				fmt.Fprintf(w, `<text x="%d" y="%.1f" fill="%s" font-size="9" text-anchor="middle">×</text>`+"\n", chartLeft+chartWidth+20, y+3, c)
				continue
			}
			fill := c
			if !all {
				fill = "white"
			}
			fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/><circle cx="%.1f" cy="%.1f" r="3" fill="%s" stroke="%s"/>`+"\n",
				x(m), y, x(p), y, c, x(m), y, fill, c)
		}
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" fill="#555" text-anchor="end">median time to the first failure (dot), to the 0.9-quantile (whisker); hollow: not every seed; ×: none</text>`+"\n", width-4, height-1)
	fmt.Fprintln(w, "</svg>")
}

// fuzzTargets returns the fuzz targets timed from an empty corpus (the
// chart's; a seed corpus holds the known bugs' programs), in the order
// first seen.
func (r *report) fuzzTargets() []string {
	var ts []string
	seen := map[string]bool{}
	for _, f := range r.Fuzz {
		if f.Corpus == "empty" && !seen[f.Target] {
			seen[f.Target] = true
			ts = append(ts, f.Target)
		}
	}
	return ts
}

// decades returns the time axis's first and last powers of ten (of
// seconds): from the decade of the fastest find (at most 1 ms) to that of
// the slowest 0.9-quantile (at least 10 s).
func (r *report) decades() (lo, hi float64) {
	fast, slow := time.Millisecond, 10*time.Second
	note := func(d time.Duration) {
		if d > 0 {
			fast, slow = min(fast, d), max(slow, d)
		}
	}
	for _, sr := range r.Runs {
		for _, sc := range sr.Scores {
			_, m := sc.Quantile(0)
			_, p := sc.Quantile(0.9)
			note(m)
			note(p)
		}
	}
	for _, f := range r.Fuzz {
		if f.Corpus == "empty" && f.Found > 0 {
			note(f.time())
		}
	}
	return math.Floor(math.Log10(fast.Seconds())), math.Ceil(math.Log10(slow.Seconds()))
}
