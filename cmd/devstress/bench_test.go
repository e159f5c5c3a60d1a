package main

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"testing"
)

// BenchmarkRunWorkers measures the executions per second of a campaign
// (devstress run, 5 seconds on the correct core) with 1 and with 2
// workers in the same invocation, and their ratio. Each b.N iteration
// runs both.
//
//	go test -run XXX -bench RunWorkers -benchtime 1x ./cmd/devstress
func BenchmarkRunWorkers(b *testing.B) {
	rate := func(workers int) float64 {
		out, err := exec.Command(binary, "run", "--json", "--time", "5s", "--seed", "1",
			"--workers", strconv.Itoa(workers), "--out", b.TempDir()).Output()
		if err != nil {
			b.Fatalf("devstress run --workers %d: %v", workers, err)
		}
		var s summaryJSON
		if err := json.Unmarshal(out, &s); err != nil {
			b.Fatal(err)
		}
		return float64(s.Executions) / (float64(s.ElapsedMS) / 1000)
	}
	var one, two float64
	for range b.N {
		one += rate(1)
		two += rate(2)
	}
	b.ReportMetric(one/float64(b.N), "execs/s-1worker")
	b.ReportMetric(two/float64(b.N), "execs/s-2workers")
	b.ReportMetric(two/one, "ratio")
}
