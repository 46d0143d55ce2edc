package channel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// The downstream documentation is loose about types (numbers as strings,
// codes as numbers), so the decoder accepts both spellings of a scalar.

// flexInt accepts a JSON integer, an integral float, a numeric string or null.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		fl, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil || fl != math.Trunc(fl) || math.Abs(fl) > math.MaxInt32 {
			return fmt.Errorf("want an integer, got %.40q", b)
		}
		n = int64(fl)
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return fmt.Errorf("integer %d out of range", n)
	}
	*f = flexInt(n)
	return nil
}

// flexString accepts a JSON string, a number (kept as written) or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string, got %.40q", b)
	}
	*f = flexString(n)
	return nil
}

// flexBool accepts true/false, "true"/"false", 0/1 and null.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "null":
	case "true", `"true"`, "1", `"1"`:
		*f = true
	case "false", `"false"`, "0", `"0"`:
		*f = false
	default:
		return fmt.Errorf("want a boolean, got %.40q", b)
	}
	return nil
}
