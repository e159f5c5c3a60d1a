package fuzz

import "github.com/devstress/devstress/properties"

// moduleName is the one module a program may have.
const moduleName = "M"

// byteScale maps a byte to an index of weights, with odds proportional to
// them (their sum is at most 256, so every index has a byte), byte 0 to
// index 0.
type byteScale struct {
	of    [256]uint8 // the index of each byte
	first []uint8    // the first byte of each index: its encoding
}

func newByteScale(weights []int) *byteScale {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total > 256 || total == 0 {
		panic("fuzz: the weights of a byte scale must sum to 1..256")
	}
	s := &byteScale{first: make([]uint8, len(weights))}
	for i := range s.first {
		s.first[i] = 255
	}
	for b := 255; b >= 0; b-- {
		x, i := b*total>>8, 0
		for x >= weights[i] {
			x -= weights[i]
			i++
		}
		s.of[b] = uint8(i)
		s.first[i] = uint8(b)
	}
	return s
}

var (
	matchScale   = newByteScale(properties.MatchWeights)
	outcomeScale = newByteScale(properties.OutcomeWeights) // read from the low 7 bits
	actionScale  = newByteScale(properties.ActionWeights)
)
