package ivh_test

import (
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// Values and fields the documents do not list still decode: an unknown
// status is kept (Known reports false) and the waiter treats it as pending;
// unknown fields are ignored.
func TestUnknownValuesAndFieldsDecode(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/getprogress",
		ok(`{"Status":"PAUSED","Progress":10,"QueueRegion":"sg","NewObject":{"a":[1,2]}}`),
		ok(`{"Status":"SUCCESS","MediaUrl":"https://r/v.mp4"}`))
	got, err := c.Video.GetProgress(t.Context(), &ivh.GetProgressRequest{TaskID: "t-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "PAUSED" || got.Status.Known() || got.Progress != 10 {
		t.Errorf("got %+v, Known %v; want the unknown status kept", got, got.Status.Known())
	}
	if !ivh.TaskStatusSuccess.Known() {
		t.Error("a documented status reports unknown")
	}
	done, err := c.Video.WaitVideoMake(t.Context(), nil, &ivh.VideoMakeResponse{TaskID: "t-1"}, fast...)
	if err != nil || done.MediaURL != "https://r/v.mp4" {
		t.Fatalf("wait past an unknown status: %+v, %v", done, err)
	}
}

// The appendix value lists reach the generated enums: values at both ends
// of §4.2, §4.3, §4.4 and §4.1 are known, near misses are not.
func TestAppendixValuesAreKnown(t *testing.T) {
	type enum interface{ Known() bool }
	known := []enum{
		ivh.EmotionCategory("0"), ivh.EmotionCategory("9"), ivh.EmotionCategory("tc_amaze"), ivh.EmotionCategory("tc_story"),
		ivh.VirtualmanTypeCode("real_man_2d"), ivh.VirtualmanTypeCode("small_sample_photo_2d"),
		ivh.TimbreLanguage("am-ET"), ivh.TimbreLanguage("yue-CN"), ivh.TimbreLanguage("zu-ZA"),
		ivh.ServiceType("ImageAsset"), ivh.ServiceType("TimbreHour"),
	}
	for _, v := range known {
		if !v.Known() {
			t.Errorf("%v is not a known value", v)
		}
	}
	unknown := []enum{
		ivh.EmotionCategory("10"), ivh.EmotionCategory("tc_bored"), ivh.TimbreLanguage("en-us"),
		ivh.VirtualmanTypeCode("real_man_4d"), ivh.ServiceType("imageasset"),
	}
	for _, v := range unknown {
		if v.Known() {
			t.Errorf("undocumented %v reports known", v)
		}
	}
}
