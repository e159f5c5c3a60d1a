package campaign

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/devstress/devstress/properties"
)

// Plan is what one worker runs: a campaign's units of its shard that fall
// in its stripe, Worker of Workers (0 <= Worker < Workers).
type Plan struct {
	Config          Config
	Worker, Workers int
}

// units calls run with the global index of each of the plan's units in
// order, while it returns true and the index is below the campaign's
// budget.
func (p Plan) units(run func(i int) bool) {
	offset, stride := p.Config.Shard.norm()
	for j := p.Worker; ; j += p.Workers {
		i := offset + j*stride
		if p.Config.Execs > 0 && i >= p.Config.Execs || !run(i) {
			return
		}
	}
}

// batchInterval is how long a worker gathers outcomes before it writes
// them as one Batch: one line per unit, each with its coverage, cost the
// parent a third of a core in JSON decoding.
const batchInterval = 100 * time.Millisecond

// Batch is what a worker writes, as one JSON line: the outcomes of the
// units it ran since its last batch, in order and without their coverage,
// and their coverage merged.
type Batch struct {
	Units    []Outcome
	Coverage *properties.Coverage
}

// Serve is a worker: it reads a Plan (JSON, one line) from in, then runs
// the plan's units in order, writing their outcomes to out as Batches: a
// batch when batchInterval has passed since the last one, when a unit
// failed (so that a campaign that stops at its first failure learns of
// it at once), and at the end. It stops when the plan's units are done, or after the unit in
// progress when in ends (the parent closed it), and skips the units at or
// above the last limit read: a line "limit N" on in, after the plan.
func Serve(in io.Reader, out io.Writer) error {
	r := bufio.NewReader(in)
	line, err := r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("worker: reading the plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal([]byte(line), &p); err != nil {
		return fmt.Errorf("worker: the plan: %w", err)
	}
	p.Config = p.Config.WithDefaults()
	if err := p.Config.Validate(); err != nil {
		return fmt.Errorf("worker: the plan: %w", err)
	}
	if p.Workers < 1 || p.Worker < 0 || p.Worker >= p.Workers {
		return fmt.Errorf("worker: the plan: worker %d of %d", p.Worker, p.Workers)
	}
	var stopped atomic.Bool
	var limit atomic.Int64
	limit.Store(-1)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if n, ok := strings.CutPrefix(strings.TrimSpace(line), "limit "); ok {
				if v, err := strconv.Atoi(n); err == nil {
					limit.Store(int64(v))
				}
			}
			if err != nil {
				stopped.Store(true)
				return
			}
		}
	}()
	enc := json.NewEncoder(out)
	b, last := Batch{Coverage: properties.NewCoverage()}, time.Now()
	flush := func() error {
		if len(b.Units) == 0 {
			return nil
		}
		err := enc.Encode(b)
		b, last = Batch{Coverage: properties.NewCoverage()}, time.Now()
		return err
	}
	var werr error
	p.units(func(i int) bool {
		if stopped.Load() {
			return false
		}
		if l := limit.Load(); l >= 0 && int64(i) >= l {
			return false
		}
		o := RunUnit(p.Config, i)
		b.Coverage.Merge(o.Coverage)
		o.Coverage = nil
		b.Units = append(b.Units, o)
		if o.Failure != nil || time.Since(last) >= batchInterval {
			werr = flush()
		}
		return werr == nil
	})
	if werr != nil {
		return werr
	}
	return flush()
}
