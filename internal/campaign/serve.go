package campaign

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
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

// Serve is a worker: it reads a Plan (JSON, one line) from in, then runs
// the plan's units in order, writing each unit's Outcome to out as one
// JSON line. It stops when the plan's units are done, or after the unit in
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
	var werr error
	p.units(func(i int) bool {
		if stopped.Load() {
			return false
		}
		if l := limit.Load(); l >= 0 && int64(i) >= l {
			return false
		}
		werr = enc.Encode(RunUnit(p.Config, i))
		return werr == nil
	})
	return werr
}
