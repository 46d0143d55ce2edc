package channel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Downstream message types (the Type field).
const (
	TypeParsedContent = 2 // parsed content of streamed non-clause input
	TypeSpeakStatus   = 3 // speak status change
	TypeLLMReply      = 4 // LLM reply content
	TypeLLMReasoning  = 5 // LLM reasoning ("thinking") content
	TypeDriveFailed   = 9 // a drive failed; see ErrorCode and ErrorMessage
)

// Message is one downstream frame. Type, SessionID, ReqID and Seq are
// decoded eagerly; the rest is decoded on demand with Downstream or Decode.
// A message of a Type this package does not know is delivered like any other.
type Message struct {
	Type      int
	SessionID string
	ReqID     string
	Seq       int
	// Raw is the frame exactly as received.
	Raw json.RawMessage
	// Payload is the message object: the Payload of a {"Header","Payload"}
	// frame, else the whole (flat) frame.
	Payload json.RawMessage
	// Header is the Header of a wrapped frame; nil for a flat one.
	Header json.RawMessage
}

// Downstream is the documented set of downstream fields (apaas-api.md §6.6).
// Numbers given as strings and codes given as numbers are accepted.
type Downstream struct {
	Type            int    `json:"Type"`
	SessionID       string `json:"SessionId,omitempty"`
	ReqID           string `json:"ReqId,omitempty"`
	Seq             int    `json:"Seq,omitempty"`
	SpeakStatus     string `json:"SpeakStatus,omitempty"`
	FinalType       int    `json:"FinalType,omitempty"`
	Text            string `json:"Text,omitempty"`
	TextPro         string `json:"TextPro,omitempty"`
	TextDisplay     string `json:"TextDisplay,omitempty"`
	ContentType     string `json:"ContentType,omitempty"`
	TtsSupport      bool   `json:"TtsSupport,omitempty"`
	Final           bool   `json:"Final,omitempty"`
	IsHighLight     bool   `json:"IsHighLight,omitempty"`
	Uninterrupt     bool   `json:"Uninterrupt,omitempty"`
	Muted           bool   `json:"Muted,omitempty"`
	InteractionType string `json:"InteractionType,omitempty"`
	ErrorCode       int    `json:"ErrorCode,omitempty"`
	ErrorMessage    string `json:"ErrorMessage,omitempty"`
}

// UnmarshalJSON decodes d tolerantly (see flex.go).
func (d *Downstream) UnmarshalJSON(b []byte) error {
	var a struct {
		Type, Seq, FinalType, ErrorCode                      flexInt
		SessionID                                            flexString `json:"SessionId"`
		ReqID                                                flexString `json:"ReqId"`
		SpeakStatus, Text, TextPro, TextDisplay, ContentType flexString
		InteractionType, ErrorMessage                        flexString
		TtsSupport, Final, IsHighLight, Uninterrupt, Muted   flexBool
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	*d = Downstream{
		Type: int(a.Type), SessionID: string(a.SessionID), ReqID: string(a.ReqID), Seq: int(a.Seq),
		SpeakStatus: string(a.SpeakStatus), FinalType: int(a.FinalType), Text: string(a.Text),
		TextPro: string(a.TextPro), TextDisplay: string(a.TextDisplay), ContentType: string(a.ContentType),
		TtsSupport: bool(a.TtsSupport), Final: bool(a.Final), IsHighLight: bool(a.IsHighLight),
		Uninterrupt: bool(a.Uninterrupt), Muted: bool(a.Muted), InteractionType: string(a.InteractionType),
		ErrorCode: int(a.ErrorCode), ErrorMessage: string(a.ErrorMessage),
	}
	return nil
}

// Downstream decodes the documented fields of m.
func (m Message) Downstream() (Downstream, error) {
	var d Downstream
	if err := json.Unmarshal(m.Payload, &d); err != nil {
		return Downstream{}, newFrameError(m.Raw, err)
	}
	return d, nil
}

// Decode unmarshals the message object (Payload) into v, for typed payloads
// declared by generated code, as tolerantly as Downstream: a scalar spelled
// as the other kind ("FinalType":"1", "Final":"true") is converted. A
// failure is a *FrameError.
func (m Message) Decode(v any) error {
	if err := core.DecodeTolerant(m.Payload, v); err != nil {
		return newFrameError(m.Raw, err)
	}
	return nil
}

// Err returns a *DriveError when m reports a failure (Type 9, or a wrapped
// frame whose Header.Code is not 0), else nil.
func (m Message) Err() error {
	var h struct {
		Code    flexInt
		Message flexString
	}
	if len(m.Header) > 0 && json.Unmarshal(m.Header, &h) == nil && h.Code != 0 {
		return &DriveError{Code: int(h.Code), Message: string(h.Message), ReqID: m.ReqID, SessionID: m.SessionID}
	}
	if m.Type != TypeDriveFailed {
		return nil
	}
	d, err := m.Downstream()
	if err != nil {
		return &DriveError{ReqID: m.ReqID, SessionID: m.SessionID, Message: "undecodable failure report"}
	}
	return &DriveError{Code: d.ErrorCode, Message: d.ErrorMessage, ReqID: m.ReqID, SessionID: m.SessionID}
}

// parseFrame decodes one text frame, flat or wrapped in {"Header","Payload"}.
func parseFrame(raw []byte) (Message, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return Message{}, newFrameError(raw, err)
	}
	if top == nil {
		return Message{}, newFrameError(raw, errors.New("frame is not a JSON object"))
	}
	m := Message{Raw: raw, Payload: raw}
	if p, ok := top["Payload"]; ok && top["Type"] == nil && isObject(p) {
		m.Payload, m.Header = p, top["Header"]
	}
	var head struct {
		Type, Seq flexInt
		SessionID flexString `json:"SessionId"`
		ReqID     flexString `json:"ReqId"`
	}
	if err := json.Unmarshal(m.Payload, &head); err != nil {
		return Message{}, newFrameError(raw, fmt.Errorf("frame header fields: %w", err))
	}
	m.Type, m.Seq = int(head.Type), int(head.Seq)
	m.SessionID, m.ReqID = string(head.SessionID), string(head.ReqID)
	return m, nil
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}
