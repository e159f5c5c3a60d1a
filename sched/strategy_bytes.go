package sched

// Bytes returns a strategy that takes one byte per decision from b, for
// go test -fuzz: the answer is the byte modulo the number of choices, and 0
// (keep the current task, no fault) once b runs out. Any byte string is a
// valid schedule, and shorter strings mean fewer surprises.
func Bytes(b []byte) Strategy { return &byteSource{b: b} }

type byteSource struct {
	anywhere
	b []byte
	i int
}

func (s *byteSource) Choose(c Choice) (int, error) { return s.next(len(c.Candidates)), nil }

func (s *byteSource) Decide(_ string, n int) (int, error) { return s.next(n), nil }

func (s *byteSource) next(n int) int {
	if s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i]) % n
	s.i++
	return v
}
