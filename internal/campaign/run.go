package campaign

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// Proc is a started worker: Serve runs on the other ends of In and Out.
// Wait waits for it to end, once Out is drained.
type Proc struct {
	In   io.WriteCloser
	Out  io.Reader
	Wait func() error
}

// A Launcher starts worker w of a campaign.
type Launcher func(w int) (*Proc, error)

// InProcess starts workers as goroutines of this process. An execution
// counts the process's goroutines to find leaks, so use it for one worker
// only (tests, examples); the command starts processes.
func InProcess(int) (*Proc, error) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Serve(inR, outW)
		outW.CloseWithError(err)
		_ = inR.Close()
		done <- err
	}()
	return &Proc{In: inW, Out: outR, Wait: func() error { return <-done }}, nil
}

// Options say how Run runs a campaign.
type Options struct {
	// Workers is the number of workers (default 1); Launch starts them
	// (default InProcess).
	Workers int
	Launch  Launcher
	// Time, when positive, bounds the campaign's time: the workers stop
	// after the units in progress when it is up.
	Time time.Duration
	// StopAtFirst ends the campaign at its first failure: no unit after the
	// first failing one in unit order runs, but every unit before it does.
	StopAtFirst bool
	// Progress, if set, is called every Interval (default 250ms) with the
	// campaign so far; Found with each failure as it arrives.
	Progress func(Progress)
	Interval time.Duration
	Found    func(Found)
}

// Progress is a campaign in progress.
type Progress struct {
	Executions, Interleavings, Failures int
	Elapsed                             time.Duration
	// Left is the time left of a time budget (0 without one); ExecsLeft
	// the units left of an execution budget (-1 without one).
	Left      time.Duration
	ExecsLeft int
}

// message is a worker's batch, or its end (batch nil).
type message struct {
	batch *Batch
	err   error
}

// Run runs campaign c and returns its summary. It stops when the units
// are done, the time is up, the first failure is in (StopAtFirst), or ctx
// is done (Summary.Interrupted): then every worker finishes its unit in
// progress, and what it found is in the summary. A worker that fails
// (cannot start, exits with an error, writes what is not an Outcome) ends
// the campaign with an error, and the summary of what came in before.
func Run(ctx context.Context, c Config, opt Options) (*Summary, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if opt.Workers < 1 {
		opt.Workers = 1
	}
	if opt.Launch == nil {
		opt.Launch = InProcess
	}
	if opt.Interval <= 0 {
		opt.Interval = 250 * time.Millisecond
	}
	r := &runner{opt: opt, s: newSummary(c, opt.Workers), start: time.Now(), msgs: make(chan message), limit: -1}
	r.launch(c)
	r.collect(ctx)
	r.stop()
	s := r.s
	s.Elapsed = time.Since(r.start)
	sort.Slice(s.Failures, func(a, b int) bool { return s.Failures[a].Index < s.Failures[b].Index })
	if r.limit >= 0 {
		s.Failures = s.Failures[:1]
	}
	return s, r.err
}

// runner is a campaign in progress: its workers, what came in from them,
// and its first error.
type runner struct {
	opt     Options
	s       *Summary
	start   time.Time
	msgs    chan message
	procs   []*Proc
	stopped bool
	// limit is one past the first failing unit of a StopAtFirst campaign
	// (-1 before it): outcomes at or past it are dropped.
	limit int
	err   error
}

// launch starts the workers and sends each its plan; a worker that cannot
// start stops the campaign with the error.
func (r *runner) launch(c Config) {
	for w := range r.opt.Workers {
		p, err := r.opt.Launch(w)
		if err != nil {
			r.fail(fmt.Errorf("starting worker %d: %w", w, err))
			return
		}
		r.procs = append(r.procs, p)
		// The reader starts before the plan: an in-process worker's first
		// execution counts the process's goroutines when it starts and
		// again when it ends, and a reader started in between would read
		// as a goroutine the execution leaked.
		go read(p, r.msgs)
		if err := sendPlan(p, Plan{Config: c, Worker: w, Workers: r.opt.Workers}); err != nil {
			r.fail(err)
			return
		}
	}
}

// collect merges what the workers send until every one has ended,
// reporting progress, and stops them when the time is up or ctx is done.
func (r *runner) collect(ctx context.Context) {
	var deadline <-chan time.Time
	if r.opt.Time > 0 {
		t := time.NewTimer(r.opt.Time)
		defer t.Stop()
		deadline = t.C
	}
	tick := time.NewTicker(r.opt.Interval)
	defer tick.Stop()
	done := ctx.Done()
	for live := len(r.procs); live > 0; {
		select {
		case m := <-r.msgs:
			if m.batch == nil {
				live--
				if m.err != nil {
					r.fail(m.err)
				}
				break
			}
			r.merge(m.batch)
		case <-tick.C:
			if r.opt.Progress != nil {
				r.opt.Progress(r.s.progress(time.Since(r.start), r.opt.Time))
			}
		case <-deadline:
			r.s.TimeUp = true
			r.stop()
		case <-done:
			r.s.Interrupted = true
			done = nil
			r.stop()
		}
	}
}

// merge adds a worker's batch to the summary and, at the first failure
// of a StopAtFirst campaign, tells every worker the limit.
func (r *runner) merge(b *Batch) {
	for _, o := range b.Units {
		if r.limit >= 0 && o.Index >= r.limit {
			continue
		}
		r.s.add(o, time.Since(r.start))
		f := o.Failure
		if f == nil {
			continue
		}
		if r.opt.Found != nil {
			r.opt.Found(*f)
		}
		if r.opt.StopAtFirst && (r.limit < 0 || f.Index+1 < r.limit) {
			r.limit = f.Index + 1
			for _, p := range r.procs {
				// The limit only spares a worker work: outcomes at or past
				// it are dropped above. The write fails only when the
				// worker is ending (its input closed by stop, or it
				// exited), which Wait reports.
				_, _ = fmt.Fprintf(p.In, "limit %d\n", r.limit)
			}
		}
	}
	if b.Coverage != nil {
		r.s.Coverage.Merge(b.Coverage)
	}
}

// fail records the campaign's first error and stops it.
func (r *runner) fail(err error) {
	if r.err == nil {
		r.err = err
		r.stop()
	}
}

// stop closes every worker's input, once: each finishes its unit in
// progress and ends.
func (r *runner) stop() {
	if !r.stopped {
		r.stopped = true
		for _, p := range r.procs {
			_ = p.In.Close()
		}
	}
}

// sendPlan sends worker p.Worker its plan.
func sendPlan(proc *Proc, p Plan) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := proc.In.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("starting worker %d: %w", p.Worker, err)
	}
	return nil
}

// read sends each Batch p writes to msgs, then p's end.
func read(p *Proc, msgs chan<- message) {
	sc := bufio.NewScanner(p.Out)
	sc.Buffer(nil, 64<<20)
	var err error
	for sc.Scan() {
		var b Batch
		if err = json.Unmarshal(sc.Bytes(), &b); err != nil {
			err = fmt.Errorf("a worker wrote %.60q: %w", sc.Text(), err)
			break
		}
		msgs <- message{batch: &b}
	}
	if err == nil {
		err = sc.Err()
	}
	if err != nil {
		_, _ = io.Copy(io.Discard, p.Out)
	}
	if werr := p.Wait(); werr != nil && !errors.Is(werr, io.ErrClosedPipe) {
		err = errors.Join(err, fmt.Errorf("a worker failed: %w", werr))
	}
	msgs <- message{err: err}
}
