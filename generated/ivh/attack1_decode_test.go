package ivh_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// answerAll answers every call with the same success Payload.
func answerAll(payload string) func(string, int, string) (int, string) {
	return func(string, int, string) (int, string) { return 200, okEnv(payload) }
}

func TestAttackDriftDecodes(t *testing.T) {
	ctx := context.Background()
	c, _ := newHostile(t, answerAll(`{"Virtualmans":[{"AnchorName":12,"AnchorCode":true,"Gender":"2"},{"AnchorName":"b"}],"Total":"2"}`))
	r, err := c.Asset.GetAnchor(ctx, &ivh.GetAnchorRequest{}, ivh.SkipValidation())
	if err != nil {
		t.Fatalf("nested drift in an array of structs: %v", err)
	}
	if r.Total != 2 || len(r.Virtualmans) != 2 || r.Virtualmans[0].AnchorName != "12" || r.Virtualmans[0].AnchorCode != "true" || r.Virtualmans[0].Gender != 2 {
		t.Fatalf("got %+v", r)
	}
	c, _ = newHostile(t, answerAll(`{"SessionStatus":"1","IsSessionStarted":"true","ErrorCode":"0","ReqId":7}`))
	s, err := c.Session.StatSession(ctx, &ivh.StatSessionRequest{SessionID: "s"})
	if err != nil || s.SessionStatus != ivh.SessionStatusReady || !s.IsSessionStarted || s.ReqID != "7" {
		t.Fatalf("quoted enum int, quoted bool: %+v %v", s, err)
	}
}

// A create whose Payload cannot be decoded keeps its id and reads as
// outcome unknown, whatever shape the Payload has.
func TestAttackCreatePayloadShapes(t *testing.T) {
	for name, tc := range map[string]struct{ payload, id string }{
		"id object":     {`{"TaskId":{"v":1}}`, ""},
		"array":         {`[{"TaskId":"t1"}]`, ""},
		"string":        {`"t1"`, ""},
		"huge number":   {`{"TaskId":"t9","Extra":1}`, ""},
		"id then junk":  {`{"TaskId":123456789012345678901234567890,"Nested":{"TaskId":1}}`, ""},
		"float for str": {`{"TaskId":1.5e3}`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			c, h := newHostile(t, answerAll(tc.payload))
			r, err := c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
			if h.count("videomake") != 1 {
				t.Errorf("delivered %d times", h.count("videomake"))
			}
			if err == nil {
				t.Logf("decoded: %+v", r)
				return
			}
			var pe *ivh.ProtocolError
			if !errors.As(err, &pe) || !errors.Is(err, ivh.ErrOutcomeUnknown) {
				t.Fatalf("want ProtocolError + ErrOutcomeUnknown, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), "outcome unknown") || (pe.ID != "" && !strings.Contains(err.Error(), "id="+pe.ID)) {
				t.Errorf("the message does not warn against a resend or lacks the id: %v", err)
			}
		})
	}
}

// The same member twice, in different case: encoding/json keeps the last
// one, and so must the id a failed create reports.
func TestAttackCreateDuplicateIDKeys(t *testing.T) {
	for range 20 {
		c, _ := newHostile(t, answerAll(`{"taskid":"first","TaskId":"last","Bad":1,"TaskID":{"x":1}}`))
		_, err := c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
		var pe *ivh.ProtocolError
		if !errors.As(err, &pe) {
			t.Fatalf("want ProtocolError, got %v", err)
		}
		if pe.ID != "" && pe.ID != "last" {
			t.Fatalf("id %q: not the member encoding/json would decode", pe.ID)
		}
	}
}

// A failing Payload that echoes the token and the signature, in every JSON
// spelling, must not hand them to the caller.
func TestAttackProtocolErrorPayloadHidesEcho(t *testing.T) {
	var sig string
	c, h := newHostile(t, nil)
	h.answer = func(op string, n int, body string) (int, string) {
		h.mu.Lock()
		q, _ := url.ParseQuery(h.query[len(h.query)-1])
		h.mu.Unlock()
		sig = q.Get("signature")
		esc, _ := json.Marshal(sig) // encoding/json escapes + as \u002b
		slash := strings.ReplaceAll(sig, "/", `\/`)
		return 200, okEnv(`{"TaskId":{"x":1},"a":"` + hostileToken + `","b":` + string(esc) + `,"c":"` + slash +
			`","d":"` + url.QueryEscape(sig) + `","e":"` + lowerEscapes(url.QueryEscape(sig)) + `"}`)
	}
	_, err := c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
	var pe *ivh.ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("want ProtocolError, got %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(pe.Payload, &m); err != nil {
		t.Fatalf("scrubbed Payload is not JSON any more: %v: %s", err, pe.Payload)
	}
	for k, v := range m {
		s, _ := v.(string)
		if strings.Contains(s, hostileToken) || (len(sig) > 8 && strings.Contains(s, sig)) ||
			strings.Contains(s, lowerEscapes(url.QueryEscape(sig))) {
			t.Errorf("Payload member %s still holds a secret: %q (sig %q)", k, s, sig)
		}
	}
	if strings.Contains(err.Error(), hostileToken) {
		t.Errorf("error text holds the token")
	}
}

// A pathological Payload costs bounded time and memory: JSON nested past
// encoding/json's depth limit fails fast, and a large drifted Payload
// allocates a small multiple of what its well-typed twin does.
func TestAttackPathologicalPayloadCost(t *testing.T) {
	deep := `{"TaskId":"x","N":` + strings.Repeat(`{"a":`, 200000) + "1" + strings.Repeat("}", 200000) + `}`
	c, _ := newHostile(t, answerAll(deep))
	start := time.Now()
	if _, err := c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation()); err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("deep: %v after %v", err, time.Since(start))
	}
	typed, drifted := anchorsAlloc(t, `"1"`), anchorsAlloc(t, `1`)
	t.Logf("1 MB Payload: %d MiB well-typed, %d MiB drifted", typed>>20, drifted>>20)
	if drifted > 6*typed {
		t.Errorf("drifted Payload allocates %d bytes, %dx its well-typed twin", drifted, drifted/typed)
	}
}

// anchorsAlloc returns the bytes allocated by one GetAnchor whose 20,000
// anchors spell AnchorName as name.
func anchorsAlloc(t *testing.T, name string) uint64 {
	item := `{"AnchorName":` + name + `,"AnchorCode":"2","HeaderImage":"3"},`
	p := `{"Virtualmans":[` + strings.TrimSuffix(strings.Repeat(item, 20000), ",") + `],"Total":1}`
	c, _ := newHostile(t, answerAll(p), ivh.WithMaxResponseBytes(8<<20))
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	_, err := c.Asset.GetAnchor(context.Background(), &ivh.GetAnchorRequest{}, ivh.SkipValidation())
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	return m1.TotalAlloc - m0.TotalAlloc
}

// lowerEscapes spells the percent-escapes of s in lower case (%2f), as
// some proxies do.
func lowerEscapes(s string) string {
	for _, e := range []string{"%2B", "%2F", "%3D"} {
		s = strings.ReplaceAll(s, e, strings.ToLower(e))
	}
	return s
}

// The message of a failed create names its id and warns against a resend.
func TestAttackCreateProtocolErrorMessage(t *testing.T) {
	c, _ := newHostile(t, answerAll(`{"SessionId":"s42","SessionStatus":{"x":1}}`), ivh.WithoutValidation())
	_, err := c.Session.CreateSession(context.Background(), &ivh.CreateSessionRequest{})
	var pe *ivh.ProtocolError
	if !errors.As(err, &pe) || pe.ID != "s42" || !strings.Contains(err.Error(), "id=s42") || !strings.Contains(err.Error(), "do not resend") {
		t.Fatalf("%v", err)
	}
}
