package fakegw

import (
	"bytes"
	"encoding/json"
)

// envelope is the request body as the gateway reads it. Header and Payload
// are kept raw for recording even when the envelope is refused.
type envelope struct {
	header    json.RawMessage
	payload   json.RawMessage
	requestID string
	err       *ErrorReply
}

const envelopeHint = `want {"Header":{...},"Payload":{...}}`

// parseEnvelope checks the shape the real gateway insists on: a JSON object
// with a "Header" object and a "Payload" object (both required, even empty),
// and a string Header.RequestID when present.
func parseEnvelope(body []byte) envelope {
	var env envelope
	if len(bytes.TrimSpace(body)) == 0 {
		env.err = Errorf(CodeBadParameter, "empty body; %s", envelopeHint)
		return env
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		env.err = Errorf(CodeBadParameter, "body is not a JSON object (%v); %s", err, envelopeHint)
		return env
	}
	env.header, env.payload = top["Header"], top["Payload"]
	env.requestID, env.err = readRequestID(env.header)
	if env.err == nil {
		env.err = requireObject("Header", env.header)
	}
	if env.err == nil {
		env.err = requireObject("Payload", env.payload)
	}
	return env
}

func requireObject(name string, raw json.RawMessage) *ErrorReply {
	if raw == nil {
		return Errorf(CodeBadParameter, "envelope has no %q; %s", name, envelopeHint)
	}
	if raw[0] != '{' {
		return Errorf(CodeBadParameter, "envelope %q is %s, not an object", name, kindOf(raw))
	}
	return nil
}

// readRequestID extracts Header.RequestID; a Header that is not an object is
// left for requireObject to report.
func readRequestID(header json.RawMessage) (string, *ErrorReply) {
	var h map[string]json.RawMessage
	if len(header) == 0 || header[0] != '{' || json.Unmarshal(header, &h) != nil {
		return "", nil
	}
	raw, ok := h["RequestID"]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", Errorf(CodeBadParameter, "Header.RequestID is %s, not a string", kindOf(raw))
	}
	return id, nil
}

func kindOf(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '{':
		return "an object"
	}
	return "a number"
}

type replyHeader struct {
	Code      int
	Message   string
	RequestID string
}

type replyEnvelope struct {
	Header  replyHeader
	Payload json.RawMessage `json:",omitempty"`
}

// encodeReply builds the response body; payload is dropped on error.
func encodeReply(requestID string, payload json.RawMessage, e *ErrorReply) []byte {
	env := replyEnvelope{Header: replyHeader{Message: "success", RequestID: requestID}, Payload: payload}
	if e != nil {
		env.Header.Code, env.Header.Message, env.Payload = int(e.Code), e.Message, nil
	}
	b, _ := json.Marshal(env) // cannot fail: payload came from json.Marshal
	return b
}
