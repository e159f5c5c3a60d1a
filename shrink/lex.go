package shrink

import (
	"fmt"
	"strconv"
	"strings"
)

// token is one lexical unit of a program or schedule line: a word, a
// quoted string (its value unquoted) or punctuation.
type token struct {
	kind tokKind
	text string
}

type tokKind uint8

const (
	tokWord tokKind = iota
	tokString
	tokPunct
)

func (t token) String() string {
	if t.kind == tokString {
		return strconv.Quote(t.text)
	}
	return t.text
}

// lex splits s into tokens: quoted strings (Go syntax), the punctuation
// ( ) [ ] , ; # := and ->, and words (runs of anything else but spaces).
func lex(s string) ([]token, error) {
	var ts []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return nil, fmt.Errorf("unterminated or bad quoted string at %q", s[i:])
			}
			v, _ := strconv.Unquote(q)
			ts = append(ts, token{tokString, v})
			i += len(q)
		case strings.HasPrefix(s[i:], ":="), strings.HasPrefix(s[i:], "->"):
			ts = append(ts, token{tokPunct, s[i : i+2]})
			i += 2
		case strings.IndexByte("()[],;#:", c) >= 0:
			ts = append(ts, token{tokPunct, s[i : i+1]})
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\"()[],;#:", s[j]) < 0 && !strings.HasPrefix(s[j:], "->") {
				j++
			}
			ts = append(ts, token{tokWord, s[i:j]})
			i = j
		}
	}
	return ts, nil
}
