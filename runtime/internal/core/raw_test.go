package core_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

type wideResp struct {
	TaskId string `json:"TaskId"`
	Plain  int
	Hidden string `json:"-"`
	embedded
}

type embedded struct {
	Inner string `json:"inner,omitempty"`
}

// TestRawResponse_Success: the last response's status, headers and body,
// and the Payload fields the response type lacks.
func TestRawResponse_Success(t *testing.T) {
	body := `{"Header":{"Code":0},"Payload":{"TaskId":"t-1","plain":2,"INNER":"x","Hidden":"h","NewField":{"a":1}}}`
	c, _ := scripted(t, func(int, *http.Request) (*http.Response, error) {
		r := jsonResponse(200, body)
		r.Header.Set("X-Trace", "abc")
		return r, nil
	})
	var raw core.RawResponse
	resp, err := core.Do[makeReq, wideResp](context.Background(), c, idemOp, &makeReq{}, core.WithRawResponse(&raw))
	require.NoError(t, err)
	assert.Equal(t, "t-1", resp.TaskId)
	assert.Equal(t, 200, raw.StatusCode)
	assert.Equal(t, "abc", raw.Header.Get("X-Trace"))
	assert.JSONEq(t, body, string(raw.Body))
	assert.Equal(t, map[string]json.RawMessage{"Hidden": json.RawMessage(`"h"`), "NewField": json.RawMessage(`{"a":1}`)}, raw.UnknownFields(resp))
	assert.Nil(t, raw.UnknownFields(&struct{ TaskId, Plain, Inner, Hidden, NewField any }{}))
}

// TestRawResponse_FailureKeepsLastAttempt: a retried call keeps the last
// response, and an echoed token is hidden.
func TestRawResponse_FailureKeepsLastAttempt(t *testing.T) {
	c, _ := scripted(t, func(n int, _ *http.Request) (*http.Response, error) {
		if n == 1 {
			return jsonResponse(503, "first"), nil
		}
		return jsonResponse(400, "echo "+testToken), nil
	})
	var raw core.RawResponse
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}, core.WithRawResponse(&raw))
	require.Error(t, err)
	assert.Equal(t, 400, raw.StatusCode)
	assert.NotContains(t, string(raw.Body), testToken)
	assert.Contains(t, string(raw.Body), "echo ")
	assert.Nil(t, raw.Payload())
	assert.Nil(t, raw.UnknownFields(&makeResp{}))
}
