package shrink_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstress/devstress/shrink"
	"github.com/stretchr/testify/require"
)

// good is a valid file the bad ones are edits of.
const good = `devstress counterexample v1
bug H6
driver A Default module M
  match a yes
  probe a: devres; ok
module M sync A
fault F-ADD-KOBJ hit 1
client 1
  d0 := NewDevice("a")
  RegisterSync(d0)
  ModuleLoad(M)
at "client1" Y-ADD #1 -> "client2"
expect DEL-ONCE at step 9
digest 0123456789abcdef
end
`

func TestGoodFileParses(t *testing.T) {
	f, err := shrink.Parse(strings.NewReader(good))
	require.NoError(t, err)
	require.Equal(t, good, f.String())
}

// Each bad file fails with one line that says what is wrong, where.
func TestBadFilesFailWithTheirReason(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(good, old) {
			panic(old)
		}
		return strings.Replace(good, old, new, 1)
	}
	beforeExpect, _, found := strings.Cut(good, "expect")
	require.True(t, found)
	cases := []struct {
		name, text string
		kind       error
		msg        string
	}{
		{"empty", "", shrink.ErrEmpty, `counterexample: empty file: no "devstress counterexample v1" line`},
		{"not ours", "hello\n", shrink.ErrNotCounterexample, `line 1: not a devstress counterexample: the first line is "hello"`},
		{"newer", edit("v1", "v2"), shrink.ErrNewer, "line 1: written by a newer devstress: v2; this one reads v1"},
		{"bad version", edit("v1", "vX"), shrink.ErrCorrupt, `line 1: corrupt line: bad version "X"`},
		{"truncated", beforeExpect, shrink.ErrTruncated, "truncated: the file stops at line 12 without its end line"},
		{"cut mid-line", good[:strings.Index(good, "Y-ADD")+2], shrink.ErrCorrupt, `line 12: corrupt line: at "\"client1\" Y-": expected`},
		{"no expect", edit("expect DEL-ONCE at step 9\n", ""), shrink.ErrCorrupt, "no expect line"},
		{"garbage line", edit("client 1\n", "client 1\n%%%\n"), shrink.ErrUnknown, `line 9: unknown to this devstress: operation "%%%"`},
		{"stray line", edit("bug H6\n", "bug H6\nfrobnicate\n"), shrink.ErrCorrupt, `line 3: corrupt line: "frobnicate": expected a line starting with one of bug, stress`},
		{"unknown op", edit("RegisterSync(d0)", "Frobnicate(d0)"), shrink.ErrUnknown, `line 10: unknown to this devstress: operation "Frobnicate"`},
		{"malformed op", edit("RegisterSync(d0)", "RegisterSync(a)"), shrink.ErrCorrupt, "line 10: corrupt line: \"RegisterSync(a)\": expected `RegisterSync($D)`"},
		{"unknown fault point", edit("F-ADD-KOBJ", "F-NEW-THING"), shrink.ErrUnknown, `line 7: unknown to this devstress: fault point "F-NEW-THING"`},
		{"bad fault", edit("hit 1", "hit one"), shrink.ErrCorrupt, `line 7: corrupt line: hit "one": expected a non-negative integer`},
		{"unknown bug", edit("H6", "H99"), shrink.ErrUnknown, `line 2: unknown to this devstress: bug variant "H99"`},
		{"unknown probe type", edit("A Default", "A Turbo"), shrink.ErrUnknown, `line 3: unknown to this devstress: probe type "Turbo" of driver A`},
		{"unknown match", edit("match a yes", "match a maybe"), shrink.ErrUnknown, `line 4: unknown to this devstress: match result "maybe"`},
		{"unknown probe action", edit("devres; ok", "teleport; ok"), shrink.ErrUnknown, `line 5: unknown to this devstress: probe action "teleport"`},
		{"undeclared driver", edit("module M sync A", "module M sync A Z"), shrink.ErrUnknown, "line 6: unknown to this devstress: driver Z: no driver line declares it"},
		{"undeclared module", edit("ModuleLoad(M)", "ModuleLoad(N)"), shrink.ErrUnknown, "line 11: unknown to this devstress: module N: no module line declares it"},
		{"orphan match", edit("bug H6\n", "bug H6\nmatch a yes\n"), shrink.ErrCorrupt, "line 3: corrupt line: a match line must follow its driver line"},
		{"client out of order", edit("client 1", "client 2"), shrink.ErrCorrupt, "line 8: corrupt line: client \"2\": expected `client 1`"},
		{"bad switch", edit(`#1 -> "client2"`, `#0 -> "client2"`), shrink.ErrCorrupt, "line 12: corrupt line: at"},
		{"bad expect", edit("at step 9", "at 9"), shrink.ErrCorrupt, "line 13: corrupt line: expect \"DEL-ONCE at 9\": expected `expect pass` or"},
		{"twice", edit("digest 0123456789abcdef\n", "digest 0123456789abcdef\ndigest 0\n"), shrink.ErrCorrupt, "line 15: corrupt line: a second digest line (the first is line 14)"},
		{"after end", good + "bug H1\n", shrink.ErrCorrupt, `line 16: corrupt line: "bug H1" after the end line`},
		{"unknown executor", edit("bug H6\n", "bug H6\nexecutor free\n"), shrink.ErrUnknown, `line 3: unknown to this devstress: executor "free" (known: sequential;`},
		{"sequential with a schedule", edit("bug H6\n", "bug H6\nexecutor sequential\n"), shrink.ErrCorrupt, "line 3: corrupt line: a sequential run has one client and no schedule"},
		{"long line", good[:10] + strings.Repeat("x", 70000) + "\n", shrink.ErrCorrupt, "longer than 65536 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := shrink.Parse(strings.NewReader(c.text))
			require.Error(t, err)
			require.ErrorIs(t, err, c.kind)
			require.Contains(t, err.Error(), c.msg)
			require.NotContains(t, err.Error(), "\n", "one line")

			path := filepath.Join(t.TempDir(), "bad.txt")
			require.NoError(t, os.WriteFile(path, []byte(c.text), 0o644))
			_, err = shrink.ReadFile(path)
			require.ErrorIs(t, err, c.kind)
			require.ErrorContains(t, err, "counterexample "+path+": ")
		})
	}
}

func TestMissingFileIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.txt")
	_, err := shrink.ReadFile(path)
	require.ErrorIs(t, err, os.ErrNotExist)
	var e *shrink.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "counterexample "+path+": no such file or directory: cannot read the file", err.Error())
}
