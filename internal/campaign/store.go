package campaign

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/devstress/devstress/shrink"
)

// DefaultKeep is how many failures of each invariant a Store keeps.
const DefaultKeep = 3

// Store keeps a campaign's failures as counterexample files in a
// directory: the first Keep failures of each invariant, in the order they
// arrive.
type Store struct {
	Dir  string
	Keep int
	// recorded are the failures written, with their files' paths.
	recorded []recorded
	seen     map[string]int // recorded failures by invariant
}

type recorded struct {
	found Found
	file  shrink.File
	path  string
}

// Kept is a counterexample a Store wrote: minimized (Stats says how),
// or as recorded when minimizing failed (Err says why).
type Kept struct {
	Path string
	File shrink.File
	// Units are the campaign's units whose failures minimized to it.
	Units []int
	Stats shrink.Stats
	Err   error
}

// NewStore returns a store writing to dir, which it creates. It fails
// when dir cannot be created or written.
func NewStore(dir string, keep int) (*Store, error) {
	if keep < 1 {
		keep = DefaultKeep
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	probe, err := os.CreateTemp(dir, ".devstress-*")
	if err != nil {
		return nil, err
	}
	if err := errors.Join(probe.Close(), os.Remove(probe.Name())); err != nil {
		return nil, err
	}
	return &Store{Dir: dir, Keep: keep, seen: map[string]int{}}, nil
}

// Record writes f's counterexample file at once, as recorded, when it is
// among the first Keep of its invariant, so that nothing found is lost if
// the campaign is killed; it returns the path, "" when f is not kept. A
// failure that could not be recorded as a file (f.Err) is not written.
func (s *Store) Record(f Found) (string, error) {
	if f.File == "" || s.seen[f.Invariant] >= s.Keep {
		return "", nil
	}
	file, err := shrink.Parse(strings.NewReader(f.File))
	if err != nil {
		return "", fmt.Errorf("the recorded counterexample of unit %d: %w", f.Index, err)
	}
	path, err := s.write(file)
	if err != nil {
		return "", err
	}
	s.seen[f.Invariant]++
	s.recorded = append(s.recorded, recorded{found: f, file: file, path: path})
	return path, nil
}

// Recorded counts the files Record wrote.
func (s *Store) Recorded() int { return len(s.recorded) }

// Minimize minimizes the recorded files (shrink.Minimize, in unit order),
// writes each distinct result (by invariant and trace digest) as
// <invariant>-<digest>.txt, and removes the recorded files the results
// replace. A file that does not minimize is kept as recorded.
func (s *Store) Minimize() ([]Kept, error) {
	sort.Slice(s.recorded, func(a, b int) bool { return s.recorded[a].found.Index < s.recorded[b].found.Index })
	var kept []Kept
	byName := map[string]int{}
	for _, r := range s.recorded {
		m, stats, err := shrink.Minimize(r.file)
		if err != nil {
			kept = append(kept, Kept{Path: r.path, File: r.file, Units: []int{r.found.Index}, Err: err})
			continue
		}
		name := fileName(m)
		if k, ok := byName[name]; ok {
			kept[k].Units = append(kept[k].Units, r.found.Index)
		} else {
			path, err := s.write(m)
			if err != nil {
				return kept, err
			}
			byName[name] = len(kept)
			kept = append(kept, Kept{Path: path, File: m, Units: []int{r.found.Index}, Stats: stats})
		}
		if r.path != filepath.Join(s.Dir, name) && !s.isKept(kept, r.path) {
			if err := os.Remove(r.path); err != nil {
				return kept, err
			}
		}
	}
	return kept, nil
}

func (s *Store) isKept(kept []Kept, path string) bool {
	for _, k := range kept {
		if k.Path == path {
			return true
		}
	}
	return false
}

// fileName is a counterexample's file name: its invariant and digest.
func fileName(f shrink.File) string {
	return fmt.Sprintf("%s-%s.txt", f.Expect.Invariant, f.Digest)
}

// write writes f under the store's directory by its fileName.
func (s *Store) write(f shrink.File) (string, error) {
	var b bytes.Buffer
	if err := shrink.Write(&b, f); err != nil {
		return "", err
	}
	path := filepath.Join(s.Dir, fileName(f))
	return path, os.WriteFile(path, b.Bytes(), 0o644)
}
