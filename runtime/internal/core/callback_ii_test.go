package core

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A flat callback body carries the fields at the top level.
func TestCallbackHandlerOfFlat(t *testing.T) {
	type body struct {
		ReqID string `json:"ReqId"`
		Code  int
	}
	var got *body
	h := CallbackHandlerOf(true, []string{"ReqId"}, func(_ context.Context, b *body) error { got = b; return nil })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"ReqId":"r","Code":"3"}`)))
	if rec.Code != http.StatusOK || got == nil || got.ReqID != "r" || got.Code != 3 {
		t.Fatalf("status %d, got %+v", rec.Code, got)
	}
	got = nil
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"Payload":{"ReqId":"r"}}`)))
	if rec.Code != http.StatusBadRequest || got != nil {
		t.Fatalf("wrapped body to a flat handler: status %d, got %+v", rec.Code, got)
	}
}
