package ivh_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/pmezard/go-difflib/difflib"
)

// gateway is the fake aPaaS gateway of these tests. It authenticates every
// call as the real gateway does (appkey, timestamp window, signature), keeps
// the Payload of each envelope it receives, and answers with literal
// response envelopes, so a test sees exactly the bytes the documents show.
type gateway struct {
	*fakegw.Server
	t        testing.TB
	mu       sync.Mutex
	received map[string][]json.RawMessage
}

// newGateway starts a gateway and a client pointed at it, with opts.
func newGateway(t testing.TB, opts ...ivh.Option) (*gateway, *ivh.Client) {
	t.Helper()
	g := &gateway{Server: fakegw.New(t), t: t, received: map[string][]json.RawMessage{}}
	c, err := ivh.NewClient(g.AppKey(), g.AccessToken(), append([]ivh.Option{ivh.WithBaseURL(g.URL())}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return g, c
}

// reply makes path answer with the given envelopes in turn; the last one is
// repeated for any further call.
func (g *gateway) reply(path string, envelopes ...string) {
	g.t.Helper()
	if len(envelopes) == 0 {
		g.t.Fatalf("reply(%s) needs at least one envelope", path)
	}
	var n int
	g.Mount("POST "+path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := g.Authenticate(r); err != nil {
			g.t.Errorf("%s: gateway refused the signature: %v", path, err)
			http.Error(w, "unauthenticated", http.StatusUnauthorized)
			return
		}
		g.record(path, r.Body)
		g.mu.Lock()
		env := envelopes[min(n, len(envelopes)-1)]
		n++
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = io.WriteString(w, env)
	}))
}

// record keeps the Payload of one request body and checks that the body is
// the documented {"Header": {...}, "Payload": {...}} envelope.
func (g *gateway) record(path string, body io.Reader) {
	var env struct {
		Header  json.RawMessage
		Payload json.RawMessage
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return // the client hung up mid-body (a cancelled call): nothing arrived
	}
	err = json.Unmarshal(data, &env)
	if err != nil || len(env.Header) == 0 || env.Header[0] != '{' || len(env.Payload) == 0 || env.Payload[0] != '{' {
		g.t.Errorf("%s: body is not a Header/Payload envelope (%v): %s", path, err, data)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.received[path] = append(g.received[path], env.Payload)
}

// payloads returns the Payload objects posted to path, oldest first.
func (g *gateway) payloads(path string) []json.RawMessage {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]json.RawMessage(nil), g.received[path]...)
}

// ok wraps a Payload in a success envelope shaped like the documented
// samples (Header with Code, Message, RequestID, SessionID and DialogID).
func ok(payload string) string {
	return `{"Header":{"Code":0,"Message":"success","RequestID":"b5b6e9b1a7f84c1aa3b1e1c2d3f4a5b6","SessionID":"","DialogID":""},"Payload":` + payload + `}`
}

// failure is an error envelope with code and message and an empty Payload.
func failure(code int, message string) string {
	b, _ := json.Marshal(map[string]any{
		"Header":  map[string]any{"Code": code, "Message": message, "RequestID": "req-7f3a"},
		"Payload": map[string]any{},
	})
	return string(b)
}

// roundTrip is one API exercised end to end: the request the call builds
// must reach path with exactly the Payload wire, and the reply envelope must
// decode into want.
type roundTrip struct {
	name  string
	path  string
	call  func(context.Context, *ivh.Client) (any, error)
	wire  string
	reply string
	want  any
}

func runRoundTrips(t *testing.T, cases []roundTrip) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, c := newGateway(t)
			g.reply(tc.path, tc.reply)
			got, err := tc.call(t.Context(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			sent := g.payloads(tc.path)
			if len(sent) != 1 {
				t.Fatalf("%d calls reached %s, want 1", len(sent), tc.path)
			}
			jsonEqual(t, "wire Payload", tc.wire, sent[0])
			deepEqual(t, "typed response", tc.want, got)
		})
	}
}

// jsonEqual fails t when got is not the same JSON value as want, showing a
// diff of both in canonical form (sorted keys, indented).
func jsonEqual(t testing.TB, what, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad expected JSON: %v", what, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: not JSON: %v: %s", what, err, got)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("%s differs (-want +got):\n%s", what, diff(w, g))
	}
}

// deepEqual fails t when got and want differ, showing a diff of their JSON.
func deepEqual(t testing.TB, what string, want, got any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s differs (-want +got):\n%s", what, diff(want, got))
	}
}

func diff(want, got any) string {
	w, _ := json.MarshalIndent(want, "", "  ")
	g, _ := json.MarshalIndent(got, "", "  ")
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(w) + "\n"), B: difflib.SplitLines(string(g) + "\n"),
		FromFile: "want", ToFile: "got", Context: 2,
	})
	if d == "" {
		return "(same JSON; types differ)\n" + string(g)
	}
	return d
}
