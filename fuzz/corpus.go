package fuzz

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/devstress/devstress/properties"
	"github.com/devstress/devstress/sched"
)

// corpusHeader is the first line of a file of Go's fuzzing corpus format.
const corpusHeader = "go test fuzz v1"

// CorpusEntry renders data as a file of Go's fuzzing corpus format for a
// target whose only argument is a []byte (all of this package's).
func CorpusEntry(data []byte) []byte {
	return []byte(corpusHeader + "\n[]byte(" + strconv.Quote(string(data)) + ")\n")
}

// ParseCorpusEntry reads a file CorpusEntry (or go test -fuzz) wrote.
func ParseCorpusEntry(file []byte) ([]byte, error) {
	text, ok := strings.CutPrefix(string(file), corpusHeader+"\n")
	if !ok {
		return nil, fmt.Errorf("fuzz: not a corpus file (no %q line)", corpusHeader)
	}
	lit, ok := strings.CutPrefix(strings.TrimSpace(text), "[]byte(")
	lit, ok2 := strings.CutSuffix(lit, ")")
	if !ok || !ok2 {
		return nil, fmt.Errorf("fuzz: a corpus file of this package holds one []byte(...) value")
	}
	s, err := strconv.Unquote(lit)
	if err != nil {
		return nil, fmt.Errorf("fuzz: corpus value: %w", err)
	}
	return []byte(s), nil
}

// ReadInput reads a fuzz input from a file: an entry of Go's fuzzing
// corpus format (what go test -fuzz writes under testdata/fuzz), or any
// other file as raw bytes (a libFuzzer testcase, such as ClusterFuzzLite's
// crashes). A file that begins as a corpus entry but is not one is an
// error, not raw bytes.
func ReadInput(path string) ([]byte, error) {
	file, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(file, []byte(corpusHeader)) {
		return file, nil
	}
	data, err := ParseCorpusEntry(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// ReadCorpus reads every file of a corpus directory, by file name.
func ReadCorpus(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	corpus := map[string][]byte{}
	for _, e := range entries {
		file, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if corpus[e.Name()], err = ParseCorpusEntry(file); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return corpus, nil
}

// Seed encodes a run as an input of the target (a counterexample file's
// program, options and schedule, for the seed corpora): the program, its
// stress modes, and the scheduling decisions the run takes under s, one
// byte each, without the trailing zeros (bytes that run out answer 0). It
// also returns the run's verdict, on opt's variant (the input itself
// leaves the variant to the target's run).
func (t *Target) Seed(p properties.Program, opt properties.Options, s sched.Strategy) ([]byte, *properties.Verdict, error) {
	rec := &recorder{inner: s}
	v := properties.Execute(p, rec, opt)
	opt.Bug = ""
	if rec.err != nil {
		return nil, nil, rec.err
	}
	data, err := t.Encode(Input{Program: p, Options: opt, Schedule: bytes.TrimRight(rec.choices, "\x00")})
	return data, v, err
}

// recorder notes the scheduling decisions of a strategy as bytes.
type recorder struct {
	inner   sched.Strategy
	choices []byte
	err     error
}

func (r *recorder) Choose(c sched.Choice) (int, error) {
	i, err := r.inner.Choose(c)
	if i > 255 && r.err == nil {
		r.err = fmt.Errorf("fuzz: a decision of %d candidates does not fit a byte", len(c.Candidates))
	}
	r.choices = append(r.choices, byte(i))
	return i, err
}

func (r *recorder) Decide(point string, n int) (int, error) { return r.inner.Decide(point, n) }

// ChoosesLocally implements sched.Local: the recorder draws nothing.
func (r *recorder) ChoosesLocally(sched.Choice) bool { return true }

// DecidesLocally implements sched.Local.
func (r *recorder) DecidesLocally(string, int) bool { return true }
