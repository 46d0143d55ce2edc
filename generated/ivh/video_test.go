package ivh_test

import (
	"context"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

const videoPrefix = "/v2/ivh/videomaker/broadcastservice"

// taskReply is the documented response of every video task API.
var taskReply = ok(`{"TaskId":"0d8e3b6bd4b44a0f9a36b4b55b2f7a3c"}`)

var taskStarted = ivh.VideoMakeResponse{TaskID: "0d8e3b6bd4b44a0f9a36b4b55b2f7a3c"}

func fullSpeechParam() ivh.SpeechParam {
	return ivh.SpeechParam{
		Speed:            1.2,
		TimbreKey:        ivh.Of("female_3"),
		Volume:           ivh.Of(5),
		EmotionCategory:  ivh.Of(ivh.EmotionCategoryHappy),
		EmotionIntensity: ivh.Of(150),
		TimbreLanguage:   ivh.Of(ivh.TimbreLanguageEnUs),
	}
}

const fullSpeechParamWire = `{"Speed":1.2,"TimbreKey":"female_3","Volume":5,"EmotionCategory":"tc_happy","EmotionIntensity":150,"TimbreLanguage":"en-US"}`

func TestVideoRoundTrips(t *testing.T) { runRoundTrips(t, videoRoundTrips) }

// videoRoundTrips exercises every Video API once.
var videoRoundTrips = []roundTrip{{
	name: "TTS",
	path: videoPrefix + "/tts",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.TTS(ctx, &ivh.TTSRequest{
			TimbreKey:                  ivh.Of("female_3"),
			VirtualmanKey:              ivh.Of("vk-1"),
			InputSSML:                  "你好，欢迎。",
			Speed:                      1.0,
			AudioStorageS3URL:          ivh.Of("https://s3.example/put?sig=1"),
			SampleRate:                 ivh.Of(ivh.SampleRateHz16000),
			Codec:                      ivh.Of(ivh.AudioCodecWav),
			SentenceMaxWords:           ivh.Of(0),
			SentenceDisplayPunctuation: ivh.Of("0"),
			SentenceSplitPunctuation:   ivh.Of("。！"),
			Volume:                     ivh.Of(0),
			EmotionCategory:            ivh.Of(ivh.EmotionCategoryLegacyNews),
			EmotionIntensity:           ivh.Of(50),
			TimbreLanguage:             ivh.Of(ivh.TimbreLanguageZhCn),
		})
	},
	// Set-but-zero optional values (SentenceMaxWords 0, Volume 0) are sent.
	wire: `{"TimbreKey":"female_3","VirtualmanKey":"vk-1","InputSsml":"你好，欢迎。","Speed":1,
		"AudioStorageS3Url":"https://s3.example/put?sig=1","SampleRate":16000,"Codec":"wav",
		"SentenceMaxWords":0,"SentenceDisplayPunctuation":"0","SentenceSplitPunctuation":"。！",
		"Volume":0,"EmotionCategory":"1","EmotionIntensity":50,"TimbreLanguage":"zh-CN"}`,
	reply: taskReply,
	want:  &ivh.TTSResponse{TaskID: taskStarted.TaskID},
}, {
	name: "VideoMake",
	path: videoPrefix + "/videomake",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.VideoMake(ctx, &ivh.VideoMakeRequest{
			VirtualmanKey:        "vk-1",
			InputSSML:            ivh.Of("Hello there."),
			SpeechParam:          fullSpeechParam(),
			VideoParam:           ivh.VideoParam{Format: ivh.Of(ivh.VideoFormatGreenScreenMp4)},
			CallbackURL:          ivh.Of("https://example.com/cb"),
			DriverType:           ivh.Of(ivh.DriveTypeText),
			InputAudioURL:        ivh.Of("https://example.com/a.wav"),
			VideoStorageS3URL:    ivh.Of("https://s3.example/v"),
			SubtitleStorageS3URL: ivh.Of("https://s3.example/s"),
			ConcurrencyType:      ivh.Of(ivh.ConcurrencyTypeShared),
		})
	},
	wire: `{"VirtualmanKey":"vk-1","InputSsml":"Hello there.","SpeechParam":` + fullSpeechParamWire + `,
		"VideoParam":{"Format":"GreenScreenMp4"},"CallbackUrl":"https://example.com/cb","DriverType":"Text",
		"InputAudioUrl":"https://example.com/a.wav","VideoStorageS3Url":"https://s3.example/v",
		"SubtitleStorageS3Url":"https://s3.example/s","ConcurrencyType":"Shared"}`,
	reply: taskReply,
	want:  &taskStarted,
}, {
	name: "VideoMakeAdvanced",
	path: videoPrefix + "/videomakeadvanced",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.VideoMakeAdvanced(ctx, &ivh.VideoMakeAdvancedRequest{
			VirtualmanKey: "vk-1",
			InputSSML:     ivh.Of("Hi."),
			SpeechParam:   ivh.SpeechParam{Speed: 0.5},
			VideoParam: ivh.AdvancedVideoParam{
				Format:            ivh.Of(ivh.VideoFormatMp4),
				BackgroundFileURL: ivh.Of("https://example.com/bg.png"),
			},
			CallbackURL:          ivh.Of("https://example.com/cb"),
			DriverType:           ivh.Of(ivh.DriveTypeOriginalVoice),
			InputAudioURL:        ivh.Of("https://example.com/a.mp3"),
			VideoStorageS3URL:    ivh.Of("https://s3.example/v"),
			SubtitleStorageS3URL: ivh.Of("https://s3.example/s"),
		})
	},
	wire: `{"VirtualmanKey":"vk-1","InputSsml":"Hi.","SpeechParam":{"Speed":0.5},
		"VideoParam":{"Format":"Mp4","BackgroundFileUrl":"https://example.com/bg.png"},
		"CallbackUrl":"https://example.com/cb","DriverType":"OriginalVoice","InputAudioUrl":"https://example.com/a.mp3",
		"VideoStorageS3Url":"https://s3.example/v","SubtitleStorageS3Url":"https://s3.example/s"}`,
	reply: taskReply,
	want:  &ivh.VideoMakeAdvancedResponse{TaskID: taskStarted.TaskID},
}, {
	name: "VideoMakeNoTrain",
	path: videoPrefix + "/videomakenotrain",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.VideoMakeNoTrain(ctx, &ivh.VideoMakeNoTrainRequest{
			RefVideoURL:               "https://example.com/ref.mp4",
			DriverType:                ivh.DriveTypeText,
			IdentityWrittenURL:        ivh.Of("https://example.com/id.pdf"),
			IdentityVideoURL:          ivh.Of("https://example.com/id.mp4"),
			InputAudioURL:             ivh.Of("https://example.com/a.wav"),
			InputSSML:                 ivh.Of("Hello."),
			SpeechParam:               ivh.SpeechParam{Speed: 1, TimbreKey: ivh.Of("male_1")},
			ConcurrencyType:           ivh.Of(ivh.ConcurrencyTypeExclusive),
			VideoLoop:                 ivh.Of(1),
			VideoParametersConsistent: ivh.Of(0),
			CallbackURL:               ivh.Of("https://example.com/cb"),
		})
	},
	wire: `{"RefVideoUrl":"https://example.com/ref.mp4","DriverType":"Text","IdentityWrittenUrl":"https://example.com/id.pdf",
		"IdentityVideoUrl":"https://example.com/id.mp4","InputAudioUrl":"https://example.com/a.wav","InputSsml":"Hello.",
		"SpeechParam":{"Speed":1,"TimbreKey":"male_1"},"ConcurrencyType":"Exclusive","VideoLoop":1,
		"VideoParametersConsistent":0,"CallbackUrl":"https://example.com/cb"}`,
	reply: taskReply,
	want:  &ivh.VideoMakeNoTrainResponse{TaskID: taskStarted.TaskID},
}, {
	// The audio drive needs no SpeechParam: the zero value is omitted and
	// its required Speed is not checked.
	name: "PhotoToVideoNoTrain",
	path: videoPrefix + "/phototovideonotrain",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.PhotoToVideoNoTrain(ctx, &ivh.PhotoToVideoNoTrainRequest{
			RefPhotoURL:   "https://example.com/p.png",
			DriverType:    ivh.DriveTypeOriginalVoice,
			InputAudioURL: ivh.Of("https://example.com/a.wav"),
			CallbackURL:   ivh.Of("https://example.com/cb"),
		})
	},
	wire: `{"RefPhotoUrl":"https://example.com/p.png","DriverType":"OriginalVoice",
		"InputAudioUrl":"https://example.com/a.wav","CallbackUrl":"https://example.com/cb"}`,
	reply: taskReply,
	want:  &ivh.PhotoToVideoNoTrainResponse{TaskID: taskStarted.TaskID},
}, {
	name: "GetProgress",
	path: videoPrefix + "/getprogress",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.GetProgress(ctx, &ivh.GetProgressRequest{TaskID: "t-1"})
	},
	wire: `{"TaskId":"t-1"}`,
	reply: ok(`{"Progress":100,"MediaUrl":"https://videomaker-resources.ivh.qq.com/a.mp3","SubtitlesUrl":"",
		"Status":"SUCCESS","ArrayCount":0,"FailCode":0,"FailMessage":"","Duration":1830,
		"TextTimestampResult":[{"Sentence":"你好。","Words":[
			{"Word":"你","StartTimestamp":0,"EndTimestamp":2500000},
			{"Word":"好","StartTimestamp":2500000,"EndTimestamp":5125000}]}]}`),
	want: &ivh.GetProgressResponse{
		Progress: 100, MediaURL: "https://videomaker-resources.ivh.qq.com/a.mp3",
		Status: ivh.TaskStatusSuccess, Duration: 1830,
		TextTimestampResult: []ivh.TimestampSentence{{Sentence: "你好。", Words: []ivh.TimestampWord{
			{Word: "你", StartTimestamp: 0, EndTimestamp: 2500000},
			{Word: "好", StartTimestamp: 2500000, EndTimestamp: 5125000},
		}}},
	},
}, {
	name: "GetVideoAnchor",
	path: videoPrefix + "/getanchor",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.GetVideoAnchor(ctx, &ivh.GetVideoAnchorRequest{
			GetAllResource: false, VirtualmanTypeCode: ivh.Of(ivh.VirtualmanTypeCodeRealMan2D),
		})
	},
	// GetAllResource is required, so false is sent.
	wire: `{"GetAllResource":false,"VirtualmanTypeCode":"real_man_2d"}`,
	reply: ok(`{"VirtualmanResources":[{"AppKey":"ak-1","Virtualmans":[{"AnchorName":"Lily","AnchorCode":"lily",
		"HeaderImage":"https://example.com/h.png","VirtualmanType":"2D premium","VirtualmanTypeCode":"real_man_2d","Tag":"Standard"}]}]}`),
	want: &ivh.GetVideoAnchorResponse{VirtualmanResources: []ivh.AnchorResource{{AppKey: "ak-1", Virtualmans: []ivh.Anchor{{
		AnchorName: "Lily", AnchorCode: "lily", HeaderImage: "https://example.com/h.png",
		VirtualmanType: "2D premium", VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan2D, Tag: ivh.AnchorTagStandard,
	}}}}},
}, {
	name: "GetResourceByAnchor",
	path: videoPrefix + "/getresourcebyanchor",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.GetResourceByAnchor(ctx, &ivh.GetResourceByAnchorRequest{GetAllResource: true, AnchorCode: "lily"})
	},
	wire: `{"GetAllResource":true,"AnchorCode":"lily"}`,
	// The sample spells the role AnchorName/AnchorCode, the table Name/Code.
	reply: ok(`{"VirtualmanResources":[{"AppKey":"ak-1","Virtualmans":[{"VirtualmanKey":"vk-1","AnchorName":"Lily",
		"AnchorCode":"lily","ClothesName":"suit","PoseName":"standing","Resolution":"1920x1080",
		"HeaderImage":"h","PoseImage":"p","ClothesImage":"c","SupportDriverTypes":["Text","OriginalVoice","ModulatedVoice"],
		"SupportAnchorExtraParams":[{"Key":"shirtColor","Description":"Shirt colour","Type":1,"Value":["red","blue"]}],
		"OriginZoom":"1.000"}]}]}`),
	want: &ivh.GetResourceByAnchorResponse{VirtualmanResources: []ivh.AvatarResource{{AppKey: "ak-1", Virtualmans: []ivh.AnchorAvatar{{
		VirtualmanKey: "vk-1", AnchorName: "Lily", AnchorCode: "lily", ClothesName: "suit", PoseName: "standing",
		Resolution: "1920x1080", HeaderImage: "h", PoseImage: "p", ClothesImage: "c",
		SupportDriverTypes:       []ivh.DriveType{ivh.DriveTypeText, ivh.DriveTypeOriginalVoice, ivh.DriveTypeModulatedVoice},
		SupportAnchorExtraParams: []ivh.SupportAnchorExtraParam{{Key: "shirtColor", Description: "Shirt colour", Type: 1, Value: []string{"red", "blue"}}},
		OriginZoom:               "1.000",
	}}}}},
}, {
	name: "GetTimbre",
	path: videoPrefix + "/gettimbre",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.GetTimbre(ctx, &ivh.GetTimbreRequest{VirtualmanKey: "vk-1"})
	},
	wire:  `{"VirtualmanKey":"vk-1"}`,
	reply: ok(`{"Timbres":[{"TimbreKey":"female_3","TimbreName":"Anna","TimbreSample":"https://example.com/s.wav","TimbreDesc":"warm"}]}`),
	want: &ivh.GetTimbreResponse{Timbres: []ivh.Timbre{{
		TimbreKey: "female_3", TimbreName: "Anna", TimbreSample: "https://example.com/s.wav", TimbreDesc: "warm",
	}}},
}, {
	name: "GetVideoAction",
	path: videoPrefix + "/getaction",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Video.GetVideoAction(ctx, &ivh.GetVideoActionRequest{VirtualmanKey: "vk-1"})
	},
	wire:  `{"VirtualmanKey":"vk-1"}`,
	reply: ok(`{"Actions":[{"ActionName":"Bow","ActionCode":"bow","ActionSample":"https://example.com/bow.mp4"}]}`),
	want: &ivh.GetVideoActionResponse{Actions: []ivh.Action{{
		ActionName: "Bow", ActionCode: "bow", ActionSample: "https://example.com/bow.mp4",
	}}},
}}
