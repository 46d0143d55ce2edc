package channeltest

import (
	"encoding/json"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

var commands = map[string]bool{"SEND_TEXT": true, "SEND_AUDIO": true, "SEND_STREAMTEXT": true, "SEND_HEARTBEAT": true}

// decodeUpstream decodes and checks one upstream frame against §6.1.
func decodeUpstream(raw []byte, session string) Upstream {
	u := Upstream{SessionID: session, Raw: raw}
	var f struct {
		Header  *json.RawMessage
		Payload *struct {
			ReqID     string `json:"ReqId"`
			SessionID string `json:"SessionId"`
			Command   string
			Data      json.RawMessage
		}
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		u.Problem = "frame is not JSON: " + err.Error()
		return u
	}
	if f.Header == nil || f.Payload == nil {
		u.Problem = "frame needs both Header and Payload"
		return u
	}
	p := f.Payload
	u.ReqID, u.Command, u.Data = p.ReqID, p.Command, p.Data
	switch {
	case !channel.ValidReqID(p.ReqID):
		u.Problem = "ReqId must be 32 lowercase hex characters"
	case p.SessionID != session:
		u.Problem = "SessionId does not match the connection's requestid"
	case !commands[p.Command]:
		u.Problem = "unknown Command " + p.Command
	case len(p.Data) == 0 || p.Data[0] != '{':
		u.Problem = "Data must be an object"
	}
	return u
}

// decodeFlat decodes and checks one flat upstream frame (§6.8): a JSON
// object whose ReqId is 32 lowercase hex characters.
func decodeFlat(raw []byte, session string) Upstream {
	u := Upstream{SessionID: session, Raw: raw, Data: raw}
	var f struct {
		ReqID *string `json:"ReqId"`
	}
	switch err := json.Unmarshal(raw, &f); {
	case err != nil || len(raw) == 0 || raw[0] != '{':
		u.Problem, u.Data = "frame is not a JSON object", nil
	case f.ReqID == nil || !channel.ValidReqID(*f.ReqID):
		u.Problem = "ReqId must be 32 lowercase hex characters"
	}
	if f.ReqID != nil {
		u.ReqID = *f.ReqID
	}
	return u
}

// DefaultResponder answers like the gateway's speak-status flow:
// SEND_TEXT → TextStart, TextOver; SEND_STREAMTEXT → TextStart on Seq 1,
// TextOver on IsFinal; SEND_AUDIO → AudioStart on Seq 1, AudioOver
// (FinalType 1) on IsFinal; heartbeats get no answer.
func DefaultResponder(u Upstream) []channel.Downstream {
	var d struct {
		Seq     int
		IsFinal bool
	}
	json.Unmarshal(u.Data, &d)
	status := func(s string, final int) channel.Downstream {
		return channel.Downstream{Type: channel.TypeSpeakStatus, SessionID: u.SessionID, ReqID: u.ReqID,
			Seq: d.Seq, SpeakStatus: s, FinalType: final}
	}
	var out []channel.Downstream
	switch u.Command {
	case "SEND_TEXT":
		out = append(out, status("TextStart", 0), status("TextOver", 0))
	case "SEND_STREAMTEXT", "SEND_AUDIO":
		start, over, final := "TextStart", "TextOver", 0
		if u.Command == "SEND_AUDIO" {
			start, over, final = "AudioStart", "AudioOver", 1
		}
		if d.Seq == 1 {
			out = append(out, status(start, 0))
		}
		if d.IsFinal {
			out = append(out, status(over, final))
		}
	}
	return out
}
