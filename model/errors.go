package model

import "errors"

// The error sentinels of the spec (§0). Results carry them unwrapped, so a
// harness may compare with == or errors.Is; [ErrorName] gives the name the
// harness uses to map them onto the implementation's sentinels.
var (
	ErrProbeDefer = errors.New("model: probe deferred (EPROBE_DEFER)")
	ErrNoDev      = errors.New("model: no such device (ENODEV)")
	ErrNXIO       = errors.New("model: no such device or address (ENXIO)")
	ErrBusy       = errors.New("model: busy (EBUSY)")
	ErrNoMem      = errors.New("model: out of memory (ENOMEM)")
	ErrExist      = errors.New("model: already exists (EEXIST)")
	ErrInval      = errors.New("model: invalid argument (EINVAL)")
	ErrAgain      = errors.New("model: try again (EAGAIN)")
)

var errorNames = []struct {
	name string
	err  error
}{
	{"ErrProbeDefer", ErrProbeDefer},
	{"ErrNoDev", ErrNoDev},
	{"ErrNXIO", ErrNXIO},
	{"ErrBusy", ErrBusy},
	{"ErrNoMem", ErrNoMem},
	{"ErrExist", ErrExist},
	{"ErrInval", ErrInval},
	{"ErrAgain", ErrAgain},
}

// ErrorName returns the sentinel's Go name ("ErrNoDev", ...), "nil" for nil,
// and "" for an error that is not one of the sentinels.
func ErrorName(err error) string {
	if err == nil {
		return "nil"
	}
	for _, e := range errorNames {
		if errors.Is(err, e.err) {
			return e.name
		}
	}
	return ""
}

// ErrorByName is the inverse of [ErrorName]: it returns the sentinel named
// name, nil for "nil", and false when the name is unknown.
func ErrorByName(name string) (error, bool) {
	if name == "nil" {
		return nil, true
	}
	for _, e := range errorNames {
		if e.name == name {
			return e.err, true
		}
	}
	return nil, false
}
