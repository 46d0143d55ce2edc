package fakegw_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// FuzzGateway sends arbitrary methods, queries and bodies: every request
// must get a well-formed reply (an envelope with a non-zero code unless it
// was a good call) and the gateway must keep serving.
func FuzzGateway(f *testing.F) {
	f.Add("POST", "", goodBody)
	f.Add("POST", "appkey=a&appkey=b", `{"Header":{"RequestID":1},"Payload":{}}`)
	f.Add("GET", "%zz", `[`)
	f.Add("POST", "timestamp=99999999999999999999", `{"Header":{},"Payload":null}`)
	f.Add("PATCH", "signature=+++", "\x00\xff")
	f.Fuzz(func(t *testing.T, method, query, body string) {
		if !validMethod(method) {
			return
		}
		s, _ := newVendorServer(t)
		if query == "" {
			query = signedQuery(s)
		}
		req, err := http.NewRequest(method, s.URL()+"/echo?"+query, strings.NewReader(body))
		if err != nil || strings.Contains(query, " ") {
			// Not a request a client can send: net/http writes the query
			// raw, so a space breaks the request line and Go's server
			// answers 400 before any handler runs.
			return
		}
		resp, err := client(s).Do(req)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var env struct {
			Header struct {
				Code      int
				RequestID string
			}
		}
		if method != http.MethodHead {
			must(t, json.Unmarshal(b, &env))
			if env.Header.RequestID == "" {
				t.Errorf("no RequestID in %s", b)
			}
		}
		if len(s.Requests()) != 1 {
			t.Errorf("recorded %d requests", len(s.Requests()))
		}
	})
}

func validMethod(m string) bool {
	if m == "" || m == http.MethodConnect {
		return false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// FuzzDecodeStrict: any payload is either decoded or refused with an
// *ErrorReply carrying CodeBadParameter; it never panics.
func FuzzDecodeStrict(f *testing.F) {
	f.Add(`{"VirtualmanKey":"vk","Speech":{"Speed":1}}`)
	f.Add(`{"Layers":[{"Url":"u"},{"url":1}],"ByName":{"a":{"X":"1"}}}`)
	f.Add(`{"Loop":{"Name":"n","loop":{}}}`)
	f.Add(`{"Raw":[1,2,{"x":null}],"When":"2026-01-01T00:00:00Z"}`)
	f.Fuzz(func(t *testing.T, payload string) {
		var v strictReq
		err := fakegw.DecodeStrict(json.RawMessage(payload), &v)
		var e *fakegw.ErrorReply
		if err != nil && (!errors.As(err, &e) || e.Code != fakegw.CodeBadParameter) {
			t.Errorf("error %v is not a CodeBadParameter reply", err)
		}
	})
}
