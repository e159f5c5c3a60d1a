package model

// devresEntry is one devres entry (§10.2): a plain resource (target "") or
// an action holding a reference, charged to label, on device target.
type devresEntry struct {
	label     string
	target    string
	probeTime bool
}

// devresAdd adds an entry on d; it is probe-time iff d.driver is set.
func (s *State) devresAdd(d *device, target string) {
	d.devresSeq++
	e := devresEntry{label: devresLabel(d.handle, d.devresSeq), target: target, probeTime: d.driver != ""}
	if target != "" {
		s.get(s.dev(target), e.label)
	}
	d.devres = append(d.devres, e)
	s.emit(Event{Kind: EvDevresAdd, Device: d.handle, Label: e.label, Flag: e.probeTime})
}

// devresReleaseAll is devres_release_all: LIFO, each ref-holding action puts
// its reference (which may release its target, recursively).
func (s *State) devresReleaseAll(d *device) {
	for len(d.devres) > 0 {
		e := d.devres[len(d.devres)-1]
		d.devres = d.devres[:len(d.devres)-1]
		s.emit(Event{Kind: EvDevresRelease, Device: d.handle, Label: e.label})
		if e.target != "" {
			s.put(s.dev(e.target), e.label)
		}
	}
}

// opDevresAdd is the program's DevresAdd(d, r): only on a Registered device
// that is not dead, otherwise skipped (§14.4).
func (s *State) opDevresAdd(h, ref string) Result {
	d, why := s.live(h)
	if why != "" {
		return invalid("DevresAdd: %s", why)
	}
	if ref != "" {
		if _, why := s.live(ref); why != "" {
			return invalid("DevresAdd ref: %s", why)
		}
	}
	if d.phase != Registered || d.dead {
		return Result{Skipped: true}
	}
	s.devresAdd(d, ref)
	return Result{}
}
