package channel

import (
	"bytes"
	"fmt"
	"math"

	"github.com/ivhgen/ivhgen/runtime/internal/flex"
)

// The downstream documentation is loose about types (numbers as strings,
// codes as numbers), so the decoder accepts both spellings of a scalar,
// as the envelope decoder does (package flex).

// flexInt accepts a JSON integer, an integral float, a numeric string or null.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	n, null, err := flex.Int(b)
	switch {
	case null:
		return nil
	case err != nil:
		return fmt.Errorf("want an integer, got %s", jsonKind(b))
	case n > math.MaxInt32 || n < math.MinInt32:
		return fmt.Errorf("integer %d out of range", n)
	}
	*f = flexInt(n)
	return nil
}

// flexString accepts a JSON string, a number (kept as written) or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s, null, err := flex.String(b)
	switch {
	case null:
		return nil
	case err != nil:
		return fmt.Errorf("want a string, got %s", jsonKind(b))
	}
	*f = flexString(s)
	return nil
}

// flexBool accepts true/false, "true"/"false", 0/1 and null.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	v, null, err := flex.Bool(b)
	switch {
	case null:
		return nil
	case err != nil:
		return fmt.Errorf("want a boolean, got %s", jsonKind(b))
	}
	*f = flexBool(v)
	return nil
}

// jsonKind names the kind of a JSON value, never its text: a FrameError's
// message is logged, and the gateway may quote anything in a frame.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
