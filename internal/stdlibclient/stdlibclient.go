// Package stdlibclient is an aPaaS call written by hand with the standard
// library only: sign, marshal the envelope, POST, unmarshal, check the
// code. It is the baseline that every call benchmark compares the runtime
// against, kept in one place so they all measure the same thing.
package stdlibclient

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Call POSTs payload as the Payload of an envelope to u, signed with
// appKey and token, and decodes the response Payload into out.
func Call(hc *http.Client, u, appKey, token string, payload, out any) error {
	body, err := json.Marshal(struct {
		Header  struct{ RequestID string }
		Payload any
	}{Payload: payload})
	if err != nil {
		return err
	}
	resp, err := hc.Post(u+"?"+SignedQuery(appKey, token, time.Now()), "application/json;charset=utf-8", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Header struct {
			Code      int
			Message   string
			RequestID string
		}
		Payload any
	}
	env.Payload = out
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return err
	}
	// Read to EOF so that the connection goes back to the pool.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if env.Header.Code != 0 {
		return errors.New(env.Header.Message)
	}
	return nil
}

// SignedQuery is the hand-written signing: appkey and timestamp, and the
// base64 HMAC-SHA256 of "appkey=..&timestamp=.." keyed by the token.
func SignedQuery(appKey, token string, now time.Time) string {
	q := url.Values{"appkey": {appKey}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("appkey=" + q.Get("appkey") + "&timestamp=" + q.Get("timestamp")))
	q.Set("signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	return q.Encode()
}
