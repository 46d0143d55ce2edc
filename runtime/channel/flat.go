package channel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// SendFrame sends one flat upstream frame on a Config.Flat channel: the
// JSON object frame encodes to, with "ReqId" (reqID, 32 lowercase hex
// characters) put first, as {"ReqId":"…","StreamId":"…",…}. frame must
// encode to a JSON object without a ReqId key (nil sends {"ReqId":"…"}).
// It waits through a reconnect and fails like Send; errors are *SendError.
func (c *Conn) SendFrame(ctx context.Context, reqID string, frame any) error {
	b, err := c.encodeFlat(reqID, frame)
	if err == nil {
		err = c.write(ctx, b)
	}
	if err != nil {
		return &SendError{Command: "frame", ReqID: reqID, Err: err}
	}
	return nil
}

func (c *Conn) encodeFlat(reqID string, frame any) ([]byte, error) {
	if !c.cfg.Flat {
		return nil, errors.New("an envelope channel sends commands (Send), not flat frames")
	}
	if !ValidReqID(reqID) {
		return nil, errors.New("reqID must be 32 lowercase hex characters (use NewReqID)")
	}
	inner, err := frameFields(frame)
	if err != nil {
		return nil, err
	}
	id, _ := json.Marshal(reqID)
	out := append([]byte(`{"ReqId":`), id...)
	if len(inner) > 0 {
		out = append(append(out, ','), inner...)
	}
	return append(out, '}'), nil
}

// frameFields returns the members of frame's JSON object without its
// braces, "" for nil or an empty object.
func frameFields(frame any) ([]byte, error) {
	if frame == nil {
		return nil, nil
	}
	b, err := json.Marshal(frame)
	if err != nil {
		return nil, fmt.Errorf("encode frame: %w", err)
	}
	var keys map[string]json.RawMessage
	if !isObject(b) || json.Unmarshal(b, &keys) != nil {
		return nil, errors.New("frame must encode to a JSON object")
	}
	for k := range keys {
		// Any case: a "reqid" beside "ReqId" wins in a case-insensitive decoder.
		if strings.EqualFold(k, "ReqId") {
			return nil, errors.New("frame sets ReqId; the channel fills it")
		}
	}
	b = bytes.TrimSpace(b)
	return bytes.TrimSpace(b[1 : len(b)-1]), nil
}
