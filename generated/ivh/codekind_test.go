package ivh_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// Task fail codes reuse API code numbers with other meanings (801004 is
// "submitted too often" in Header.Code and "crashed" as a fail code). Only
// the API table sets the category of an APIError; the task constant still
// matches the task failure.
func TestTaskCodesDoNotOverrideAPICategories(t *testing.T) {
	gw := fakegw.New(t)
	const path = "/v2/ivh/videomaker/broadcastservice/videomake"
	fakegw.HandleFunc(gw, path, func(context.Context, *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		return &ivh.VideoMakeResponse{TaskID: "t1"}, nil
	})
	c, err := ivh.NewClient(gw.AppKey(), gw.AccessToken(), ivh.WithBaseURL(gw.URL()), ivh.WithHTTPClient(gw.HTTPClient()))
	require.NoError(t, err)
	req := &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1}}
	for _, tc := range []struct {
		code ivh.Code
		want ivh.Category
	}{{ivh.ErrSubmitTooFrequent, ivh.CategoryRateLimit}, {ivh.ErrRemoteCallFailed, ivh.CategoryRetryable}} {
		gw.Inject(path, fakegw.CodeFault(tc.code, "x"))
		_, err := c.Video.VideoMake(t.Context(), req)
		var apiErr *ivh.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, tc.want, apiErr.Category, "code %d", tc.code)
		if tc.code == ivh.ErrSubmitTooFrequent {
			assert.False(t, errors.Is(err, ivh.FailCrashed), "a rate limit read as a crashed task")
		}
	}
	failed := &ivh.TaskFailedError{Op: "GetProgress", ID: "t1", FailCode: ivh.FailCrashed}
	assert.True(t, errors.Is(failed, ivh.FailCrashed))
	assert.False(t, errors.Is(failed, ivh.ErrSubmitTooFrequent), "a crashed task read as a rate limit")
}
