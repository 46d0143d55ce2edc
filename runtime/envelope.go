package runtime

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
)

// ResponseHeader is the Header of a response envelope. Pass a pointer with
// WithResponseHeader to receive it on success.
type ResponseHeader struct {
	Code      int
	Message   string
	RequestID string
	Extra     map[string]json.RawMessage // other fields (SessionID, DialogID, ...), raw
}

// newRequestID returns a random UUIDv4 from crypto/rand.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// encodeEnvelope wraps an already-marshalled payload. Header and Payload
// are always present; an absent payload is sent as {}.
func encodeEnvelope(requestID string, payload []byte) []byte {
	if len(payload) == 0 || string(payload) == "null" {
		payload = []byte("{}")
	}
	id, _ := json.Marshal(requestID) // marshalling a string cannot fail
	b := make([]byte, 0, len(payload)+len(id)+40)
	b = append(b, `{"Header":{"RequestID":`...)
	b = append(b, id...)
	b = append(b, `},"Payload":`...)
	b = append(b, payload...)
	return append(b, '}')
}

// flexCode accepts a JSON number or a string holding an integer.
type flexCode struct {
	v   int
	set bool
}

func (c *flexCode) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	if string(b) == "null" {
		return nil
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil {
		return errors.New("Header.Code is not an integer")
	}
	c.v, c.set = n, true
	return nil
}

type wireHeader struct {
	Code      flexCode
	Message   string
	RequestID string
}

type wireEnvelope struct {
	Header  json.RawMessage
	Payload json.RawMessage
}

// errNoHeader is the reason given when the envelope has no usable Header.
var errNoHeader = errors.New("missing Header or Header.Code")

// decodeEnvelope parses a response body. It fails on invalid JSON and on a
// missing Header or Code; it never decodes the Payload.
func decodeEnvelope(body []byte) (wireHeader, json.RawMessage, json.RawMessage, error) {
	var env wireEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return wireHeader{}, nil, nil, err
	}
	var h wireHeader
	if len(env.Header) == 0 || env.Header[0] != '{' {
		return h, nil, nil, errNoHeader
	}
	if err := json.Unmarshal(env.Header, &h); err != nil {
		return h, nil, nil, err
	}
	if !h.Code.set {
		return h, nil, nil, errNoHeader
	}
	return h, env.Header, env.Payload, nil
}

// headerExtra returns the raw header fields other than the three known ones.
func headerExtra(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	for _, k := range []string{"Code", "Message", "RequestID"} {
		delete(m, k)
	}
	if len(m) == 0 {
		return nil
	}
	return m
}
