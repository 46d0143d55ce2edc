package ivh_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

const hostileToken = "tok-Hostile-0123456789abcdef"

// hostile is a gateway written from scratch: answer maps the last path
// element of each call to the Payload JSON it answers (Code 0), and every
// request body is counted and kept per path element.
type hostile struct {
	mu     sync.Mutex
	bodies map[string][]string
	query  []string
	answer func(op string, n int, body string) (status int, envelope string)
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	op := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	h.mu.Lock()
	if h.bodies == nil {
		h.bodies = map[string][]string{}
	}
	h.bodies[op] = append(h.bodies[op], string(b))
	h.query = append(h.query, r.URL.RawQuery)
	n := len(h.bodies[op])
	h.mu.Unlock()
	status, env := h.answer(op, n, string(b))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, env)
}

func (h *hostile) count(op string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies[op])
}

// ok wraps payload in a success envelope.
func okEnv(payload string) string {
	return `{"Header":{"Code":0,"Message":"","RequestID":"r"},"Payload":` + payload + `}`
}

// fail is an error envelope with code.
func failEnv(code int) string {
	b, _ := json.Marshal(map[string]any{"Header": map[string]any{"Code": code, "Message": "no", "RequestID": "r"}})
	return string(b)
}

func newHostile(t *testing.T, answer func(op string, n int, body string) (int, string), opts ...ivh.Option) (*ivh.Client, *hostile) {
	t.Helper()
	h := &hostile{answer: answer}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	opts = append([]ivh.Option{ivh.WithBaseURL(srv.URL), ivh.WithTimeout(2 * time.Second),
		ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})}, opts...)
	c, err := ivh.NewClient("appkey", hostileToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, h
}
