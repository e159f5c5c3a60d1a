// Command devstress runs campaigns against the device core and works with
// their counterexample files.
//
//	devstress [run] [flags]          a campaign (the default: 30s on every core)
//	devstress replay FILE            replay a counterexample and check it
//	devstress minimize FILE [-o OUT] minimize a counterexample
//	devstress report FILE [-o PAGE]  its report, as text or as an HTML page
//	devstress export FILE -o X_test.go [--package P] [--test NAME]
//	devstress bugs [flags]           the scoreboard of the known bug variants
//	devstress crasher FILE [-o OUT]  a fuzz target's failing input as a counterexample
//
// Exit status: 0 when all went well, 1 when a campaign found a failure, a
// counterexample does not replay as it expects or an operation failed (a
// missing, corrupt or newer-version file, an output that cannot be
// written), 2 for a usage error (an unknown command or flag, a bad value),
// 130 when a campaign was interrupted and found nothing. Errors are one
// line on the standard error, prefixed "devstress: ".
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(devstress(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: it returns the exit status, or an error that
// decides it (a usageError: 2, any other: 1).
type command struct {
	name, args, help string
	run              func(args []string, stdout, stderr io.Writer) (int, error)
}

var commands []command

func init() {
	commands = []command{
		{"run", "[flags]", "run a campaign (the default command)", runCmd},
		{"replay", "FILE", "replay a counterexample file; exit 1 unless it replays as it expects", replayCmd},
		{"minimize", "FILE [-o OUT]", "minimize a counterexample file (to the standard output by default)", minimizeCmd},
		{"report", "FILE [-o PAGE.html]", "the report of a counterexample: text, or an HTML page with -o", reportCmd},
		{"export", "FILE -o X_test.go [--package P] [--test NAME]", "a counterexample as a standalone Go test", exportCmd},
		{"bugs", "[flags]", "the scoreboard: each known bug variant hunted by each strategy", bugsCmd},
		{"crasher", "FILE [-o OUT] [--target FuzzX] [--bug B]", "a fuzz target's failing input as a minimized counterexample file", crasherCmd},
		{"help", "", "this text", helpCmd},
		// worker is the campaign's worker process, started by run and bugs.
		{"worker", "", "", workerCmd},
	}
}

// usageError is a bad command line: exit status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// devstress runs the command line args and returns the exit status.
func devstress(args []string, stdout, stderr io.Writer) int {
	name := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	for _, c := range commands {
		if c.name == name {
			code, err := c.run(args, stdout, stderr)
			if err == nil {
				return code
			}
			fmt.Fprintf(stderr, "devstress: %s\n", oneLine(err))
			if errors.As(err, new(usageError)) {
				return 2
			}
			return max(code, 1)
		}
	}
	fmt.Fprintf(stderr, "devstress: unknown command %q (run 'devstress help')\n", name)
	return 2
}

// oneLine joins the lines of an error's text.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

func helpCmd(args []string, stdout, _ io.Writer) (int, error) {
	if len(args) > 0 {
		return 0, usagef("help takes no arguments (try 'devstress %s -h')", args[0])
	}
	fmt.Fprintln(stdout, "usage: devstress [command] [arguments]\n\ncommands:")
	for _, c := range commands {
		if c.help != "" {
			fmt.Fprintf(stdout, "  %-9s %-46s %s\n", c.name, c.args, c.help)
		}
	}
	fmt.Fprintln(stdout, "\n'devstress COMMAND -h' lists a command's flags.")
	return 0, nil
}

// parse parses a command's flags, which may come before, between or after
// its arguments, and returns the arguments. -h prints the flags to stdout
// and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer, usage string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(stdout, "usage: devstress %s %s\n", fs.Name(), usage)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// oneFile parses a command that takes one counterexample file.
func oneFile(fs *flag.FlagSet, args []string, stdout io.Writer, usage string) (string, error) {
	pos, err := parse(fs, args, stdout, usage)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", usagef("%s: want one counterexample file, got %d arguments", fs.Name(), len(pos))
	}
	return pos[0], nil
}

// positive checks a flag's value is at least 1.
func positive(name string, n int) error {
	if n < 1 {
		return usagef("--%s %d: want a positive integer", name, n)
	}
	return nil
}
