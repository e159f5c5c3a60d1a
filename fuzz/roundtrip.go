package fuzz

import "fmt"

// RoundTrip checks the decoders on data, for the decoder's fuzz target: for every
// target, Decode gives an input in the encoder's range that encodes to
// bytes decoding to the same input, and Decode gives the same input twice.
// Decode panicking is the other failure that target looks for.
func RoundTrip(data []byte) error {
	for _, t := range Targets {
		in := t.Decode(data)
		if again := t.Decode(data); !SameInput(in, again) {
			return fmt.Errorf("target %s: two decodings of the same bytes differ:\n%s\n%s", t.Name, in.Program, again.Program)
		}
		enc, err := t.Encode(in)
		if err != nil {
			return fmt.Errorf("target %s: a decoded input does not encode: %w", t.Name, err)
		}
		if back := t.Decode(enc); !SameInput(back, in) {
			return fmt.Errorf("target %s: the encoding decodes to another input:\n%s\nnot\n%s", t.Name, back.Program, in.Program)
		}
	}
	return nil
}
