package shrink

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/devstress/devstress/properties"
)

// Write writes f in the counterexample format, one fact per line:
//
//	devstress counterexample v1
//	bug H6
//	stress delayed-release
//	max-steps 20000
//	executor sequential
//	max-pending 1
//	driver A PreferAsync module M
//	  match a yes
//	  probe a: devres; child b; defer until c bound
//	  remove a: wait g1; use devres
//	module M async A
//	fault F-ADD-KOBJ hit 1
//	client 1
//	  d0 := NewDevice("a")
//	  RegisterSync(d0)
//	client 2
//	at "client1" Y-DEFER-ADD #1 -> "client2"
//	expect NO-UAF at step 11
//	digest 0123456789abcdef
//	end
//
// Lines that are zero values (no bug, a mode off, no limit, the controlled
// executor) are left out;
// operations are written as properties.Op.String writes them; a switch as
// Switch.String does. Blank lines and lines starting with # are comments.
// Write fails, writing nothing, on a File the format cannot express: a
// name with spaces or punctuation, a value out of its enumeration.
func Write(w io.Writer, f File) error {
	text, err := format(f)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(text)
	return bw.Flush()
}

// String renders f as Write does; a File Write refuses renders as the
// reason, as a comment.
func (f File) String() string {
	text, err := format(f)
	if err != nil {
		return "# " + err.Error() + "\n"
	}
	return text
}

// format renders f, or says why it cannot.
func format(f File) (string, error) {
	var w formatter
	w.line("%s v%d", Format, Version)
	w.body(f)
	if f.Expect.Pass() {
		w.line("expect pass")
	} else {
		w.check("invariant", f.Expect.Invariant)
		w.line("expect %s", f.Expect)
	}
	if f.Digest != "" {
		w.check("digest", f.Digest)
		w.line("digest %s", f.Digest)
	}
	w.line("end")
	return w.text()
}

// formatBody renders the lines of f between its version line and its
// expectation, as Write writes them: the configuration, the program and
// the schedule. It fails as Write does.
func formatBody(f File) (string, error) {
	var w formatter
	w.body(f)
	return w.text()
}

// formatter collects the lines of a file and the reasons it cannot be
// written.
type formatter struct {
	b    strings.Builder
	errs []string
}

func (w *formatter) line(format string, args ...any) { fmt.Fprintf(&w.b, format+"\n", args...) }

// check records an error unless s is one word of the format.
func (w *formatter) check(what, s string) {
	if !isToken(s) {
		w.errs = append(w.errs, fmt.Sprintf("%s %q is not one word", what, s))
	}
}

// text returns the lines written, or the reasons they cannot be.
func (w *formatter) text() (string, error) {
	if len(w.errs) > 0 {
		return "", fmt.Errorf("shrink: cannot write the counterexample: %s", strings.Join(w.errs, "; "))
	}
	return w.b.String(), nil
}

// formatConfig renders the configuration lines of f (bug, stress modes,
// limits, executor) as Write writes them; none for the default
// configuration.
func formatConfig(f File) (string, error) {
	var w formatter
	w.config(f)
	return w.text()
}

// body writes the configuration, the program and the schedule.
func (w *formatter) body(f File) {
	w.config(f)
	w.program(f.Program)
	w.schedule(f.Schedule)
}

// config writes the bug variant, the stress modes, the limits and the
// executor.
func (w *formatter) config(f File) {
	check, line := w.check, w.line
	o := f.Options
	if o.Bug != "" {
		check("bug", string(o.Bug))
		line("bug %s", o.Bug)
	}
	for _, m := range properties.StressModes {
		if *m.Field(&o) {
			line("stress %s", m.Name)
		}
	}
	if o.MaxSteps != 0 {
		line("max-steps %d", o.MaxSteps)
	}
	if f.Sequential {
		line("executor %s", executorSequential)
		if len(f.Schedule) > 0 || len(f.Program.Clients) > 1 {
			w.errs = append(w.errs, "a sequential run has one client and no schedule")
		}
	}
	if f.Program.MaxPending != 0 {
		line("max-pending %d", f.Program.MaxPending)
	}
}

// program writes the drivers, modules, faults and clients.
func (w *formatter) program(p properties.Program) {
	check, line := w.check, w.line
	for _, d := range p.Drivers {
		w.driver(d)
	}
	for _, m := range p.Modules {
		check("module", m.Name)
		mode := "sync"
		if m.AsyncProbe {
			mode = "async"
		}
		fields := append([]string{"module", m.Name, mode}, m.Drivers...)
		for _, d := range m.Drivers {
			check("driver", d)
		}
		line("%s", strings.Join(fields, " "))
	}
	for _, ft := range p.Faults {
		check("fault point", ft.Point)
		if ft.Value == 1 {
			line("fault %s hit %d", ft.Point, ft.Nth)
		} else {
			line("fault %s hit %d value %d", ft.Point, ft.Nth, ft.Value)
		}
	}
	for i, ops := range p.Clients {
		line("client %d", i+1)
		for _, op := range ops {
			if op.Kind < 0 || op.Kind >= properties.OpOpenGate+1 {
				w.errs = append(w.errs, fmt.Sprintf("client %d: operation kind %d", i+1, op.Kind))
				continue
			}
			for _, n := range []string{op.Driver, op.Module} {
				if n != "" && usesBare(op.Kind) {
					check("name", n)
				}
			}
			if op.Kind == properties.OpOpenGate {
				check("gate", op.Name)
			}
			line("  %s", op)
		}
	}
}

// driver writes a driver: its line, then its match table, probe scripts
// and remove scripts, each by device name.
func (w *formatter) driver(d properties.Driver) {
	check, line := w.check, w.line
	check("driver", d.Name)
	if d.ProbeType < 0 || int(d.ProbeType) >= len(probeTypes) {
		w.errs = append(w.errs, fmt.Sprintf("driver %s: probe type %d", d.Name, d.ProbeType))
		return
	}
	if d.Module != "" {
		check("module", d.Module)
		line("driver %s %s module %s", d.Name, d.ProbeType, d.Module)
	} else {
		line("driver %s %s", d.Name, d.ProbeType)
	}
	for _, dev := range slices.Sorted(maps.Keys(d.Match)) {
		check("device", dev)
		m := d.Match[dev]
		if m < 0 || int(m) >= len(matches) {
			w.errs = append(w.errs, fmt.Sprintf("driver %s: match %d", d.Name, m))
			continue
		}
		line("  match %s %s", dev, m)
	}
	for _, dev := range slices.Sorted(maps.Keys(d.Probe)) {
		w.probe(d.Name, dev, d.Probe[dev])
	}
	for _, dev := range slices.Sorted(maps.Keys(d.Remove)) {
		check("device", dev)
		r := d.Remove[dev]
		if r.Gate != "" {
			check("gate", r.Gate)
		}
		line("  remove %s: %s", dev, r)
	}
}

// probe writes driver's probe script pr of device dev.
func (w *formatter) probe(driver, dev string, pr properties.ProbeScript) {
	check := w.check
	check("device", dev)
	if pr.Result < 0 || int(pr.Result) >= len(outcomes) {
		w.errs = append(w.errs, fmt.Sprintf("driver %s: probe result %d", driver, pr.Result))
		return
	}
	for _, a := range pr.Actions {
		if a.Kind < 0 || a.Kind > properties.ActWaitGate {
			w.errs = append(w.errs, fmt.Sprintf("driver %s: probe action %d", driver, a.Kind))
		} else if a.Name != "" || (a.Kind != properties.ActDevres && a.Kind != properties.ActDevresSelf) {
			check("probe action's name", a.Name)
		}
		if a.Kind == properties.ActDevresRef && a.Name == "self" {
			w.errs = append(w.errs, "devres(ref self) names the probed device, not a device named self")
		}
	}
	if pr.Result == properties.ProbeDefer {
		check("defer until", pr.Until)
	}
	w.line("  probe %s: %s", dev, pr)
}

// schedule writes the switches.
func (w *formatter) schedule(s Schedule) {
	for _, sw := range s {
		if sw.At.Seen < 1 || sw.At.Point == "" || (sw.At.Task.Name == "" && sw.At.Point != pointStart) || sw.To.Name == "" {
			w.errs = append(w.errs, fmt.Sprintf("switch %+v is incomplete", sw))
			continue
		}
		w.line("%s", sw)
	}
}

// usesBare reports whether an operation writes its Driver or Module bare
// (unquoted): all but the override of LookupSetOverride, which is quoted.
func usesBare(k properties.OpKind) bool { return k != properties.OpLookupOverride }
