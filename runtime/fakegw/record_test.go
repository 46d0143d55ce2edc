package fakegw_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

func TestRecordsEveryRequest(t *testing.T) {
	s, clock := newVendorServer(t)
	do(t, s, rawReq{})
	clock.Advance(time.Second)
	s.Inject("/echo", fakegw.CodeFault(100008, "quota"))
	do(t, s, rawReq{query: s.SignedQuery(clock.Now(), nil).Encode()})
	do(t, s, rawReq{method: http.MethodGet, body: `{"Header":{"RequestID":"rid-2"},"Payload":{}}`})

	recs := s.Requests()
	equal(t, len(recs), 3)
	ok := recs[0]
	equal(t, ok.Time, vendorTime)
	equal(t, ok.Method, http.MethodPost)
	equal(t, ok.Path, "/echo")
	equal(t, ok.Query.Get("appkey"), vendorAppKey)
	equal(t, ok.Query.Get("timestamp"), "1646636485")
	equal(t, ok.Query.Get("signature"), vendorSig)
	equal(t, ok.HTTPHeader.Get("Content-Type"), "application/json;charset=utf-8")
	equal(t, string(ok.Body), goodBody)
	jsonEq(t, string(ok.Header), `{"RequestID":"rid-1"}`)
	jsonEq(t, string(ok.Payload), `{"X":1}`)
	equal(t, ok.RequestID, "rid-1")
	equal(t, ok.HTTPStatus, 200)
	equal(t, ok.Code, 0)
	equal(t, ok.Message, "")
	equal(t, ok.Outcome, "")
	if ok.Fault != nil {
		t.Errorf("fault %+v recorded on a clean request", ok.Fault)
	}

	faulted := recs[1]
	equal(t, faulted.Time, vendorTime.Add(time.Second))
	equal(t, faulted.Code, 100008)
	equal(t, faulted.Message, "quota")
	equal(t, *faulted.Fault, fakegw.CodeFault(100008, "quota"))

	rejected := recs[2]
	equal(t, rejected.Method, http.MethodGet)
	equal(t, rejected.Code, fakegw.CodeBadParameter)
	equal(t, rejected.RequestID, "rid-2")
}

func TestRequestsAreCopies(t *testing.T) {
	s, _ := newVendorServer(t)
	s.Inject("/echo", fakegw.Fault{Header: http.Header{"Age": {"1"}}})
	do(t, s, rawReq{})
	r := s.Requests()[0]
	r.Query.Set("appkey", "changed")
	r.HTTPHeader.Set("Content-Type", "changed")
	r.Body[0] = 'X'
	r.Payload[0] = 'X'
	r.Fault.Header.Set("Age", "2")
	again := s.Requests()[0]
	equal(t, again.Query.Get("appkey"), vendorAppKey)
	equal(t, again.HTTPHeader.Get("Content-Type"), "application/json;charset=utf-8")
	equal(t, string(again.Body), goodBody)
	jsonEq(t, string(again.Payload), `{"X":1}`)
	equal(t, again.Fault.Header.Get("Age"), "1")
}

func TestRequestsToAndClear(t *testing.T) {
	s, _ := newVendorServer(t)
	s.Handle("/other", func(context.Context, *fakegw.Request) (any, error) { return nil, nil })
	do(t, s, rawReq{})
	do(t, s, rawReq{path: "/other"})
	do(t, s, rawReq{})
	equal(t, len(s.RequestsTo("/echo")), 2)
	equal(t, len(s.RequestsTo("/other")), 1)
	equal(t, len(s.RequestsTo("/none")), 0)
	s.ClearRequests()
	equal(t, len(s.Requests()), 0)
	do(t, s, rawReq{path: "/other"})
	equal(t, len(s.Requests()), 1)
}

// Many clients at once: every request is answered with its own RequestID
// and recorded exactly once; faults are each used once. Run with -race.
func TestConcurrentRequests(t *testing.T) {
	s, _ := newVendorServer(t)
	tasks := fakegw.NewTaskStore("")
	fakegw.HandleFunc(s, "/create", func(_ context.Context, req *struct{ N int }) (*struct{ TaskId string }, error) {
		return &struct{ TaskId string }{tasks.Create(req).ID}, nil
	})
	const workers, each, faults = 16, 20, 10
	for range faults {
		s.InjectGlobal(fakegw.CodeFault(100008, "busy"))
	}
	hc := s.HTTPClient()
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				errs <- post(hc, s, "/create", id)
			}
		})
	}
	wg.Wait()
	close(errs)
	busy := 0
	for err := range errs {
		if err != nil && err.Error() == "code 100008" {
			busy++
		} else if err != nil {
			t.Error(err)
		}
	}
	equal(t, busy, faults)
	recs := s.Requests()
	equal(t, len(recs), workers*each)
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.RequestID] {
			t.Errorf("request %s recorded twice", r.RequestID)
		}
		seen[r.RequestID] = true
	}
	equal(t, len(tasks.Tasks()), workers*each-faults)
	ids := map[string]bool{}
	for _, tk := range tasks.Tasks() {
		ids[tk.ID] = true
	}
	equal(t, len(ids), workers*each-faults, "task ids are unique")
}

// post sends one signed call and checks the echoed RequestID.
func post(hc *http.Client, s *fakegw.Server, path, requestID string) error {
	body := `{"Header":{"RequestID":"` + requestID + `"},"Payload":{"N":1}}`
	var out reply
	if err := postJSON(hc, s.URL()+path+"?"+s.SignedQuery(s.Clock().Now(), nil).Encode(), body, &out); err != nil {
		return err
	}
	if out.Header.RequestID != requestID {
		return fmt.Errorf("RequestID %q echoed as %q", requestID, out.Header.RequestID)
	}
	if out.Header.Code != 0 {
		return fmt.Errorf("code %d", out.Header.Code)
	}
	return nil
}
