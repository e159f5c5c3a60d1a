package sut

import (
	"errors"
	"fmt"
)

// The core's errors. Every error the core returns wraps one of them; test
// with errors.Is.
var (
	ErrProbeDefer = errors.New("EPROBE_DEFER: probe deferred")
	ErrNoDev      = errors.New("ENODEV: no such device")
	ErrNXIO       = errors.New("ENXIO: no such device or address")
	ErrBusy       = errors.New("EBUSY: device or resource busy")
	ErrNoMem      = errors.New("ENOMEM: out of memory")
	ErrExist      = errors.New("EEXIST: already exists")
	ErrInval      = errors.New("EINVAL: invalid argument")
	ErrAgain      = errors.New("EAGAIN: try again")
	// ErrIO is the "other error" of driver scripts: a Match or Probe that
	// fails with something the core has no special rule for.
	ErrIO = errors.New("EIO: input/output error")
)

var sentinels = []struct {
	err  error
	name string
}{
	{ErrProbeDefer, "ErrProbeDefer"}, {ErrNoDev, "ErrNoDev"}, {ErrNXIO, "ErrNXIO"},
	{ErrBusy, "ErrBusy"}, {ErrNoMem, "ErrNoMem"}, {ErrExist, "ErrExist"},
	{ErrInval, "ErrInval"}, {ErrAgain, "ErrAgain"}, {ErrIO, "ErrIO"},
}

// ErrName names err for events and messages: "nil", the name of the
// sentinel it wraps, or "other".
func ErrName(err error) string {
	if err == nil {
		return "nil"
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "other"
}

// errorf wraps sentinel with a message: "op subject: sentinel".
func errorf(sentinel error, op, subject string) error {
	if subject == "" {
		return fmt.Errorf("%s: %w", op, sentinel)
	}
	return fmt.Errorf("%s %s: %w", op, subject, sentinel)
}
