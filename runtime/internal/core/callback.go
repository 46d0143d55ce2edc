package core

import (
	"context"
	"encoding/json"
	"net/http"
)

// MaxCallbackBytes caps a callback body.
const MaxCallbackBytes = 1 << 20

// CallbackHandler returns an http.Handler for the gateway's result
// callbacks: it accepts POST only, decodes a {"Payload": T} body of at most
// MaxCallbackBytes and passes it to f. A bad body is a 400 and f's error a
// 500; the gateway sends a callback once and never retries it, so poll the
// task as well when delivery matters.
func CallbackHandler[T any](f func(context.Context, *T) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var env struct{ Payload *T }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxCallbackBytes)).Decode(&env); err != nil || env.Payload == nil {
			http.Error(w, "bad callback body", http.StatusBadRequest)
			return
		}
		if err := f(r.Context(), env.Payload); err != nil {
			http.Error(w, "callback failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
