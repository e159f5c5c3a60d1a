package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/devstress/devstress/shrink"
)

// replayLine is the command that replays the counterexample at path.
func replayLine(path string) string { return "devstress replay " + path }

// replayCmd replays FILE: its report, then exit 0 when the run meets the
// file's expectation, 1 with the differences when not.
func replayCmd(args []string, stdout, _ io.Writer) (int, error) {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	path, err := oneFile(fs, args, stdout, "FILE")
	if err != nil {
		return helpOr(err)
	}
	f, err := shrink.ReadFile(path)
	if err != nil {
		return 1, err
	}
	v, cerr := shrink.Verify(f)
	if err := shrink.Report(stdout, f, v, replayLine(path)); err != nil {
		return 1, err
	}
	if cerr != nil {
		return 1, fmt.Errorf("%s does not replay as it expects: %w", path, cerr)
	}
	fmt.Fprintf(stdout, "\n%s replays as it expects (%s, digest %s)\n", path, f.Expect, f.Digest)
	return 0, nil
}

// minimizeCmd minimizes FILE to -o OUT, or to the standard output (also
// when OUT cannot be written), and says how on the standard error.
func minimizeCmd(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("minimize", flag.ContinueOnError)
	out := fs.String("o", "", "write the minimized file here (default: the standard output)")
	budget := fs.Int("budget", shrink.DefaultBudget, "at most this many candidate replays")
	path, err := oneFile(fs, args, stdout, "FILE [-o OUT]")
	if err != nil {
		return helpOr(err)
	}
	if err := positive("budget", *budget); err != nil {
		return 2, err
	}
	f, err := shrink.ReadFile(path)
	if err != nil {
		return 1, err
	}
	m, stats, err := shrink.Minimize(f, shrink.Budget(*budget))
	if err != nil {
		return 1, fmt.Errorf("%s: %w", path, err)
	}
	write := func(w io.Writer) error { return shrink.Write(w, m) }
	if err := emit(*out, stdout, write); err != nil {
		// Not lost: the result goes to the standard output instead.
		return 1, errors.Join(err, emit("", stdout, write))
	}
	fmt.Fprintf(stderr, "minimized %s: %s\n", path, stats)
	return 0, nil
}

// reportCmd writes FILE's report: text to the standard output, or to -o;
// an HTML page when -o ends in .html.
func reportCmd(args []string, stdout, _ io.Writer) (int, error) {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	out := fs.String("o", "", "write the report here; a path ending in .html gets the HTML page")
	path, err := oneFile(fs, args, stdout, "FILE [-o PAGE.html]")
	if err != nil {
		return helpOr(err)
	}
	f, err := shrink.ReadFile(path)
	if err != nil {
		return 1, err
	}
	v := shrink.Replay(f)
	if strings.HasSuffix(*out, ".html") {
		return 0, emit(*out, stdout, func(w io.Writer) error { return shrink.HTML(w, f, v) })
	}
	return 0, emit(*out, stdout, func(w io.Writer) error { return shrink.Report(w, f, v, replayLine(path)) })
}

// exportCmd writes FILE as a standalone Go test to -o.
func exportCmd(args []string, stdout, _ io.Writer) (int, error) {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("o", "", "the Go test file to write (required)")
	pkg := fs.String("package", shrink.DefaultExportPackage, "the test file's package")
	name := fs.String("test", "", "the test's name (default "+shrink.DefaultExportTest+")")
	path, err := oneFile(fs, args, stdout, "FILE -o X_test.go [--package P] [--test NAME]")
	if err != nil {
		return helpOr(err)
	}
	if *out == "" {
		return 2, usagef("export: -o X_test.go is required")
	}
	f, err := shrink.ReadFile(path)
	if err != nil {
		return 1, err
	}
	opts := []shrink.ExportOption{shrink.ExportPackage(*pkg)}
	if *name != "" {
		opts = append(opts, shrink.ExportTestName(*name))
	}
	return 0, emit(*out, stdout, func(w io.Writer) error { return shrink.Export(w, f, opts...) })
}

// emit renders with write into memory, then writes it to the file at path
// (the standard output when path is empty): a failed rendering writes
// nothing.
func emit(path string, stdout io.Writer, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	if path == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// helpOr is the exit of a command whose flags did not parse: 0 for -h,
// else the usage error.
func helpOr(err error) (int, error) {
	if errors.Is(err, flag.ErrHelp) {
		return 0, nil
	}
	return 2, err
}
