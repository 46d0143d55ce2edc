package ivh_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// A non-zero Header.Code becomes an *ivh.APIError that matches its
// documented constant, carries the request id and category, and never the
// access token.
func TestAPIErrorByCode(t *testing.T) {
	cases := []struct {
		code     ivh.Code
		category ivh.Category
		is       func(*ivh.APIError) bool
	}{
		{ivh.ErrUnauthorized, ivh.CategoryAuth, (*ivh.APIError).IsAuth},
		{ivh.ErrInvalidParamValue, ivh.CategoryInvalidArgument, (*ivh.APIError).IsInvalidArgument},
		{ivh.ErrAvatarNotFound, ivh.CategoryNotFound, (*ivh.APIError).IsNotFound},
		{ivh.ErrNoConcurrencyQuota, ivh.CategoryQuota, (*ivh.APIError).IsQuota},
		{ivh.ErrTextRejected, ivh.CategoryInvalidArgument, (*ivh.APIError).IsInvalidArgument},
		{ivh.ErrSessionNotFound, ivh.CategoryNotFound, (*ivh.APIError).IsNotFound},
		{ivh.ErrInvalidProjectID, ivh.CategoryNotFound, (*ivh.APIError).IsNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.code.Error(), func(t *testing.T) {
			g, c := newGateway(t)
			g.reply(videoPrefix+"/videomake", failure(int(tc.code), "documented failure"))
			_, err := c.Video.VideoMake(t.Context(), &ivh.VideoMakeRequest{
				VirtualmanKey: "vk-1", InputSSML: ivh.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1},
			})
			if !errors.Is(err, tc.code) {
				t.Fatalf("errors.Is(err, %d) = false; err = %v", tc.code, err)
			}
			var ae *ivh.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err %T is not an *ivh.APIError", err)
			}
			if ae.Category != tc.category || !tc.is(ae) {
				t.Errorf("category = %q, want %q", ae.Category, tc.category)
			}
			if ae.RequestID != "req-7f3a" || ae.Op != "VideoMake" || ae.Message != "documented failure" {
				t.Errorf("APIError = %+v", ae)
			}
			if strings.Contains(err.Error(), g.AccessToken()) {
				t.Error("error text contains the access token")
			}
			// VideoMake creates work: a documented failure is not retried.
			if n := len(g.payloads(videoPrefix + "/videomake")); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// An error with a code from one table does not match another code.
func TestAPIErrorDoesNotMatchOtherCodes(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/startsession", failure(110014, "session not ready"))
	_, err := c.Session.StartSession(t.Context(), &ivh.StartSessionRequest{SessionID: "m1"})
	if !errors.Is(err, ivh.ErrSessionNotReady) {
		t.Fatalf("err = %v, want ErrSessionNotReady", err)
	}
	for _, other := range []error{ivh.ErrSessionNotStarted, ivh.ErrSessionNotFound, ivh.FailTimeout} {
		if errors.Is(err, other) {
			t.Errorf("err matches %v too", other)
		}
	}
}

// Requests that break a documented bound are refused before anything is
// sent, with a message naming the field.
func TestValidationRefusesBeforeSending(t *testing.T) {
	long := strings.Repeat("字", 20001)
	cases := []struct {
		name  string
		call  func(context.Context, *ivh.Client) error
		field string
	}{{
		name: "speed above 1.5", field: "Speed",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Video.VideoMake(ctx, &ivh.VideoMakeRequest{VirtualmanKey: "vk", SpeechParam: ivh.SpeechParam{Speed: 2}})
			return err
		},
	}, {
		name: "missing required avatar", field: "VirtualmanKey",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Video.VideoMake(ctx, &ivh.VideoMakeRequest{SpeechParam: ivh.SpeechParam{Speed: 1}})
			return err
		},
	}, {
		name: "text over 20000 characters", field: "InputSsml",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Video.TTS(ctx, &ivh.TTSRequest{InputSSML: long, Speed: 1})
			return err
		},
	}, {
		name: "page size above 100", field: "PageSize",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Asset.DescribeTimbre(ctx, &ivh.DescribeTimbreRequest{PageIndex: 1, PageSize: 101})
			return err
		},
	}, {
		name: "page index 0", field: "PageIndex",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Asset.GetServiceAsset(ctx, &ivh.GetServiceAssetRequest{PageIndex: 0, PageSize: 10})
			return err
		},
	}, {
		name: "unknown enum value", field: "MakeType",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Customization.MakeCustomization(ctx, &ivh.MakeCustomizationRequest{AnchorName: "ab", MakeType: "IMAGE_8K"})
			return err
		},
	}, {
		name: "anchor name of one character", field: "AnchorName",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Customization.MakeCustomization(ctx, &ivh.MakeCustomizationRequest{AnchorName: "a", MakeType: ivh.MakeTypeVoice})
			return err
		},
	}, {
		name: "six layers", field: "Backgrounds",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Session.CreateSessionByAsset(ctx, &ivh.CreateSessionByAssetRequest{
				AssetVirtualmanKey: "avk", UserID: "u", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText,
				Backgrounds: make([]ivh.VideoLayer, 6),
			})
			return err
		},
	}, {
		name: "stream interval below 2000 ms", field: "StreamMaxInterval",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Session.CreateSession(ctx, &ivh.CreateSessionRequest{
				VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText,
				StreamMaxInterval: ivh.Of(1000),
			})
			return err
		},
	}, {
		name: "volume in nested SpeechParam", field: "SpeechParam.Volume",
		call: func(ctx context.Context, c *ivh.Client) error {
			_, err := c.Video.VideoMakeAdvanced(ctx, &ivh.VideoMakeAdvancedRequest{
				VirtualmanKey: "vk", SpeechParam: ivh.SpeechParam{Speed: 1, Volume: ivh.Of(11)},
			})
			return err
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, c := newGateway(t)
			err := tc.call(t.Context(), c)
			var ve *ivh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want a *ivh.ValidationError", err, err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name %s", err, tc.field)
			}
			if n := len(g.Requests()); n != 0 {
				t.Errorf("%d requests reached the gateway", n)
			}
		})
	}
}

// 20000 characters of CJK text are within the bound: lengths count
// characters, not bytes.
func TestValidationCountsCharacters(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/tts", taskReply)
	if _, err := c.Video.TTS(t.Context(), &ivh.TTSRequest{InputSSML: strings.Repeat("字", 20000), Speed: 1}); err != nil {
		t.Fatal(err)
	}
}

// The production-result callback handler decodes the documented body.
func TestVideoResultHandler(t *testing.T) {
	var got *ivh.VideoResultCallback
	h := ivh.VideoResultHandler(func(_ context.Context, cb *ivh.VideoResultCallback) error {
		got = cb
		return nil
	})
	body := `{"Payload":{"Progress":100,"MediaUrl":"https://videomaker-resources.ivh.qq.com/v.mp4",
		"SubtitlesUrl":"https://videomaker-resources.ivh.qq.com/v.srt","Status":"SUCCESS","FailMessage":"","TaskId":"t-1"}}`
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(body)))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	deepEqual(t, "callback", &ivh.VideoResultCallback{
		TaskID: "t-1", Status: ivh.TaskStatusSuccess, Progress: 100,
		MediaURL:     "https://videomaker-resources.ivh.qq.com/v.mp4",
		SubtitlesURL: "https://videomaker-resources.ivh.qq.com/v.srt",
	}, got)
}

// A malformed callback body is refused without calling the user function.
func TestVideoResultHandlerRefusesBadBody(t *testing.T) {
	called := false
	h := ivh.VideoResultHandler(func(context.Context, *ivh.VideoResultCallback) error { called = true; return nil })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader([]byte(`{"Payload":`))))
	if rec.Code < 400 || called {
		t.Errorf("status %d, called %v; want a 4xx and no call", rec.Code, called)
	}
}

// A callback without its required fields is a 400 naming them, and the
// user function is not called; an empty Payload was a 200 before.
func TestVideoResultHandlerRequiresFields(t *testing.T) {
	called := false
	h := ivh.VideoResultHandler(func(context.Context, *ivh.VideoResultCallback) error { called = true; return nil })
	for _, body := range []string{`{"Payload":{}}`, `{"Payload":{"TaskId":"t","Status":"FAIL","Progress":-1,"MediaUrl":null}}`, `{"TaskId":"t"}`} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(body)))
		if rec.Code != http.StatusBadRequest || called {
			t.Errorf("%s: status %d, called %v; want 400 and no call", body, rec.Code, called)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"Payload":{}}`)))
	if !strings.Contains(rec.Body.String(), "TaskId, Status, Progress, MediaUrl") {
		t.Errorf("400 body %q does not name the missing fields", rec.Body.String())
	}
	// A loosely typed scalar decodes as in API responses.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"Payload":{"TaskId":"t","Status":"FAIL","Progress":"-1","MediaUrl":""}}`)))
	if rec.Code != http.StatusOK || !called {
		t.Errorf("loose Progress: status %d, called %v", rec.Code, called)
	}
}
