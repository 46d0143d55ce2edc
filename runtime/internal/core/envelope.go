package core

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"github.com/ivhgen/ivhgen/runtime/internal/flex"
	"github.com/ivhgen/ivhgen/runtime/internal/reqid"
	"reflect"
	"strings"
)

// ResponseHeader is the Header of a response envelope. Pass a pointer with
// WithResponseHeader to receive it on success.
type ResponseHeader struct {
	Code      int
	Message   string
	RequestID string
	Extra     map[string]json.RawMessage // other fields (SessionID, DialogID, ...), raw
}

// newRequestID returns a random UUIDv4 in its dashed form, the Header
// RequestID of a call.
func newRequestID() string {
	b := reqid.UUID4()
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

// requestEnvelope is the request body: Header and Payload always present.
type requestEnvelope struct {
	Header  requestHeader `json:"Header"`
	Payload any           `json:"Payload"`
}

type requestHeader struct {
	RequestID string `json:"RequestID"`
}

// marshalEnvelope encodes req inside the envelope in one pass; a nil
// request, or one that encodes as null, is sent as an empty object.
func marshalEnvelope(requestID string, req any) ([]byte, error) {
	if req != nil {
		b, err := json.Marshal(&requestEnvelope{requestHeader{requestID}, req})
		if err != nil || !bytes.HasSuffix(b, []byte(`"Payload":null}`)) {
			return b, err
		}
	}
	return json.Marshal(&requestEnvelope{requestHeader{requestID}, struct{}{}})
}

// flexCode accepts a JSON number or a string holding an integer.
type flexCode struct {
	v   int
	set bool
}

// UnmarshalJSON accepts 7, "7" and null (left unset).
func (c *flexCode) UnmarshalJSON(b []byte) error {
	n, null, err := flex.Int(b)
	switch {
	case null:
		return nil
	case err != nil || n != int64(int32(n)):
		return errors.New("Header.Code is not an integer")
	}
	c.v, c.set = int(n), true
	return nil
}

type wireHeader struct {
	Code      flexCode
	Message   string
	RequestID string
}

type wireEnvelope struct {
	Header  wireHeader
	Payload json.RawMessage
}

// errNoHeader is the reason given when the envelope has no usable Header.
var errNoHeader = errors.New("missing Header or Header.Code")

// successEnvelope decodes Header and Payload in one pass, the Payload
// straight into the caller's response (Payload holds a pointer to it).
type successEnvelope struct {
	Header  wireHeader
	Payload any
}

// decodeSuccess decodes a success body in one pass into out, a non-nil
// pointer: it reports true only when body is valid JSON whose Header.Code
// is 0 and whose Payload fitted out. Anything else goes through decodeEnvelope, which finds out why.
func decodeSuccess(body []byte, out any) (wireHeader, bool) {
	env := successEnvelope{Payload: out}
	if json.Unmarshal(body, &env) != nil || !env.Header.Code.set || env.Header.Code.v != 0 {
		return wireHeader{}, false
	}
	switch env.Payload {
	case out:
	case nil: // the (last) Payload was null: a zero response
		zero(out)
	default: // a null Payload, then another: encoding/json replaced out
		return wireHeader{}, false
	}
	return env.Header, true
}

// zero sets what the pointer p points to to its zero value.
func zero(p any) { reflect.ValueOf(p).Elem().SetZero() }

// decodePayload decodes a raw success Payload into out, a non-nil
// pointer; absent and null leave out at its zero value.
func decodePayload(raw json.RawMessage, out any) error {
	zero(out) // decodeSuccess may have filled it in part
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return decodeTolerant(raw, out)
}

// decodeEnvelope parses a response body in one pass. It fails on invalid
// JSON and on a missing Header or Code; it never decodes the Payload.
func decodeEnvelope(body []byte) (wireHeader, json.RawMessage, error) {
	var env wireEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return wireHeader{}, nil, err
	}
	if !env.Header.Code.set {
		return env.Header, nil, errNoHeader
	}
	return env.Header, env.Payload, nil
}

// headerExtra returns the raw header fields of body other than the three
// known ones. Only errors and WithResponseHeader need them, so the hot path
// does not pay for a second parse.
func headerExtra(body []byte) map[string]json.RawMessage {
	var env struct{ Header map[string]json.RawMessage }
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	m := env.Header
	for k := range m {
		if strings.EqualFold(k, "Code") || strings.EqualFold(k, "Message") || strings.EqualFold(k, "RequestID") {
			delete(m, k)
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}
