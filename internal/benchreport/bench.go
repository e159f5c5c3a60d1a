package main

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A benchLine is one result line of go test -bench: the benchmark's name
// without its -GOMAXPROCS suffix, its iterations and its metrics by unit.
type benchLine struct {
	Name       string
	Iterations int
	Metrics    map[string]float64
}

// procSuffix is the -GOMAXPROCS suffix go test appends to a name when it
// is not 1.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads the result lines of go test -bench output: a name
// starting "Benchmark", the iterations, then value-unit pairs. Other
// lines (logs, PASS, ok) are skipped.
func parseBench(out []byte) []benchLine {
	var lines []benchLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		l := benchLine{Name: procSuffix.ReplaceAllString(f[0], ""), Iterations: n, Metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			l.Metrics[f[i+1]] = v
		}
		lines = append(lines, l)
	}
	return lines
}

// A benchStat is the median of a benchmark's metric over its runs.
type benchStat struct {
	Name   string
	Median float64
	Runs   int
	Race   bool
}

// medians returns, per benchmark in the order of its first line, the
// median of unit over its lines (the upper one of an even count). A
// benchmark without the unit, or output without any, is an error.
func medians(out []byte, unit string) ([]benchStat, error) {
	var order []string
	values := map[string][]float64{}
	for _, l := range parseBench(out) {
		v, ok := l.Metrics[unit]
		if !ok {
			return nil, fmt.Errorf("benchmark %s reports no %s", l.Name, unit)
		}
		if _, seen := values[l.Name]; !seen {
			order = append(order, l.Name)
		}
		values[l.Name] = append(values[l.Name], v)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no benchmark result in the output:\n%s", out)
	}
	stats := make([]benchStat, len(order))
	for i, name := range order {
		vs := values[name]
		slices.Sort(vs)
		stats[i] = benchStat{Name: name, Median: vs[len(vs)/2], Runs: len(vs)}
	}
	return stats, nil
}
