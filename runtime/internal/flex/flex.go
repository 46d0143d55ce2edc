// Package flex decodes the scalars the vendor spells loosely: numbers sent
// as strings, strings sent as numbers, booleans as 0 and 1. The envelope
// decoder and the channel's message decoder share it, so the two accept the
// same spellings.
package flex

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// ErrNotInteger is the error of Int on anything but an integer.
var ErrNotInteger = errors.New("not an integer")

// Int decodes a JSON integer, an integral float, or a string holding one
// (surrounding spaces allowed). null reports isNull and no error. The
// common case, plain digits, does not allocate.
func Int(b []byte) (n int64, isNull bool, err error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return 0, true, nil
	}
	if len(b) > 0 && b[0] == '"' {
		if b, err = unquote(b); err != nil {
			return 0, false, err
		}
		b = bytes.TrimSpace(b)
	}
	if n, ok := digits(b); ok {
		return n, false, nil
	}
	f, ferr := strconv.ParseFloat(string(b), 64)
	if ferr != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return 0, false, ErrNotInteger
	}
	return int64(f), false, nil
}

// String decodes a JSON string, or a number kept as written. null reports
// isNull.
func String(b []byte) (s string, isNull bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return "", true, nil
	case len(b) > 0 && b[0] == '"':
		err = json.Unmarshal(b, &s)
		return s, false, err
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return "", false, errors.New("not a string or number")
	}
	return string(n), false, nil
}

// Bool decodes true/false, "true"/"false", 0/1 and "0"/"1". null reports
// isNull.
func Bool(b []byte) (v, isNull bool, err error) {
	switch string(bytes.TrimSpace(b)) {
	case "null":
		return false, true, nil
	case "true", `"true"`, "1", `"1"`:
		return true, false, nil
	case "false", `"false"`, "0", `"0"`:
		return false, false, nil
	}
	return false, false, errors.New("not a boolean")
}

// unquote returns the text of a JSON string, without allocating when it
// holds no escape.
func unquote(b []byte) ([]byte, error) {
	if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return b[1 : len(b)-1], nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// digits parses an optionally negative decimal of at most 18 digits.
func digits(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
