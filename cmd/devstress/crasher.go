package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/devstress/devstress/fuzz"
	"github.com/devstress/devstress/internal/campaign"
	"github.com/devstress/devstress/shrink"
	"github.com/devstress/devstress/sut"
)

// crasherCmd makes a failing input of a fuzz target a minimized
// counterexample file: FILE is an entry of go test -fuzz's corpus
// (fuzz/targets/testdata/fuzz/<Target>/<name>, the target named by its
// directory) or a libFuzzer testcase (raw bytes, --target needed). The
// input runs on --bug's variant (default: $DEVSTRESS_FUZZ_BUG, the
// variant go test -fuzz ran on), must fail there, and is recorded
// (shrink.FromVerdict, which checks that the record replays), minimized and
// written to -o: a file, or a directory that gets Fuzz<Target>-<digest>.txt
// (properties/testdata/counterexamples makes it a regression test), or
// the standard output.
func crasherCmd(args []string, stdout, stderr io.Writer) (int, error) {
	const usage = "FILE [-o OUT] [--target FuzzX] [--bug B]"
	fs := flag.NewFlagSet("crasher", flag.ContinueOnError)
	out := fs.String("o", "", "write the counterexample here: a file, or a directory to put Fuzz<Target>-<digest>.txt in (default: the standard output)")
	name := fs.String("target", "", "the fuzz target the input is for (default: FILE's directory, as go test -fuzz names it)")
	bugName := fs.String("bug", os.Getenv(fuzz.BugEnv), "the core's bug variant the input failed on (default: $"+fuzz.BugEnv+"; empty: the correct core)")
	pos, err := parse(fs, args, stdout, usage)
	if err != nil {
		return helpOr(err)
	}
	if len(pos) != 1 {
		return 2, usagef("crasher: want one fuzz input file, got %d arguments", len(pos))
	}
	path := pos[0]
	if *name == "" {
		*name = filepath.Base(filepath.Dir(path))
	}
	t := fuzz.Lookup(*name)
	if t == nil {
		return 2, usagef("crasher: %q is not a fuzz target whose inputs run a program (--target: one of %s)", *name, strings.Join(targetNames(), ", "))
	}
	bug, err := campaign.ParseBug(*bugName)
	if err != nil {
		return 2, usagef("crasher: --bug: %v", err)
	}
	data, err := fuzz.ReadInput(path)
	if err != nil {
		return 1, err
	}
	v := t.Run(bug, data)
	if v.Failure == nil {
		return 1, fmt.Errorf("%s passes as an input of Fuzz%s on %s: nothing to keep (was it found on another variant? --bug)", path, t.Name, variantName(bug))
	}
	f, err := shrink.FromVerdict(v, v.Options)
	if err != nil {
		return 1, fmt.Errorf("%s: %w", path, err)
	}
	m, stats, err := shrink.Minimize(f)
	if err != nil {
		return 1, fmt.Errorf("%s: %w", path, err)
	}
	dest := *out
	if fi, err := os.Stat(dest); dest != "" && err == nil && fi.IsDir() {
		dest = filepath.Join(dest, "Fuzz"+t.Name+"-"+m.Digest+".txt")
	}
	write := func(w io.Writer) error { return shrink.Write(w, m) }
	if err := emit(dest, stdout, write); err != nil {
		// Not lost: the result goes to the standard output instead.
		return 1, errors.Join(err, emit("", stdout, write))
	}
	fmt.Fprintf(stderr, "%s fails Fuzz%s on %s: %s\nminimized: %s\n", path, t.Name, variantName(bug), v.Headline(), stats)
	if dest != "" {
		fmt.Fprintf(stderr, "counterexample written to %s; replay: %s\n", dest, replayLine(dest))
	}
	return 0, nil
}

// variantName names a variant of the core for a message.
func variantName(bug sut.Bug) string {
	if bug == sut.BugNone {
		return "the correct core"
	}
	return "variant " + string(bug)
}

// targetNames lists the fuzz functions whose inputs crasher takes.
func targetNames() []string {
	var names []string
	for _, t := range fuzz.AllTargets {
		names = append(names, "Fuzz"+t.Name)
	}
	return names
}
