package core

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
)

// RawResponse is the last HTTP response of a call, kept by
// WithRawResponse: for fields the response types do not declare yet (the
// mainland gateway adds some before the international one), and for
// debugging. A token, signature or header value the server echoes is
// hidden in Body and in Header (keys and values).
type RawResponse struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// WithRawResponse stores the last response of one call in r, whether the
// call succeeds or fails; r stays zero when no response came. Calls
// without it pay nothing.
func WithRawResponse(r *RawResponse) CallOption { return func(cc *callConfig) { cc.raw = r } }

// keepRaw fills the call's RawResponse, when it asked for one.
func (c *Client) keepRaw(st *callState, resp *http.Response, body []byte) {
	r := st.cc.raw
	if r == nil {
		return
	}
	r.StatusCode, r.Header = resp.StatusCode, c.hideHeaderSecrets(st, resp.Header)
	r.Body = []byte(c.hideSecrets(st, string(body)))
}

// hideHeaderSecrets copies h with the call's secrets (and secrets by shape)
// removed from its keys and values: a server may echo the token, the
// signature or the query string in a response header.
func (c *Client) hideHeaderSecrets(st *callState, h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		cv := make([]string, len(vs))
		for i, v := range vs {
			cv[i] = c.hideSecrets(st, v)
		}
		key := c.hideSecrets(st, k)
		out[key] = append(out[key], cv...)
	}
	return out
}

// Payload returns the raw Payload of the envelope in Body, or nil.
func (r *RawResponse) Payload() json.RawMessage {
	var env struct{ Payload json.RawMessage }
	if json.Unmarshal(r.Body, &env) != nil {
		return nil
	}
	return env.Payload
}

// UnknownFields returns the Payload fields that v, a response struct or a
// pointer to one, does not declare (matched as encoding/json matches
// names, ignoring case), or nil when there are none.
func (r *RawResponse) UnknownFields(v any) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(r.Payload(), &m) != nil {
		return nil
	}
	known := map[string]bool{}
	jsonNames(reflect.TypeOf(v), known)
	for k := range m {
		if known[strings.ToLower(k)] {
			delete(m, k)
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// jsonNames adds the lower-cased JSON names of t's fields to known.
func jsonNames(t reflect.Type, known map[string]bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			jsonNames(f.Type, known)
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			known[strings.ToLower(name)] = true
		}
	}
}
