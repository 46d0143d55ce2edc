package ivh_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// violations returns the paths Validate reports, or nil.
func violations(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ivhrt.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ivhrt.ValidationError", err)
	}
	var paths []string
	for _, v := range ve.Violations {
		paths = append(paths, v.Path)
	}
	return paths
}

func sessionByAsset() *ivh.CreateSessionByAssetRequest {
	return &ivh.CreateSessionByAssetRequest{AssetVirtualmanKey: "k", UserID: "u",
		Protocol: ivh.StreamProtocolTrtc, DriverType: ivh.SessionDriverTypeText}
}

// Backgrounds and Foregrounds are 5 layers together, although each alone
// may hold 5.
func TestLayersTogether(t *testing.T) {
	r := sessionByAsset()
	r.Backgrounds = make([]ivh.VideoLayer, 3)
	r.Foregrounds = make([]ivh.VideoLayer, 2)
	if got := violations(t, r.Validate()); got != nil {
		t.Fatalf("5 layers: %v", got)
	}
	r.Foregrounds = make([]ivh.VideoLayer, 3)
	if got := violations(t, r.Validate()); len(got) != 1 || got[0] != "Backgrounds+Foregrounds" {
		t.Fatalf("6 layers: violations %v, want one at Backgrounds+Foregrounds", got)
	}
}

// Sessions refuse the legacy modulated-voice drive, which the shared enum
// still declares for legacy sessions.
func TestSessionDriverTypeSubset(t *testing.T) {
	r := sessionByAsset()
	r.DriverType = ivh.SessionDriverTypeModulatedVoice
	if got := violations(t, r.Validate()); len(got) != 1 || got[0] != "DriverType" {
		t.Fatalf("violations %v, want DriverType", got)
	}
	r.DriverType = ivh.SessionDriverTypeAudio
	if got := violations(t, r.Validate()); got != nil {
		t.Fatalf("audio drive: %v", got)
	}
}

// VideoMakeAdvanced accepts Mp4 and the transparent formats, not the
// international GreenScreenMp4 that VideoMake keeps.
func TestAdvancedFormatSubset(t *testing.T) {
	r := &ivh.VideoMakeAdvancedRequest{VirtualmanKey: "k", SpeechParam: ivh.SpeechParam{Speed: 1}}
	r.VideoParam.Format = ivhrt.Of(ivh.VideoFormatGreenScreenMp4)
	if got := violations(t, r.Validate()); len(got) != 1 || got[0] != "VideoParam.Format" {
		t.Fatalf("violations %v, want VideoParam.Format", got)
	}
	r.VideoParam.Format = ivhrt.Of(ivh.VideoFormatTransparentMov)
	if got := violations(t, r.Validate()); got != nil {
		t.Fatalf("TransparentMov: %v", got)
	}
}

// The no-train APIs take Text or OriginalVoice only.
func TestNoTrainDriverTypeSubset(t *testing.T) {
	r := &ivh.PhotoToVideoNoTrainRequest{RefPhotoURL: "p", DriverType: ivh.DriveTypeModulatedVoice}
	if got := violations(t, r.Validate()); len(got) != 1 || got[0] != "DriverType" {
		t.Fatalf("violations %v, want DriverType", got)
	}
}

// Emotions come from each timbre's own list, so any value is sent.
func TestOpenEmotion(t *testing.T) {
	r := &ivh.VideoMakeRequest{VirtualmanKey: "k", InputSSML: ivhrt.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1}}
	r.SpeechParam.EmotionCategory = ivhrt.Of(ivh.EmotionCategory("tc_lively"))
	if got := violations(t, r.Validate()); got != nil {
		t.Fatalf("tc_lively: %v", got)
	}
}

// The session text limit counts UTF-8 bytes: 1334 Chinese characters are
// 4002 bytes, above the 4000 the vendor allows, though far below 4000
// characters.
func TestSendCommandTextBytes(t *testing.T) {
	r := &ivh.SendCommandRequest{SessionID: "s", Command: ivh.CommandSendText}
	r.Data.Text = ivhrt.Of(strings.Repeat("你", 1333)) // 3999 bytes
	if got := violations(t, r.Validate()); got != nil {
		t.Fatalf("3999 bytes: %v", got)
	}
	r.Data.Text = ivhrt.Of(strings.Repeat("你", 1334))
	if got := violations(t, r.Validate()); len(got) != 1 || got[0] != "Data.Text" {
		t.Fatalf("4002 bytes: violations %v, want Data.Text", got)
	}
}

// SEND_STREAMTEXT always carries Text, even empty to interrupt.
func TestStreamTextAlwaysSendsText(t *testing.T) {
	b, err := json.Marshal(&ivh.SendStreamTextData{Seq: 2, Interrupt: ivhrt.Of(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"Text":""`) {
		t.Fatalf("%s has no Text key", b)
	}
}
