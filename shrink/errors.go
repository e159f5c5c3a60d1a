package shrink

import (
	"errors"
	"fmt"
)

// The kinds of bad files. Every error Parse and ReadFile return is an
// *Error whose Err is one of these (or, for ReadFile, the os error), so
// callers can tell them apart with errors.Is.
var (
	// ErrEmpty: the file has no first line.
	ErrEmpty = errors.New("empty file")
	// ErrTruncated: the file stops before its end line.
	ErrTruncated = errors.New("truncated")
	// ErrNotCounterexample: the first line is not the format's.
	ErrNotCounterexample = errors.New("not a devstress counterexample")
	// ErrNewer: the file was written by a newer devstress.
	ErrNewer = errors.New("written by a newer devstress")
	// ErrCorrupt: a line does not have the expected form.
	ErrCorrupt = errors.New("corrupt line")
	// ErrUnknown: a line names an operation, driver, fault point, bug or
	// value this devstress does not know: a program it can no longer
	// express.
	ErrUnknown = errors.New("unknown to this devstress")
)

// Error is a bad counterexample file: the file (empty when parsed from a
// reader), the line (from 1; 0 when the error is the whole file's), its
// kind and what is wrong. Its text is one line.
type Error struct {
	Path string
	Line int
	Err  error
	Msg  string
}

func (e *Error) Error() string {
	where := "counterexample"
	if e.Path != "" {
		where += " " + e.Path
	}
	if e.Line > 0 {
		where += fmt.Sprintf(": line %d", e.Line)
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Err, e.Msg)
}

// Unwrap returns the kind of the error.
func (e *Error) Unwrap() error { return e.Err }
