package ivh_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWaitFromPersistedHandle: a task started by one client is waited on by
// another from the handle's text form alone, as a second process would.
func TestWaitFromPersistedHandle(t *testing.T) {
	srv := ivhtest.New(t)
	made, err := srv.Client().Video.VideoMake(t.Context(), videoMakeRequest(), ivh.WithRequestID("rid-7"))
	require.NoError(t, err)
	text, err := srv.Client().Video.VideoMakeHandle(made, "rid-7").MarshalText()
	require.NoError(t, err)

	var h ivh.TaskHandle
	require.NoError(t, json.Unmarshal([]byte(`"`+string(text)+`"`), &h))
	last, err := srv.Client().Video.WaitVideoMakeHandle(t.Context(), h, fast...)
	require.NoError(t, err)
	assert.Equal(t, ivh.TaskStatusSuccess, last.Status)
	assert.Equal(t, "rid-7", h.RequestID)

	_, err = srv.Client().Video.WaitTTSHandle(t.Context(), h, fast...)
	assert.ErrorContains(t, err, "not a v1 handle of TTS", "a VideoMake handle is not a TTS handle")
}

// TestWaitMaxWaitCarriesHandle: a bounded wait on a task that stays queued
// ends with the handle and the last status, and the handle resumes it.
func TestWaitMaxWaitCarriesHandle(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	srv.Tasks("GetProgress").SetSteps(ivhtestStep("COMMIT"), ivhtestStep("COMMIT"), ivhtestStep("COMMIT"), ivhtestStep("SUCCESS"))
	made, err := c.Video.VideoMake(t.Context(), videoMakeRequest())
	require.NoError(t, err)
	_, err = c.Video.WaitVideoMake(t.Context(), nil, made, append(fast, ivh.WithMaxWait(1))...)
	var te *ivh.WaitTimeoutError
	require.ErrorAs(t, err, &te)
	assert.True(t, errors.Is(err, ivh.ErrMaxWait))
	assert.Equal(t, "COMMIT", te.Status)
	assert.Equal(t, made.TaskID, te.Handle.TaskID)
	last, err := c.Video.WaitVideoMakeHandle(t.Context(), te.Handle, fast...)
	require.NoError(t, err)
	assert.Equal(t, ivh.TaskStatusSuccess, last.Status)
}

func videoMakeRequest() *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{VirtualmanKey: "vk-1", InputSSML: ivh.Of("hello"), SpeechParam: ivh.SpeechParam{Speed: 1}}
}

func ivhtestStep(status string) fakegw.TaskStep { return fakegw.TaskStep{Status: status} }
