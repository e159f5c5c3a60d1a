package main

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"

	"github.com/devstress/devstress/internal/campaign"
)

// workerCmd is a campaign's worker process (campaign.Serve on the
// standard input and output). It ignores interrupts, which a terminal
// sends to the whole process group: the parent stops it by closing its
// input, after the unit in progress.
//
// A worker runs on one processor (GOMAXPROCS 1) unless GOMAXPROCS is set:
// the controlled runtime runs one task at a time and hands off between
// goroutines at every step, which costs a wake-up of another thread when
// there are idle processors. One worker on one processor runs about 1.5x
// the executions of one on two (BenchmarkRunWorkers), and the campaign
// scales by workers instead.
func workerCmd(_ []string, stdout, _ io.Writer) (int, error) {
	signal.Ignore(os.Interrupt)
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	return 0, campaign.Serve(os.Stdin, stdout)
}

// launch starts a worker as a process of this executable.
func launch(int) (*campaign.Proc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "worker")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &campaign.Proc{In: in, Out: out, Wait: cmd.Wait}, nil
}
