package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Flow adapts one async API to the engine. NewFlow builds one from the
// generated methods; tools that call APIs by name build it from their
// operation table.
type Flow struct {
	// Pool is the concurrency pool of the API's inputs when the input names
	// none, e.g. "video" or "tts".
	Pool string
	// Submit sends the create with Header.RequestID requestID and returns
	// the handle of the task it started.
	Submit func(ctx context.Context, payload json.RawMessage, requestID string) (core.TaskHandle, error)
	// Wait waits from the handle and returns the last poll response.
	Wait func(ctx context.Context, h core.TaskHandle, opts ...core.WaitOption) (any, error)
	// Requeue reports a create error that proves the request was refused
	// unprocessed, so it may be sent again; nil means RejectedNotProcessed.
	Requeue func(error) bool
	// Callback reports that the create request has a CallbackUrl field,
	// which the engine fills when Config.Callbacks is set and the payload
	// has none of its own. NewFlow sets it (see TakesCallbackURL).
	Callback bool
}

// TakesCallbackURL reports whether req (a request struct or a pointer to
// one) has a field encoded as "CallbackUrl".
func TakesCallbackURL(req any) bool {
	t := reflect.TypeOf(req)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return false
	}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == "CallbackUrl" {
			return true
		}
	}
	return false
}

// NewFlow adapts a generated create method, its handle function and its
// handle waiter, e.g. NewFlow("video", c.Video.VideoMake,
// c.Video.VideoMakeHandle, c.Video.WaitVideoMakeHandle). The payload is
// decoded strictly (an unknown field is an error) into Req.
func NewFlow[Req, Resp, Out any](pool string,
	create func(context.Context, *Req, ...core.CallOption) (*Resp, error),
	handle func(*Resp, string) core.TaskHandle,
	wait func(context.Context, core.TaskHandle, ...core.WaitOption) (*Out, error),
) Flow {
	return Flow{
		Pool:     pool,
		Callback: TakesCallbackURL(new(Req)),
		Submit: func(ctx context.Context, payload json.RawMessage, requestID string) (core.TaskHandle, error) {
			req := new(Req)
			if err := DecodeStrict(payload, req); err != nil {
				return core.TaskHandle{}, err
			}
			resp, err := create(ctx, req, core.WithRequestID(requestID))
			if err != nil {
				return core.TaskHandle{}, err
			}
			return handle(resp, requestID), nil
		},
		Wait: func(ctx context.Context, h core.TaskHandle, opts ...core.WaitOption) (any, error) {
			out, err := wait(ctx, h, opts...)
			if out == nil {
				return nil, err
			}
			return out, err
		},
	}
}

// DecodeStrict decodes a JSON object into v, refusing unknown fields and
// trailing data.
func DecodeStrict(payload json.RawMessage, v any) error {
	d := json.NewDecoder(bytes.NewReader(payload))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return &InputError{Err: err}
	}
	if d.More() {
		return &InputError{Err: fmt.Errorf("data after the payload object")}
	}
	return nil
}

// InputError is a payload that does not decode; the input fails without
// anything being sent.
type InputError struct{ Err error }

// Error describes the decoding failure.
func (e *InputError) Error() string { return "jobs: payload: " + e.Err.Error() }

// Unwrap returns the decoding error.
func (e *InputError) Unwrap() error { return e.Err }

// MediaURL returns the string field MediaURL of a poll response (the
// result file of the video and audio APIs), or "".
func MediaURL(out any) string {
	v := reflect.ValueOf(out)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName("MediaURL")
	if !f.IsValid() || f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}

// Output returns r's last poll response as a *T (e.g.
// *ivh.GetProgressResponse) when this run waited for it, else decodes the
// journaled copy; ok is false when there is neither.
func Output[T any](r Result) (out *T, ok bool) {
	if v, is := r.Out.(*T); is && v != nil {
		return v, true
	}
	if len(r.Output) == 0 {
		return nil, false
	}
	out = new(T)
	if json.Unmarshal(r.Output, out) != nil {
		return nil, false
	}
	return out, true
}
