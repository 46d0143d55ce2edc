package core

import "encoding/json"

// DecodeTolerant decodes raw into out, a non-nil pointer, like
// json.Unmarshal; when that fails it converts loosely typed scalars ("1"
// for 1, 1 for "1") to the kinds out expects and decodes again. It returns
// the strict decode's error when the converted one fails too. Package
// channel decodes typed downstream messages with it, so they are as
// tolerant as API responses.
func DecodeTolerant(raw json.RawMessage, out any) error { return decodeTolerant(raw, out) }

// DecodeJSONText decodes text, JSON carried in a string field, into out (a
// non-nil pointer) as tolerantly as a response: a generated Decode method
// of a jsonText field calls it.
func DecodeJSONText(text string, out any) error { return decodeTolerant([]byte(text), out) }
