package shrink

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

//go:embed html.tmpl
var htmlText string

var htmlTemplate = template.Must(template.New("page").Parse(htmlText))

// HTML writes one self-contained HTML page for a counterexample: f, and
// v, its replay (Replay(f)). The page references nothing outside itself
// (inline CSS, no script, no URL) and shows:
//
//   - a header: the violated invariant, its step and message, its meaning
//     and spec section, the trace digest and the configuration;
//   - the program in the file's notation, with only the drivers that took
//     part (as Report), and what each client's operations returned;
//   - each device's reference count over the run, as a step chart with
//     its gets, puts, release and free, and the count at the violation;
//   - the interleaving: one column (lane) per task that did something
//     (Report's lanes), one row per step of the trace up to the violation,
//     each record in its task's lane, styled by kind (operations, lock
//     hand-offs, decisions, reference counts, events); a row that starts
//     with a preemption has the class "preempt", and the violation's row
//     the id "violation". The records Report leaves out are in the page
//     with the class "minor", hidden until the reader ticks "show every
//     record".
//
// Every text is escaped by html/template. HTML fails only when f cannot
// be written in the file format (Write refuses it) or w fails.
func HTML(w io.Writer, f File, v *properties.Verdict) error {
	p, err := newPage(f, v)
	if err != nil {
		return err
	}
	return htmlTemplate.Execute(w, p)
}

// page is what the template renders.
type page struct {
	Failure     *properties.Failure
	Invariant   properties.Invariant // the failure's statement, if it has one
	Between     string               // a violation found outside a record: its text
	BetweenStep string               // and its step (violationStep)
	Config      string
	Digest      string
	Run         string // "90 steps, 1 preemption"
	Program     string
	Results     []string
	Lanes       []string
	Left        string // the tasks without a lane
	Cut         string // the records after the violation
	Rows        []row
	Devices     []chart
}

// row is one step of the lanes: a cell per lane, each a list of records.
type row struct {
	Step  int
	ID    string
	Class string
	Cells [][]item
}

// item is one record in a cell.
type item struct {
	Text, Class string
}

func newPage(f File, v *properties.Verdict) (*page, error) {
	a := analyze(f, v)
	shown := f
	shown.Program = a.program
	program, err := formatBody(shown)
	if err != nil {
		return nil, err
	}
	config, err := formatConfig(f)
	if err != nil {
		return nil, err
	}
	p := &page{Failure: v.Failure, Config: strings.TrimSpace(config), Program: program, Devices: charts(a, v.Failure)}
	if p.Config == "" {
		p.Config = "the correct core, no stress mode"
	}
	if v.Failure != nil {
		p.Invariant, _ = properties.Describe(v.Failure.Invariant)
		if a.fail < 0 {
			p.Between, p.BetweenStep = violatedBetweenSteps(v.Failure), violationStep(v.Failure)
		}
	}
	if v.Trace != nil {
		p.Digest, p.Run = v.Trace.Digest(), runSize(v.Trace)
	}
	for i, rs := range v.Results {
		text := strings.Join(rs, ", ")
		if len(rs) == 0 {
			text = "(no operation)"
		}
		p.Results = append(p.Results, fmt.Sprintf("client %d: %s", i+1, text))
	}
	for _, t := range a.lanes {
		p.Lanes = append(p.Lanes, fmt.Sprintf("%s %s", t.ID, t.Name))
	}
	if len(a.left) > 0 {
		names := make([]string, len(a.left))
		for i, t := range a.left {
			names[i] = fmt.Sprintf("%s %s", t.ID, t.Name)
		}
		p.Left = fmt.Sprintf("%s with nothing notable, without a lane: %s.", plural(len(a.left), "task"), strings.Join(names, ", "))
	}
	if a.cut > 0 {
		p.Cut = fmt.Sprintf("%s after the violation's step left out.", plural(a.cut, "record"))
	}
	p.Rows = rows(a, v.Failure)
	return p, nil
}

// rows groups a's records of tasks with a lane (and the fail record) by
// step.
func rows(a analysis, f *properties.Failure) []row {
	if len(a.lanes) == 0 {
		return nil
	}
	col := map[sched.TaskID]int{}
	for i, t := range a.lanes {
		col[t.ID] = i
	}
	var rs []row
	for i, r := range a.records {
		c, ok := col[r.Task]
		if !ok && r.Kind != sched.KindFail {
			continue
		}
		if len(rs) == 0 || rs[len(rs)-1].Step != r.Step {
			rs = append(rs, row{Step: r.Step, Cells: make([][]item, len(a.lanes))})
		}
		cur := &rs[len(rs)-1]
		it := item{Text: recordText(r, f), Class: recordClass(r)}
		if !a.major[i] {
			it.Class += " minor"
		}
		if r.Kind == sched.KindFail {
			it.Text = "✗ " + f.Invariant + ": " + f.Msg
			cur.ID = "violation"
		}
		cur.Cells[c] = append(cur.Cells[c], it)
	}
	for i := range rs {
		rs[i].Class = rowClass(rs[i])
	}
	return rs
}

// rowClass is "minor" for a row of minor records only, plus "preempt" for
// one with a preemption and "violation" for the violation's.
func rowClass(r row) string {
	var cls []string
	minor, preempt := true, false
	for _, cell := range r.Cells {
		for _, it := range cell {
			minor = minor && strings.Contains(it.Class, "minor")
			preempt = preempt || strings.HasPrefix(it.Class, "preempt")
		}
	}
	if minor && r.ID == "" {
		cls = append(cls, "minor")
	}
	if preempt {
		cls = append(cls, "preempt")
	}
	if r.ID != "" {
		cls = append(cls, "violation")
	}
	return strings.Join(cls, " ")
}

// recordClass is the CSS class of a record's kind: op (API calls and
// returns), ref (reference counts, release, free), lock, decide (fault
// for an injected fault), preempt, fail, event (the core's other events)
// or sched (the runtime's other records).
func recordClass(r sched.Record) string {
	switch r.Kind {
	case sched.KindEvent:
		switch event(r).Kind {
		case sut.EvCall, sut.EvReturn:
			return "op"
		case sut.EvNewDevice, sut.EvGet, sut.EvPut, sut.EvRelabel, sut.EvRelease, sut.EvFree:
			return "ref"
		case sut.EvLock, sut.EvUnlock:
			return "lock"
		case sut.EvFault:
			return "decide fault"
		}
		return "event"
	case sched.KindLock, sched.KindUnlock:
		return "lock"
	case sched.KindDecide:
		if r.Value != 0 {
			return "decide fault"
		}
		return "decide"
	case sched.KindRun:
		if r.Value == 1 {
			return "preempt"
		}
	case sched.KindFail:
		return "fail"
	}
	return "sched"
}
