package shrink

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// maxLine bounds a line's length; a longer one is corrupt.
const maxLine = 64 << 10

// ReadFile reads and parses the counterexample at path. Errors name the
// file: a missing or unreadable file, and every error of Parse.
func ReadFile(path string) (File, error) {
	fh, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, by Error
		}
		return File{}, &Error{Path: path, Err: err, Msg: "cannot read the file"}
	}
	defer func() { _ = fh.Close() }() // read only: a failed Close loses nothing
	f, err := Parse(fh)
	var e *Error
	if errors.As(err, &e) {
		e.Path = path
	}
	return f, err
}

// Parse reads a counterexample written by Write (or by hand, in the same
// form). A bad file gives an *Error; Parse never panics. What it reads
// back from Write's output is the File that was written (see File).
func Parse(r io.Reader) (File, error) {
	p := &parser{f: File{Program: properties.Program{}}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		p.n++
		if err := p.line(sc.Text()); err != nil {
			return File{}, err
		}
	}
	if err := sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("longer than %d bytes", maxLine)
		}
		return File{}, &Error{Line: p.n + 1, Err: ErrCorrupt, Msg: msg}
	}
	return p.finish()
}

// parser holds what Parse has read so far.
type parser struct {
	f       File
	n       int // the current line
	version bool
	ended   bool
	seen    map[string]int // lines that may appear once, by keyword: their line
	driver  *properties.Driver
	client  bool // operation lines go to the last client
	// refs are the driver and module names lines use, with their line,
	// checked against the declared ones at the end.
	refs []ref
}

type ref struct {
	line         int
	what, name   string
	declaredWhat string
}

func (p *parser) fail(kind error, format string, args ...any) error {
	return &Error{Line: p.n, Err: kind, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) line(text string) error {
	if !p.version {
		return p.header(text)
	}
	trimmed := strings.TrimSpace(text)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return nil
	}
	if p.ended {
		return p.fail(ErrCorrupt, "%q after the end line", trimmed)
	}
	keyword, rest, _ := strings.Cut(trimmed, " ")
	rest = strings.TrimSpace(rest)
	if keyword != "match" && keyword != "probe" && keyword != "remove" {
		p.driver = nil
	}
	if _, ok := topLevel[keyword]; !ok || keyword == "" {
		if p.client && len(p.f.Program.Clients) > 0 {
			return p.op(trimmed)
		}
		return p.fail(ErrCorrupt, "%q: expected a line starting with one of %s", trimmed, keywords())
	}
	if keyword != "client" {
		p.client = false
	}
	return topLevel[keyword](p, rest)
}

// topLevel are the line parsers by first word.
var topLevel map[string]func(*parser, string) error

func init() {
	topLevel = map[string]func(*parser, string) error{
		"bug": (*parser).bug, "stress": (*parser).stress, "max-steps": (*parser).maxSteps, "executor": (*parser).executor,
		"max-pending": (*parser).maxPending, "driver": (*parser).driverLine, "match": (*parser).match,
		"probe": (*parser).probe, "remove": (*parser).remove, "module": (*parser).module,
		"fault": (*parser).fault, "client": (*parser).clientLine, "at": (*parser).at,
		"expect": (*parser).expect, "digest": (*parser).digest, "end": (*parser).end,
	}
}

func keywords() string {
	return "bug, stress, max-steps, executor, max-pending, driver, match, probe, remove, module, fault, client, at, expect, digest, end"
}

func (p *parser) header(text string) error {
	text = strings.TrimSpace(text)
	prefix := Format + " v"
	if !strings.HasPrefix(text, prefix) {
		if len(text) > 60 {
			text = text[:60] + "..."
		}
		return p.fail(ErrNotCounterexample, "the first line is %q, want %q", text, fmt.Sprintf("%s v%d", Format, Version))
	}
	v, err := strconv.Atoi(text[len(prefix):])
	switch {
	case err != nil || v < 1:
		return p.fail(ErrCorrupt, "bad version %q in the first line, want v%d", text[len(prefix):], Version)
	case v > Version:
		return p.fail(ErrNewer, "v%d; this one reads v%d", v, Version)
	}
	p.version = true
	return nil
}

// once fails when a keyword that may appear once appeared before.
func (p *parser) once(keyword string) error {
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	if l, ok := p.seen[keyword]; ok {
		return p.fail(ErrCorrupt, "a second %s line (the first is line %d)", keyword, l)
	}
	p.seen[keyword] = p.n
	return nil
}

func (p *parser) bug(rest string) error {
	if err := p.once("bug"); err != nil {
		return err
	}
	b := sut.Bug(rest)
	if !slices.Contains(knownBugs, b) {
		return p.fail(ErrUnknown, "bug variant %q (known: %s)", rest, joinBugs())
	}
	p.f.Options.Bug = b
	return nil
}

func joinBugs() string {
	var s []string
	for _, b := range knownBugs {
		s = append(s, string(b))
	}
	return strings.Join(s, " ")
}

func (p *parser) stress(rest string) error {
	o := &p.f.Options
	var flag *bool
	var names []string
	for _, m := range properties.StressModes {
		names = append(names, m.Name)
		if m.Name == rest {
			flag = m.Field(o)
		}
	}
	if flag == nil {
		return p.fail(ErrUnknown, "stress mode %q (known: %s)", rest, strings.Join(names, ", "))
	}
	if *flag {
		return p.fail(ErrCorrupt, "stress %s appears twice", rest)
	}
	*flag = true
	return nil
}

// count reads a non-negative integer.
func (p *parser) count(what, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strconv.Itoa(n) != s {
		return 0, p.fail(ErrCorrupt, "%s %q: expected a non-negative integer", what, s)
	}
	return n, nil
}

func (p *parser) maxSteps(rest string) (err error) {
	if err := p.once("max-steps"); err != nil {
		return err
	}
	p.f.Options.MaxSteps, err = p.count("max-steps", rest)
	return err
}

// executorSequential is the executor line's one value; without the line a
// file runs under the controlled executor with its schedule.
const executorSequential = "sequential"

func (p *parser) executor(rest string) error {
	if err := p.once("executor"); err != nil {
		return err
	}
	if rest != executorSequential {
		return p.fail(ErrUnknown, "executor %q (known: %s; leave the line out for the controlled executor)", rest, executorSequential)
	}
	p.f.Sequential = true
	return nil
}

func (p *parser) maxPending(rest string) (err error) {
	if err := p.once("max-pending"); err != nil {
		return err
	}
	p.f.Program.MaxPending, err = p.count("max-pending", rest)
	return err
}

// word checks that s is one bare word.
func (p *parser) word(what, s string) error {
	if !isToken(s) {
		return p.fail(ErrCorrupt, "%s %q: expected one word", what, s)
	}
	return nil
}

func (p *parser) driverLine(rest string) error {
	f := strings.Fields(rest)
	if len(f) != 2 && (len(f) != 4 || f[2] != "module") {
		return p.fail(ErrCorrupt, "driver %q: expected `driver <name> <probe type>` or `driver <name> <probe type> module <module>`", rest)
	}
	names := []string{f[0]}
	if len(f) == 4 {
		names = append(names, f[3])
	}
	for _, w := range names {
		if err := p.word("name", w); err != nil {
			return err
		}
	}
	pt := slices.Index(probeTypes, f[1])
	if pt < 0 {
		return p.fail(ErrUnknown, "probe type %q of driver %s (known: %s)", f[1], f[0], strings.Join(probeTypes, ", "))
	}
	for _, d := range p.f.Program.Drivers {
		if d.Name == f[0] {
			return p.fail(ErrCorrupt, "driver %s is declared twice", f[0])
		}
	}
	d := properties.Driver{Name: f[0], ProbeType: properties.ProbeType(pt),
		Match: map[string]properties.MatchResult{}, Probe: map[string]properties.ProbeScript{}, Remove: map[string]properties.RemoveScript{}}
	if len(f) == 4 {
		d.Module = f[3]
		p.refs = append(p.refs, ref{p.n, "module", f[3], "module"})
	}
	p.f.Program.Drivers = append(p.f.Program.Drivers, d)
	p.driver = &p.f.Program.Drivers[len(p.f.Program.Drivers)-1]
	return nil
}

// devLine checks that a match, probe or remove line follows a driver line
// and reads its device name, ending in ":" for probe and remove.
func (p *parser) devLine(keyword, rest string, colon bool) (string, string, error) {
	if p.driver == nil {
		return "", "", p.fail(ErrCorrupt, "a %s line must follow its driver line", keyword)
	}
	var dev, script string
	var ok bool
	if colon {
		dev, script, ok = strings.Cut(rest, ":")
	} else {
		dev, script, ok = strings.Cut(rest, " ")
	}
	dev, script = strings.TrimSpace(dev), strings.TrimSpace(script)
	if !ok || !isToken(dev) {
		form := "`match <device> <result>`"
		if colon {
			form = "`" + keyword + " <device>: <script>`"
		}
		return "", "", p.fail(ErrCorrupt, "%s %q: expected %s", keyword, rest, form)
	}
	return dev, script, nil
}

func (p *parser) match(rest string) error {
	dev, res, err := p.devLine("match", rest, false)
	if err != nil {
		return err
	}
	m := slices.Index(matches, res)
	if m < 0 {
		return p.fail(ErrUnknown, "match result %q (known: %s)", res, strings.Join(matches, ", "))
	}
	if _, dup := p.driver.Match[dev]; dup {
		return p.fail(ErrCorrupt, "a second match line for %s in driver %s", dev, p.driver.Name)
	}
	p.driver.Match[dev] = properties.MatchResult(m)
	return nil
}

func (p *parser) probe(rest string) error {
	dev, script, err := p.devLine("probe", rest, true)
	if err != nil {
		return err
	}
	pr, err := parseProbe(script)
	if err != nil {
		return p.lineError(err)
	}
	if _, dup := p.driver.Probe[dev]; dup {
		return p.fail(ErrCorrupt, "a second probe line for %s in driver %s", dev, p.driver.Name)
	}
	p.driver.Probe[dev] = pr
	return nil
}

func (p *parser) remove(rest string) error {
	dev, script, err := p.devLine("remove", rest, true)
	if err != nil {
		return err
	}
	r, err := parseRemove(script)
	if err != nil {
		return p.lineError(err)
	}
	if _, dup := p.driver.Remove[dev]; dup {
		return p.fail(ErrCorrupt, "a second remove line for %s in driver %s", dev, p.driver.Name)
	}
	p.driver.Remove[dev] = r
	return nil
}

// lineError places an error of a line helper at the current line.
func (p *parser) lineError(err error) error {
	var le *lineErr
	if errors.As(err, &le) {
		return p.fail(le.kind, "%s", le.msg)
	}
	return p.fail(ErrCorrupt, "%s", err)
}

func (p *parser) module(rest string) error {
	f := strings.Fields(rest)
	if len(f) < 2 || (f[1] != "sync" && f[1] != "async") {
		return p.fail(ErrCorrupt, "module %q: expected `module <name> sync|async <driver>...`", rest)
	}
	for _, w := range slices.Concat(f[:1], f[2:]) {
		if err := p.word("name", w); err != nil {
			return err
		}
	}
	m := properties.Module{Name: f[0], AsyncProbe: f[1] == "async"}
	for _, d := range f[2:] {
		m.Drivers = append(m.Drivers, d)
		p.refs = append(p.refs, ref{p.n, "driver", d, "driver"})
	}
	p.f.Program.Modules = append(p.f.Program.Modules, m)
	return nil
}

func (p *parser) fault(rest string) error {
	f := strings.Fields(rest)
	if (len(f) != 3 && len(f) != 5) || f[1] != "hit" || (len(f) == 5 && f[3] != "value") {
		return p.fail(ErrCorrupt, "fault %q: expected `fault <point> hit <n>` or `fault <point> hit <n> value <v>`", rest)
	}
	if !slices.Contains(properties.FaultPoints, f[0]) {
		return p.fail(ErrUnknown, "fault point %q (known: %s)", f[0], strings.Join(properties.FaultPoints, " "))
	}
	nth, err := p.count("hit", f[2])
	if err != nil {
		return err
	}
	if nth < 1 {
		return p.fail(ErrCorrupt, "fault %s hit 0: hits count from 1", f[0])
	}
	ft := sched.Fault{Point: f[0], Nth: nth, Value: 1}
	if len(f) == 5 {
		if ft.Value, err = p.count("value", f[4]); err != nil {
			return err
		}
	}
	p.f.Program.Faults = append(p.f.Program.Faults, ft)
	return nil
}

func (p *parser) clientLine(rest string) error {
	want := len(p.f.Program.Clients) + 1
	if rest != strconv.Itoa(want) {
		return p.fail(ErrCorrupt, "client %q: expected `client %d` (clients are numbered in order from 1)", rest, want)
	}
	p.f.Program.Clients = append(p.f.Program.Clients, nil)
	p.client = true
	return nil
}

func (p *parser) op(text string) error {
	op, err := parseOp(text)
	if err != nil {
		return p.lineError(err)
	}
	switch op.Kind {
	case properties.OpBind, properties.OpLookupBind, properties.OpDriverRegister, properties.OpDriverUnregister:
		p.refs = append(p.refs, ref{p.n, "driver", op.Driver, "driver"})
	case properties.OpModuleLoad, properties.OpModuleUnload:
		p.refs = append(p.refs, ref{p.n, "module", op.Module, "module"})
	}
	c := &p.f.Program.Clients[len(p.f.Program.Clients)-1]
	*c = append(*c, op)
	return nil
}

func (p *parser) at(rest string) error {
	sw, err := parseSwitch(rest)
	if err != nil {
		return p.lineError(err)
	}
	for _, s := range p.f.Schedule {
		if s.At == sw.At {
			return p.fail(ErrCorrupt, "a second switch at the same point: %s", sw)
		}
	}
	p.f.Schedule = append(p.f.Schedule, sw)
	return nil
}

func (p *parser) expect(rest string) error {
	if err := p.once("expect"); err != nil {
		return err
	}
	if rest == "pass" {
		return nil
	}
	f := strings.Fields(rest)
	if len(f) != 4 || f[1] != "at" || f[2] != "step" || !isToken(f[0]) {
		return p.fail(ErrCorrupt, "expect %q: expected `expect pass` or `expect <INVARIANT> at step <n>`", rest)
	}
	step, err := p.count("step", f[3])
	if err != nil {
		return err
	}
	p.f.Expect = Expect{Invariant: f[0], Step: step}
	return nil
}

func (p *parser) digest(rest string) error {
	if err := p.once("digest"); err != nil {
		return err
	}
	if !isToken(rest) {
		return p.fail(ErrCorrupt, "digest %q: expected one word", rest)
	}
	p.f.Digest = rest
	return nil
}

func (p *parser) end(rest string) error {
	if rest != "" {
		return p.fail(ErrCorrupt, "end %q: the end line has nothing after end", rest)
	}
	p.ended = true
	return nil
}

// finish checks the file as a whole.
func (p *parser) finish() (File, error) {
	switch {
	case !p.version:
		return File{}, &Error{Err: ErrEmpty, Msg: fmt.Sprintf("no %q line", fmt.Sprintf("%s v%d", Format, Version))}
	case !p.ended:
		return File{}, &Error{Line: p.n, Err: ErrTruncated, Msg: fmt.Sprintf("the file stops at line %d without its end line", p.n)}
	case p.seen["expect"] == 0:
		return File{}, &Error{Err: ErrCorrupt, Msg: "no expect line: a counterexample says what it must replay to"}
	}
	if p.f.Sequential && (len(p.f.Schedule) > 0 || len(p.f.Program.Clients) > 1) {
		return File{}, &Error{Line: p.seen["executor"], Err: ErrCorrupt,
			Msg: "a sequential run has one client and no schedule (at lines)"}
	}
	drivers := map[string]bool{}
	for _, d := range p.f.Program.Drivers {
		drivers[d.Name] = true
	}
	modules := map[string]bool{}
	for _, m := range p.f.Program.Modules {
		modules[m.Name] = true
	}
	for _, r := range p.refs {
		declared := drivers
		if r.declaredWhat == "module" {
			declared = modules
		}
		if !declared[r.name] {
			return File{}, &Error{Line: r.line, Err: ErrUnknown, Msg: fmt.Sprintf("%s %s: no %s line declares it", r.what, r.name, r.declaredWhat)}
		}
	}
	return p.f, nil
}
