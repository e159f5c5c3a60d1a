package shrink

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/devstress/devstress/properties"
)

// opForms are the forms of the operation lines, as properties.Op.String
// writes them, with placeholders: $D the device (Dev), $P the parent, $R
// the devres target (Ref), as d<n>; $N a quoted Name; $V a bare Driver;
// $Q a quoted Driver; $M a bare Module; $G a bare Name (a gate). setRef
// marks the form that means Ref 0 without naming it.
var opForms = []struct {
	kind   properties.OpKind
	form   string
	setRef bool
}{
	{properties.OpNewDevice, `$D := NewDevice($N)`, false},
	{properties.OpNewDevice, `$D := NewDevice($N, $P)`, false},
	{properties.OpNewAndRegister, `$D := NewAndRegister($N)`, false},
	{properties.OpNewAndRegister, `$D := NewAndRegister($N, $P)`, false},
	{properties.OpRegister, `RegisterSync($D)`, false},
	{properties.OpRegisterAsync, `RegisterAsync($D)`, false},
	{properties.OpWait, `Wait($D)`, false},
	{properties.OpUnregister, `Unregister($D)`, false},
	{properties.OpGet, `Get($D)`, false},
	{properties.OpPut, `Put($D)`, false},
	{properties.OpTryUnregister, `TryUnregister($D)`, false},
	{properties.OpUnregisterAsync, `UnregisterAsync($D)`, false},
	{properties.OpDevres, `DevresAdd($D, plain)`, false},
	{properties.OpDevres, `DevresAdd($D, ref($R))`, false},
	{properties.OpSetOverride, `SetOverride($D, $N)`, false},
	{properties.OpBind, `Bind($D, $V)`, false},
	{properties.OpUnbind, `Unbind($D)`, false},
	{properties.OpReprobe, `Reprobe($D)`, false},
	{properties.OpFind, `lookup := FindDevice($N)`, false},
	{properties.OpPutLookup, `PutLookup(lookup)`, false},
	{properties.OpLookupOverride, `SetOverride(FindDevice($N), $Q)`, false},
	{properties.OpLookupBind, `Bind(FindDevice($N), $V)`, false},
	{properties.OpLookupUnbind, `Unbind(FindDevice($N))`, false},
	{properties.OpLookupDevres, `DevresAdd(FindDevice($N), plain)`, false},
	{properties.OpLookupDevres, `x := FindDevice($N); DevresAdd(x, ref(x))`, true},
	{properties.OpDriverRegister, `DriverRegister($V)`, false},
	{properties.OpDriverUnregister, `DriverUnregister($V)`, false},
	{properties.OpModuleLoad, `ModuleLoad($M)`, false},
	{properties.OpModuleUnload, `ModuleUnload($M)`, false},
	{properties.OpWaitForProbe, `WaitForDeviceProbe()`, false},
	{properties.OpBlockProbing, `BlockProbing()`, false},
	{properties.OpUnblockProbing, `UnblockProbing()`, false},
	{properties.OpOpenGate, `Open($G)`, false},
}

// opTemplates are opForms lexed, by index.
var opTemplates = func() [][]token {
	ts := make([][]token, len(opForms))
	for i, f := range opForms {
		t, err := lex(f.form)
		if err != nil {
			panic(err)
		}
		ts[i] = t
	}
	return ts
}()

// parseOp reads an operation line. It fails with ErrUnknown when the line
// calls something that is no operation, and with ErrCorrupt, listing the
// forms it expected, when the call is known but the form is not.
func parseOp(line string) (properties.Op, error) {
	ts, err := lex(line)
	if err != nil {
		return properties.Op{}, &lineErr{ErrCorrupt, err.Error()}
	}
	for i, tmpl := range opTemplates {
		if op, ok := matchOp(ts, tmpl); ok {
			op.Kind = opForms[i].kind
			if opForms[i].setRef {
				op.Ref = 0
			}
			return op, nil
		}
	}
	call := callee(ts)
	var forms []string
	for _, f := range opForms {
		if strings.Contains(f.form, call+"(") {
			forms = append(forms, "`"+f.form+"`")
		}
	}
	if call == "" || len(forms) == 0 {
		if call == "" {
			call = line
		}
		return properties.Op{}, &lineErr{ErrUnknown, fmt.Sprintf("operation %q (not one this devstress can run)", call)}
	}
	return properties.Op{}, &lineErr{ErrCorrupt, fmt.Sprintf("%q: expected %s, where $D is d<n>, $N a quoted name, $V a driver",
		line, strings.Join(forms, " or "))}
}

// callee is the first word followed by "(", the operation's name.
func callee(ts []token) string {
	for i := 0; i+1 < len(ts); i++ {
		if ts[i].kind == tokWord && ts[i+1].text == "(" && ts[i+1].kind == tokPunct {
			if ts[i].text == "FindDevice" && i > 0 && ts[i-1].text == "(" {
				continue // the argument of a lookup form
			}
			return ts[i].text
		}
	}
	return ""
}

// matchOp matches tokens against a template, filling in an Op.
func matchOp(ts, tmpl []token) (properties.Op, bool) {
	op := properties.Op{Dev: -1, Parent: -1, Ref: -1}
	if len(ts) != len(tmpl) {
		return op, false
	}
	for i, want := range tmpl {
		got := ts[i]
		if want.kind != tokWord || !strings.HasPrefix(want.text, "$") {
			if got != want {
				return op, false
			}
			continue
		}
		var ok bool
		switch want.text {
		case "$D":
			op.Dev, ok = devIndex(got)
		case "$P":
			op.Parent, ok = devIndex(got)
		case "$R":
			op.Ref, ok = devIndex(got)
		case "$N":
			op.Name, ok = got.text, got.kind == tokString
		case "$Q":
			op.Driver, ok = got.text, got.kind == tokString
		case "$V":
			op.Driver, ok = got.text, got.kind == tokWord && isToken(got.text)
		case "$M":
			op.Module, ok = got.text, got.kind == tokWord && isToken(got.text)
		case "$G":
			op.Name, ok = got.text, got.kind == tokWord && isToken(got.text)
		}
		if !ok {
			return op, false
		}
	}
	return op, true
}

// devIndex reads a device variable d<n>.
func devIndex(t token) (int, bool) {
	if t.kind != tokWord || !strings.HasPrefix(t.text, "d") {
		return 0, false
	}
	n, err := strconv.Atoi(t.text[1:])
	return n, err == nil && t.text[1:] == strconv.Itoa(n)
}

// The enumerations of driver lines, by value.
var (
	probeTypes = []string{properties.ProbeDefault: "Default", properties.PreferAsync: "PreferAsync", properties.ForceSync: "ForceSync"}
	matches    = []string{properties.MatchNo: "no", properties.MatchYes: "yes", properties.MatchDefer: "defer", properties.MatchError: "error"}
	outcomes   = []string{properties.ProbeOK: "ok", properties.ProbeDefer: "defer", properties.ProbeNoDev: "ENODEV", properties.ProbeNXIO: "ENXIO", properties.ProbeNoMem: "ENOMEM"}
)

// parseProbe reads the script of a probe line, "devres; child b; ok".
func parseProbe(s string) (properties.ProbeScript, error) {
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var pr properties.ProbeScript
	res := parts[len(parts)-1]
	switch f := strings.Fields(res); {
	case len(f) == 4 && f[0] == "defer" && f[1] == "until" && f[3] == "bound" && isToken(f[2]):
		pr.Result, pr.Until = properties.ProbeDefer, f[2]
	default:
		i := slices.Index(outcomes, res)
		if i < 0 || properties.Outcome(i) == properties.ProbeDefer {
			if res == "" {
				return pr, &lineErr{ErrCorrupt, "the probe script has no result (ok, defer until <dev> bound, ENODEV, ENXIO, ENOMEM)"}
			}
			return pr, &lineErr{ErrUnknown, fmt.Sprintf("probe result %q (known: ok, defer until <dev> bound, ENODEV, ENXIO, ENOMEM)", res)}
		}
		pr.Result = properties.Outcome(i)
	}
	for _, a := range parts[:len(parts)-1] {
		act, err := parseAction(a)
		if err != nil {
			return pr, err
		}
		pr.Actions = append(pr.Actions, act)
	}
	return pr, nil
}

// parseAction reads one probe action as Action.String writes it.
func parseAction(s string) (properties.Action, error) {
	f := strings.Fields(s)
	if len(f) == 2 && !isToken(strings.TrimSuffix(f[1], ")")) {
		f = nil // a name that is not one word: unknown
	}
	switch {
	case s == "devres":
		return properties.Action{Kind: properties.ActDevres}, nil
	case s == "devres(ref self)":
		return properties.Action{Kind: properties.ActDevresSelf}, nil
	case strings.HasPrefix(s, "devres(ref ") && strings.HasSuffix(s, ")") && len(f) == 2:
		return properties.Action{Kind: properties.ActDevresRef, Name: strings.TrimSuffix(f[1], ")")}, nil
	case len(f) == 2 && f[0] == "child":
		return properties.Action{Kind: properties.ActChild, Name: f[1]}, nil
	case len(f) == 2 && f[0] == "register":
		return properties.Action{Kind: properties.ActSubDriver, Name: f[1]}, nil
	case len(f) == 2 && f[0] == "wait":
		return properties.Action{Kind: properties.ActWaitGate, Name: f[1]}, nil
	}
	return properties.Action{}, &lineErr{ErrUnknown, fmt.Sprintf("probe action %q (known: devres, devres(ref self), devres(ref <dev>), child <dev>, register <driver>, wait <gate>)", s)}
}

// parseRemove reads the script of a remove line, "wait g1; use devres".
func parseRemove(s string) (properties.RemoveScript, error) {
	var r properties.RemoveScript
	if strings.TrimSpace(s) == "" {
		return r, nil
	}
	for _, part := range strings.Split(s, ";") {
		switch f := strings.Fields(part); {
		case len(f) == 2 && f[0] == "wait" && isToken(f[1]) && r.Gate == "" && !r.UseDevres:
			r.Gate = f[1]
		case len(f) == 2 && f[0] == "use" && f[1] == "devres" && !r.UseDevres:
			r.UseDevres = true
		default:
			return r, &lineErr{ErrUnknown, fmt.Sprintf("remove step %q (known, in order: wait <gate>; use devres)", strings.TrimSpace(part))}
		}
	}
	return r, nil
}

// lineErr is an error of one line, placed by the parser.
type lineErr struct {
	kind error
	msg  string
}

func (e *lineErr) Error() string { return e.msg }
