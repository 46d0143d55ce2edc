package core

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// CallbackHandlerOf is CallbackHandler for a declared body shape: with flat
// the fields are the top-level object, else they are under "Payload". A
// body without one of the required fields (absent or null) is a 400 naming
// them, and f is not called; scalars decode as tolerantly as responses.
func CallbackHandlerOf[T any](flat bool, required []string, f func(context.Context, *T) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var raw json.RawMessage
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxCallbackBytes)).Decode(&raw); err != nil {
			http.Error(w, "bad callback body", http.StatusBadRequest)
			return
		}
		obj, ok := callbackObject(raw, flat)
		if !ok {
			http.Error(w, "bad callback body", http.StatusBadRequest)
			return
		}
		if missing := missingKeys(obj, required); len(missing) > 0 {
			http.Error(w, "callback body lacks "+strings.Join(missing, ", "), http.StatusBadRequest)
			return
		}
		v := new(T)
		if err := decodeTolerant(raw, v); flat && err != nil {
			http.Error(w, "bad callback body", http.StatusBadRequest)
			return
		}
		if !flat {
			if err := decodeTolerant(obj[""], v); err != nil {
				http.Error(w, "bad callback body", http.StatusBadRequest)
				return
			}
		}
		if err := f(r.Context(), v); err != nil {
			http.Error(w, "callback failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// callbackObject returns the fields object of a callback body by key; for
// a Payload body the object itself is also kept under "".
func callbackObject(raw json.RawMessage, flat bool) (map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil, false
	}
	if flat {
		return obj, true
	}
	p, ok := obj["Payload"]
	var inner map[string]json.RawMessage
	if !ok || json.Unmarshal(p, &inner) != nil || inner == nil {
		return nil, false
	}
	inner[""] = p
	return inner, true
}

func missingKeys(obj map[string]json.RawMessage, required []string) []string {
	var out []string
	for _, k := range required {
		if v, ok := obj[k]; !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			out = append(out, k)
		}
	}
	return out
}
