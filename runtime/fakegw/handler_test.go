package fakegw_test

import (
	"context"
	"errors"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"net/http"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

type speech struct {
	Speed float64
}

type makeReq struct {
	Name        string
	SpeechParam speech
}

func (r *makeReq) Validate() error {
	if r.Name == "" {
		return errors.New("invalid request: Name: is required")
	}
	return nil
}

type makeResp struct {
	TaskId string
	Echo   string
}

func envelopeWith(payload string) string {
	return `{"Header":{"RequestID":"rid-1"},"Payload":` + payload + `}`
}

func TestHandleFuncDecodesStrictly(t *testing.T) {
	s, _ := newVendorServer(t)
	calls := 0
	fakegw.HandleFunc(s, "/make", func(_ context.Context, req *makeReq) (*makeResp, error) {
		calls++
		return &makeResp{TaskId: "t1", Echo: req.Name}, nil
	})
	cases := []struct {
		name, payload string
		code          core.Code
		message       string
	}{
		{"good", `{"Name":"a","SpeechParam":{"Speed":1}}`, 0, "success"},
		{"unknown field", `{"Name":"a","Extra":1}`, fakegw.CodeBadParameter, `Payload: unknown field "Extra"`},
		{"unknown nested field", `{"Name":"a","SpeechParam":{"Sped":1}}`, fakegw.CodeBadParameter, `unknown field "Sped"`},
		{"wrong type", `{"Name":"a","SpeechParam":{"Speed":"fast"}}`, fakegw.CodeBadParameter, "Payload.SpeechParam.Speed: cannot use JSON string as float64"},
		{"validation", `{"SpeechParam":{"Speed":1}}`, fakegw.CodeBadParameter, "Name: is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := do(t, s, rawReq{path: "/make", body: envelopeWith(c.payload)})
			equal(t, got.Header.Code, c.code)
			contains(t, got.Header.Message, c.message)
			equal(t, got.Header.RequestID, "rid-1")
		})
	}
	equal(t, calls, 1, "only the good payload reaches the function")
	jsonEq(t, string(do(t, s, rawReq{path: "/make", body: envelopeWith(`{"Name":"b"}`)}).Payload), `{"TaskId":"t1","Echo":"b"}`)
}

func TestDecodeStrictRejectsTrailingData(t *testing.T) {
	var v makeReq
	err := fakegw.DecodeStrict([]byte(`{"Name":"a"} {}`), &v)
	e := asReply[*fakegw.ErrorReply](t, err)
	equal(t, e.Code, fakegw.CodeBadParameter)
	contains(t, e.Message, "trailing data")
	must(t, fakegw.DecodeStrict([]byte(`{"Name":"a"}`), &v))
	equal(t, v.Name, "a")
}

func TestWithoutPayloadValidation(t *testing.T) {
	s, _ := newVendorServer(t, fakegw.WithoutPayloadValidation())
	fakegw.HandleFunc(s, "/make", func(_ context.Context, req *makeReq) (*makeResp, error) {
		return &makeResp{Echo: "unvalidated"}, nil
	})
	got := do(t, s, rawReq{path: "/make", body: envelopeWith(`{}`)})
	equal(t, got.Header.Code, 0)
	jsonEq(t, string(got.Payload), `{"TaskId":"","Echo":"unvalidated"}`)
}

func TestHandlerOutcomes(t *testing.T) {
	s, _ := newVendorServer(t)
	fakegw.HandleFunc(s, "/nil", func(context.Context, *makeReq) (*makeResp, error) { return nil, nil })
	fakegw.HandleFunc(s, "/reply", func(context.Context, *makeReq) (*makeResp, error) {
		return nil, fakegw.Errorf(100008, "quota of %d used", 3)
	})
	fakegw.HandleFunc(s, "/wrapped", func(context.Context, *makeReq) (*makeResp, error) {
		return nil, errors.Join(errors.New("context"), &fakegw.ErrorReply{Code: 110006, Message: "gone"})
	})
	fakegw.HandleFunc(s, "/plain", func(context.Context, *makeReq) (*makeResp, error) { return nil, errors.New("disk on fire") })
	fakegw.HandleFunc(s, "/zero", func(context.Context, *makeReq) (*makeResp, error) {
		return nil, &fakegw.ErrorReply{Message: "oops"}
	})
	fakegw.HandleFunc(s, "/panic", func(context.Context, *makeReq) (*makeResp, error) { panic("boom") })
	s.Handle("/unencodable", func(context.Context, *fakegw.Request) (any, error) { return map[string]any{"f": func() {}}, nil })
	s.Handle("/raw", func(context.Context, *fakegw.Request) (any, error) { return map[string]int{"N": 1}, nil })
	body := envelopeWith(`{"Name":"x"}`)
	cases := []struct {
		path, payload string
		code          core.Code
		message       string
	}{
		{"/nil", `{}`, 0, "success"},
		{"/raw", `{"N":1}`, 0, "success"},
		{"/reply", ``, 100008, "quota of 3 used"},
		{"/wrapped", ``, 110006, "gone"},
		{"/plain", ``, fakegw.CodeInternal, "disk on fire"},
		{"/zero", ``, fakegw.CodeInternal, "code 0: oops"},
		{"/panic", ``, fakegw.CodeInternal, "handler for /panic panicked: boom"},
		{"/unencodable", ``, fakegw.CodeInternal, "encoding the /unencodable response"},
	}
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			got := do(t, s, rawReq{path: c.path, body: body})
			equal(t, got.Status, http.StatusOK)
			equal(t, got.Header.Code, c.code)
			contains(t, got.Header.Message, c.message)
			if c.payload != "" {
				jsonEq(t, string(got.Payload), c.payload)
			}
		})
	}
}

func TestHandlerSeesTheRequest(t *testing.T) {
	s, clock := newVendorServer(t)
	var seen fakegw.Request
	s.Handle("/see", func(_ context.Context, r *fakegw.Request) (any, error) { seen = *r; return nil, nil })
	got := do(t, s, rawReq{path: "/see", body: `{"Header":{"RequestID":"rid-9","Extra":true},"Payload":{"A":[1]}}`})
	equal(t, got.Header.Code, 0)
	equal(t, seen.Path, "/see")
	equal(t, seen.RequestID, "rid-9")
	equal(t, seen.Time, clock.Now())
	equal(t, seen.Query.Get("appkey"), vendorAppKey)
	equal(t, seen.HTTP.Get("Content-Type"), "application/json;charset=utf-8")
	jsonEq(t, string(seen.Header), `{"RequestID":"rid-9","Extra":true}`)
	jsonEq(t, string(seen.Payload), `{"A":[1]}`)
}

func TestHandleReplacesEarlierHandler(t *testing.T) {
	s, _ := newVendorServer(t)
	s.Handle("/echo", func(context.Context, *fakegw.Request) (any, error) { return map[string]string{"v": "second"}, nil })
	jsonEq(t, string(do(t, s, rawReq{}).Payload), `{"v":"second"}`)
}

func TestRequestIDAssignedWhenMissing(t *testing.T) {
	s, _ := newVendorServer(t)
	first := do(t, s, rawReq{body: `{"Header":{},"Payload":{}}`})
	second := do(t, s, rawReq{body: `{"Header":{"RequestID":null},"Payload":{}}`})
	equal(t, first.Header.RequestID, "fakegw-000001")
	equal(t, second.Header.RequestID, "fakegw-000002")
	equal(t, s.Requests()[1].RequestID, "fakegw-000002")
}

func TestMisuseFailsTheTest(t *testing.T) {
	tb := &fakeTB{}
	s := fakegw.New(tb)
	defer tb.runCleanups()
	s.Handle("", func(context.Context, *fakegw.Request) (any, error) { return nil, nil })
	s.Handle("/ok", nil)
	s.Inject("", fakegw.Fault{})
	s.Inject("/x", fakegw.StatusFault(99))
	s.InjectGlobal(fakegw.DropFault(fakegw.DropMode(42)))
	s.Mount("/", http.NotFoundHandler())
	s.Mount("POST example.com/", http.NotFoundHandler())
	s.Mount("/ws", http.NotFoundHandler())
	s.Mount("/ws", http.NotFoundHandler())
	fatals, _ := tb.snapshot()
	equal(t, len(fatals), 8, fatals)
	for i, want := range []string{`Handle("")`, `Handle("/ok")`, "InjectGlobal", "status 99", "drop mode 42",
		`Mount("/"): the pattern would hide every API path`, `Mount("POST example.com/")`, `Mount("/ws"): pattern "/ws"`} {
		if i < len(fatals) {
			contains(t, fatals[i], want)
		}
	}
	equal(t, s.PendingFaults(), 0, "bad faults are not queued")
}

func TestMisuseWithoutTBPanics(t *testing.T) {
	s, err := fakegw.Start()
	must(t, err)
	defer s.Close()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "Handle") {
			t.Errorf("recovered %v, want a panic naming Handle", r)
		}
	}()
	s.Handle("no-slash", func(context.Context, *fakegw.Request) (any, error) { return nil, nil })
}
