package shrink

import (
	"fmt"
	gofmt "go/format"
	gotoken "go/token"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
	"github.com/devstress/devstress/sut"
)

// The defaults of Export's options.
const (
	DefaultExportPackage = "regress_test"
	DefaultExportTest    = "TestCounterexample"
)

// ExportOption configures Export.
type ExportOption func(*exportConfig)

type exportConfig struct {
	pkg, test string
}

// ExportPackage sets the package clause of the exported file (default
// DefaultExportPackage). A test file compiles in a directory only as the
// package of that directory's other files or as that name plus "_test";
// the default suits a directory of its own. To add the file to an existing
// package, pass that package's name or its name plus "_test".
func ExportPackage(name string) ExportOption {
	return func(c *exportConfig) { c.pkg = name }
}

// ExportTestName sets the name of the exported test function (default
// DefaultExportTest): "Test" followed by nothing or by a character that is
// not a lower-case letter, as go test requires. Give each export its own
// name to keep several in one package.
func ExportTestName(name string) ExportOption {
	return func(c *exportConfig) { c.test = name }
}

// Export writes f as a standalone Go test file, gofmt-formatted, that
// replays f and fails while the core violates an invariant on it: it holds
// f's options, program and schedule as Go literals (properties.Options,
// properties.Program, Schedule), runs
//
//	properties.Execute(program, schedule.Strategy(), options)
//
// (properties.ExecuteSequential(program, options) for a Sequential file,
// which has no schedule) and calls t.Fatalf with the verdict
// (Verdict.String) when the run fails. It logs (t.Logf) each switch of the
// schedule the run never took: a test that passes with such a switch may
// no longer reach the interleaving it was written for. Its doc comment
// shows f in the file notation (Write) and the verdict f expects. The file
// imports only testing and devstress's properties, sut, shrink (for a
// schedule) and sched (for a fault plan): it has no campaign machinery and
// no rapid, and compiles in any directory of a module that requires
// devstress (see ExportPackage for the package clause).
//
// The test runs with f's Options as they are. An export of a bug variant's
// file (Options.Bug set) fails, which shows that the test catches the
// bug; a counterexample found on the correct core has Options.Bug
// sut.BugNone, and its export fails until the core is fixed, then passes:
// it is the regression test a fix ships with.
//
// Export fails, writing nothing, on a File that Write refuses, on a bug
// variant it does not know, and on an invalid package or
// test name. The output depends only on f and the options.
func Export(w io.Writer, f File, opts ...ExportOption) error {
	c := exportConfig{pkg: DefaultExportPackage, test: DefaultExportTest}
	for _, o := range opts {
		o(&c)
	}
	if !gotoken.IsIdentifier(c.pkg) || c.pkg == "_" {
		return fmt.Errorf("shrink: cannot export: package name %q is not a Go identifier", c.pkg)
	}
	if !isTestName(c.test) {
		return fmt.Errorf("shrink: cannot export: %q is not a test name (Test, then nothing or an identifier not starting with a lower-case letter)", c.test)
	}
	if f.Options.Bug != sut.BugNone && !slices.Contains(knownBugs, f.Options.Bug) {
		return fmt.Errorf("shrink: cannot export: bug variant %q is unknown to this devstress", f.Options.Bug)
	}
	text, err := format(f)
	if err != nil {
		return err
	}
	src, err := gofmt.Source(exportSource(c, f, text))
	if err != nil {
		return fmt.Errorf("shrink: exporting produced invalid Go (a bug of Export): %v", err)
	}
	_, err = w.Write(src)
	return err
}

// isTestName reports whether name is a valid name for a test function.
func isTestName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Test")
	if !ok || !gotoken.IsIdentifier(name) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || !unicode.IsLower(r)
}

// exportSource is the exported file before gofmt; text is f in the file
// notation.
func exportSource(c exportConfig, f File, text string) []byte {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	line("package %s", c.pkg)
	line("")
	line("import (")
	line(`"testing"`)
	line("")
	line(`"github.com/devstress/devstress/properties"`)
	if len(f.Program.Faults) > 0 {
		line(`"github.com/devstress/devstress/sched"`)
	}
	if !f.Sequential {
		line(`"github.com/devstress/devstress/shrink"`)
	}
	line(`"github.com/devstress/devstress/sut"`)
	line(")")
	line("")
	for _, l := range testDoc(c.test, f, text) {
		line("// %s", l)
	}
	line("func %s(t *testing.T) {", c.test)
	exportOptions(line, f.Options)
	exportProgram(line, f.Program)
	if f.Sequential {
		line("v := properties.ExecuteSequential(program, options)")
	} else {
		exportSchedule(line, f.Schedule)
		line("replayer := schedule.Strategy()")
		line("v := properties.Execute(program, replayer, options)")
		line("for _, sw := range replayer.Unused(schedule) {")
		line(`t.Logf("switch never taken (the schedule no longer fits the run): %%s", sw)`)
		line("}")
	}
	line("if v.Failure != nil {")
	line(`t.Fatalf("the core fails the counterexample:\n%%s", v)`)
	line("}")
	line("}")
	return []byte(b.String())
}

// testDoc is the doc comment of the exported test, one line per element.
func testDoc(name string, f File, text string) []string {
	doc := []string{
		name + " replays a counterexample of devstress and fails while the",
		"core violates an invariant on it. It was exported by shrink.Export from:",
		"",
	}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		doc = append(doc, "\t"+l)
	}
	doc = append(doc, "")
	if f.Expect.Pass() {
		doc = append(doc, "When it was written, the run passed.")
	} else {
		doc = append(doc, "When it was written, the run failed with "+f.Expect.String()+".")
	}
	if f.Options.Bug == sut.BugNone {
		doc = append(doc,
			"The options select the correct core (sut.BugNone): the test fails",
			"while the core has the bug and passes once it is fixed.")
	} else {
		doc = append(doc,
			"The options select the bug variant sut."+bugIdent(f.Options.Bug)+", so the test",
			"fails while they do: it shows that the test catches the bug.")
	}
	return doc
}

// exportOptions writes the options.
func exportOptions(line func(string, ...any), o properties.Options) {
	line("options := properties.Options{")
	line("Bug: sut.%s,", bugIdent(o.Bug))
	litFields(line, "MaxSteps", litInt(o.MaxSteps))
	if o.Stress != (sut.Stress{}) {
		line("Stress: sut.Stress{")
		for _, m := range properties.StressModes {
			if *m.Field(&o) {
				line("%s: true,", m.Ident)
			}
		}
		line("},")
	}
	line("}")
}

func exportProgram(line func(string, ...any), p properties.Program) {
	line("program := properties.Program{")
	litFields(line, "MaxPending", litInt(p.MaxPending))
	if len(p.Drivers) > 0 {
		line("Drivers: []properties.Driver{")
		for _, d := range p.Drivers {
			exportDriver(line, d)
		}
		line("},")
	}
	if len(p.Modules) > 0 {
		line("Modules: []properties.Module{")
		for _, m := range p.Modules {
			drivers := ""
			if len(m.Drivers) > 0 {
				quoted := make([]string, len(m.Drivers))
				for i, d := range m.Drivers {
					quoted[i] = strconv.Quote(d)
				}
				drivers = "[]string{" + strings.Join(quoted, ", ") + "}"
			}
			line("%s,", litStruct("", "Name", litStr(m.Name), "Drivers", drivers, "AsyncProbe", litBool(m.AsyncProbe)))
		}
		line("},")
	}
	if len(p.Faults) > 0 {
		line("Faults: []sched.Fault{")
		for _, ft := range p.Faults {
			line("%s,", litFault(ft))
		}
		line("},")
	}
	if len(p.Clients) > 0 {
		line("Clients: [][]properties.Op{")
		for i, ops := range p.Clients {
			if len(ops) == 0 {
				line("nil, // client %d: no operations", i+1)
				continue
			}
			line("{ // client %d", i+1)
			for _, op := range ops {
				line("%s, // %s", litOp(op), op)
			}
			line("},")
		}
		line("},")
	}
	line("}")
}

func exportDriver(line func(string, ...any), d properties.Driver) {
	line("{")
	litFields(line, "Name", litStr(d.Name), "ProbeType", "properties."+probeTypeIdents[d.ProbeType], "Module", litStr(d.Module))
	if len(d.Match) > 0 {
		line("Match: map[string]properties.MatchResult{")
		for _, dev := range slices.Sorted(maps.Keys(d.Match)) {
			line("%q: properties.%s,", dev, matchIdents[d.Match[dev]])
		}
		line("},")
	}
	if len(d.Probe) > 0 {
		line("Probe: map[string]properties.ProbeScript{")
		for _, dev := range slices.Sorted(maps.Keys(d.Probe)) {
			exportProbe(line, dev, d.Probe[dev])
		}
		line("},")
	}
	if len(d.Remove) > 0 {
		line("Remove: map[string]properties.RemoveScript{")
		for _, dev := range slices.Sorted(maps.Keys(d.Remove)) {
			r := d.Remove[dev]
			line("%q: %s,", dev, litStruct("", "Gate", litStr(r.Gate), "UseDevres", litBool(r.UseDevres)))
		}
		line("},")
	}
	line("},")
}

func exportSchedule(line func(string, ...any), s Schedule) {
	if len(s) == 0 {
		line("// No switches: every choice is the canonical one.")
	}
	line("schedule := shrink.Schedule{")
	for _, sw := range s {
		line("{ // %s", sw)
		line("At: %s,", litStruct("shrink.Key", "Task", litTask(sw.At.Task), "Point", litStr(sw.At.Point), "Seen", litInt(sw.At.Seen)))
		line("To: %s,", litTask(sw.To))
		line("},")
	}
	line("}")
}

// exportProbe writes the map entry of dev's probe script: on one line, or
// with an action a line when it has several.
func exportProbe(line func(string, ...any), dev string, pr properties.ProbeScript) {
	result := []string{"Result", "properties." + outcomeIdents[pr.Result], "Until", litStr(pr.Until)}
	if len(pr.Actions) <= 1 {
		actions := ""
		if len(pr.Actions) == 1 {
			actions = "[]properties.Action{" + litAction(pr.Actions[0]) + "}"
		}
		line("%q: %s, // %s", dev, litStruct("", append([]string{"Actions", actions}, result...)...), pr)
		return
	}
	line("%q: { // %s", dev, pr)
	line("Actions: []properties.Action{")
	for _, a := range pr.Actions {
		line("%s,", litAction(a))
	}
	line("},")
	litFields(line, result...)
	line("},")
}

func litAction(a properties.Action) string {
	return litStruct("", "Kind", "properties."+actionIdents[a.Kind], "Name", litStr(a.Name))
}

func litOp(op properties.Op) string {
	return litStruct("", "Kind", "properties."+opIdents[op.Kind], "Dev", litInt(op.Dev), "Parent", litInt(op.Parent),
		"Ref", litInt(op.Ref), "Name", litStr(op.Name), "Driver", litStr(op.Driver), "Module", litStr(op.Module))
}

func litFault(ft sched.Fault) string {
	return litStruct("", "Point", litStr(ft.Point), "Nth", litInt(ft.Nth), "Value", litInt(ft.Value))
}

// litTask is r as a shrink.TaskRef literal; the zero TaskRef (the start
// of the run) is empty, a field left out.
func litTask(r TaskRef) string {
	if r == (TaskRef{}) {
		return ""
	}
	return litStruct("shrink.TaskRef", "Name", litStr(r.Name), "Nth", litInt(r.Nth))
}

// litStruct is a composite literal of type typ (empty: elided, inside a
// slice or map literal) with the given field name and value pairs; a
// field whose value is empty (the zero value) is left out.
func litStruct(typ string, fields ...string) string {
	var parts []string
	for i := 0; i < len(fields); i += 2 {
		if fields[i+1] != "" {
			parts = append(parts, fields[i]+": "+fields[i+1])
		}
	}
	return typ + "{" + strings.Join(parts, ", ") + "}"
}

// litFields writes the field name and value pairs one per line, leaving
// out those whose value is empty (the zero value).
func litFields(line func(string, ...any), fields ...string) {
	for i := 0; i < len(fields); i += 2 {
		if fields[i+1] != "" {
			line("%s: %s,", fields[i], fields[i+1])
		}
	}
}

// litStr, litInt and litBool render a field's value as Go, or as empty
// for the zero value, which litStruct and litFields leave out.
func litStr(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

func litInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func litBool(b bool) string {
	if !b {
		return ""
	}
	return "true"
}

// bugIdent is the name of sut's constant for a known bug variant.
func bugIdent(b sut.Bug) string {
	if b == sut.BugNone {
		return "BugNone"
	}
	return "Bug" + string(b)
}

// The names of properties' constants, by value. Write refuses a File with
// a value outside these tables, so Export never indexes past them.
var (
	probeTypeIdents = [...]string{properties.ProbeDefault: "ProbeDefault", properties.PreferAsync: "PreferAsync",
		properties.ForceSync: "ForceSync"}
	matchIdents = [...]string{properties.MatchNo: "MatchNo", properties.MatchYes: "MatchYes",
		properties.MatchDefer: "MatchDefer", properties.MatchError: "MatchError"}
	outcomeIdents = [...]string{properties.ProbeOK: "ProbeOK", properties.ProbeDefer: "ProbeDefer",
		properties.ProbeNoDev: "ProbeNoDev", properties.ProbeNXIO: "ProbeNXIO", properties.ProbeNoMem: "ProbeNoMem"}
	actionIdents = [...]string{properties.ActDevres: "ActDevres", properties.ActDevresSelf: "ActDevresSelf",
		properties.ActDevresRef: "ActDevresRef", properties.ActChild: "ActChild", properties.ActSubDriver: "ActSubDriver",
		properties.ActWaitGate: "ActWaitGate"}
	opIdents = [...]string{
		properties.OpNewDevice: "OpNewDevice", properties.OpRegister: "OpRegister",
		properties.OpNewAndRegister: "OpNewAndRegister", properties.OpRegisterAsync: "OpRegisterAsync",
		properties.OpWait: "OpWait", properties.OpUnregister: "OpUnregister", properties.OpGet: "OpGet",
		properties.OpPut: "OpPut", properties.OpTryUnregister: "OpTryUnregister",
		properties.OpUnregisterAsync: "OpUnregisterAsync", properties.OpDevres: "OpDevres",
		properties.OpSetOverride: "OpSetOverride", properties.OpBind: "OpBind", properties.OpUnbind: "OpUnbind",
		properties.OpReprobe: "OpReprobe", properties.OpFind: "OpFind", properties.OpPutLookup: "OpPutLookup",
		properties.OpLookupOverride: "OpLookupOverride", properties.OpLookupBind: "OpLookupBind",
		properties.OpLookupUnbind: "OpLookupUnbind", properties.OpLookupDevres: "OpLookupDevres",
		properties.OpDriverRegister: "OpDriverRegister", properties.OpDriverUnregister: "OpDriverUnregister",
		properties.OpModuleLoad: "OpModuleLoad", properties.OpModuleUnload: "OpModuleUnload",
		properties.OpWaitForProbe: "OpWaitForProbe", properties.OpBlockProbing: "OpBlockProbing",
		properties.OpUnblockProbing: "OpUnblockProbing", properties.OpOpenGate: "OpOpenGate",
	}
)
