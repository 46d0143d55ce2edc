package ivh_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

const (
	customPrefix   = "/v2/ivh/assetmanager/customservice"
	facePrefix     = "/v2/ivh/facedetectserver/facedetectservice"
	algoPrefix     = "/v2/ivh/algotaskserver/algotaskservice"
	zeroShotPrefix = "/v2/ivh/assetmanager/zeroshotservice"
)

func TestCustomizationRoundTrips(t *testing.T) { runRoundTrips(t, customizationRoundTrips) }

// customizationRoundTrips exercises every Customization API once.
var customizationRoundTrips = []roundTrip{{
	// An API without request fields still sends an empty Payload object.
	name: "GetUploadCredentials",
	path: customPrefix + "/getuploadcredentials",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetUploadCredentials(ctx, &ivh.GetUploadCredentialsRequest{})
	},
	wire: `{}`,
	reply: ok(`{"Credentials":{"Token":"tok","TmpSecretId":"sid","TmpSecretKey":"skey"},"ExpiredTime":1767229200,
		"PathPrefix":"https://bucket.cos.ap-guangzhou.myqcloud.com/customer-pipeline/1/0f1e/","StartTime":1767225600}`),
	want: &ivh.GetUploadCredentialsResponse{
		Credentials: ivh.CosCredentials{Token: "tok", TmpSecretID: "sid", TmpSecretKey: "skey"},
		ExpiredTime: 1767229200, StartTime: 1767225600,
		PathPrefix: "https://bucket.cos.ap-guangzhou.myqcloud.com/customer-pipeline/1/0f1e/",
	},
}, {
	name: "MakeCustomization",
	path: customPrefix + "/make",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.MakeCustomization(ctx, &ivh.MakeCustomizationRequest{
			AnchorName: "Mia_v2", MakeType: ivh.MakeTypeImageGeneral,
			IdentityCosURL:        ivh.Of("https://b/idcard/a.mp4"),
			IdentityWrittenCosURL: ivh.Of("https://b/idcard/a.pdf"),
			MaterialCosURL:        ivh.Of("https://b/video/m.mp4"),
			SexType:               ivh.Of(ivh.SexTypeFemale),
			Notes:                 ivh.Of("second take"),
			TextDriver:            ivh.Of("Welcome to the show."),
			VoiceDriverCosFile:    ivh.Of("https://b/audio/d.wav"),
			AudioID:               ivh.Of("aud-1"),
			TimbreInfo:            ivh.TimbreInfo{TimbreCode: ivh.Of("female_3"), Speed: ivh.Of("1.0"), IsWithTimbre: ivh.Of(true)},
			IsHaveBackground:      ivh.Of(false),
			RemoveBackground:      ivh.Of(ivh.RemoveBackgroundGreenScreen),
			AlphaCosURL:           ivh.Of("https://b/video/alpha.mp4"),
			ZeroshortLang:         ivh.Of(ivh.VoiceLanguageCantonese),
			PhotoVersion:          ivh.Of(ivh.PhotoVersionFast),
		})
	},
	// Set-but-zero options (IsHaveBackground false, PhotoVersion 0) are sent.
	wire: `{"AnchorName":"Mia_v2","MakeType":"IMAGE_GENERAL","IdentityCosUrl":"https://b/idcard/a.mp4",
		"IdentityWrittenCosUrl":"https://b/idcard/a.pdf","MaterialCosUrl":"https://b/video/m.mp4","SexType":"FEMALE",
		"Notes":"second take","TextDriver":"Welcome to the show.","VoiceDriverCosFile":"https://b/audio/d.wav",
		"AudioId":"aud-1","TimbreInfo":{"TimbreCode":"female_3","Speed":"1.0","IsWithTimbre":true},
		"IsHaveBackground":false,"RemoveBackground":1,"AlphaCosUrl":"https://b/video/alpha.mp4",
		"ZeroshortLang":"can","PhotoVersion":0}`,
	reply: ok(`{"TaskId":"mk-1"}`),
	want:  &ivh.MakeCustomizationResponse{TaskID: "mk-1"},
}, {
	name: "GetCustomizationProgress",
	path: customPrefix + "/getprogress",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetCustomizationProgress(ctx, &ivh.GetCustomizationProgressRequest{TaskID: "mk-1"})
	},
	wire: `{"TaskId":"mk-1"}`,
	reply: ok(`{"Status":"MAKING","FailMessage":"","Stage":"","StageId":"","StageV2":"CONFIRM","StatusV2":"WAIT_PROCESS",
		"StageInfo":"{\"TrainResult\":[\"https://r/demo.mp4\"],\"RejectReason\":\"\",\"TrainRecord\":[{\"StartTime\":\"2023-11-01 23:00:17\",\"Record\":[\"https://r/old.mp4\"]}]}",
		"AssetList":[{"VirtualmanTypeCode":"small_sample_general_2d","VirtualmanKey":"vk-new","Resolution":"1080x1920",
		"OriginZoom":"1.000","VirtualmanResourceId":42,"TimbreKey":"","TimbreSample":"","MakeType":"IMAGE_GENERAL"}]}`),
	want: &ivh.GetCustomizationProgressResponse{
		Status: ivh.CustomizationStatusMaking, StageV2: ivh.CustomizationStageConfirm,
		StatusV2:  ivh.CustomizationStageStatusWaitProcess,
		StageInfo: `{"TrainResult":["https://r/demo.mp4"],"RejectReason":"","TrainRecord":[{"StartTime":"2023-11-01 23:00:17","Record":["https://r/old.mp4"]}]}`,
		AssetList: []ivh.AssetInfo{{
			VirtualmanTypeCode: ivh.VirtualmanTypeCodeSmallSampleGeneral2D, VirtualmanKey: "vk-new", Resolution: "1080x1920",
			OriginZoom: "1.000", VirtualmanResourceID: 42, MakeType: ivh.MakeTypeImageGeneral,
		}},
	},
}, {
	name: "CustomerConfirm",
	path: customPrefix + "/customerconfirm",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.CustomerConfirm(ctx, &ivh.CustomerConfirmRequest{
			TaskID: "mk-1", Operate: ivh.ConfirmOperationReject, Reason: ivh.Of("lips out of sync"),
		})
	},
	wire:  `{"TaskId":"mk-1","Operate":"REJECT","Reason":"lips out of sync"}`,
	reply: ok(`{}`),
	want:  &ivh.CustomerConfirmResponse{},
}, {
	name: "FaceDetect",
	path: facePrefix + "/facedetect",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.FaceDetect(ctx, &ivh.FaceDetectRequest{
			RequestID: "4f9c2b7e0a1d4e6f8b3c5d7e9f1a2b3c", ImageURL: "https://example.com/face.jpg",
			CheckerVersion: ivh.Of(ivh.CheckerVersionV2),
		})
	},
	wire:  `{"RequestId":"4f9c2b7e0a1d4e6f8b3c5d7e9f1a2b3c","ImageUrl":"https://example.com/face.jpg","CheckerVersion":2}`,
	reply: ok(`{"TaskId":"fd-1"}`),
	want:  &ivh.FaceDetectResponse{TaskID: "fd-1"},
}, {
	name: "GetFaceDetectState",
	path: facePrefix + "/getfacedetectstate",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetFaceDetectState(ctx, &ivh.GetFaceDetectStateRequest{TaskID: "fd-1"})
	},
	wire: `{"TaskId":"fd-1"}`,
	reply: ok(`{"TaskId":"fd-1","TaskState":"SUCCESS","ErrorCode":0,"ErrorMsg":"","IsPassDetect":true,"Faces":[{
		"Box":{"Left":10,"Top":20,"Width":300,"Height":400},"Rotation":1.5,"Score":0.99,"AreaRatio":0.3,
		"FaceRadio":0.05,"FeatureRadio":0.01,"Yaw":-3.5,"Pitch":2,"MaxCrop":{"Left":0,"Top":0,"Width":720,"Height":1280},
		"MinCrop":{"Left":5,"Top":15,"Width":320,"Height":420}}]}`),
	want: &ivh.GetFaceDetectStateResponse{TaskID: "fd-1", TaskState: ivh.FaceDetectStateSuccess, IsPassDetect: true,
		Faces: []ivh.FaceInfo{{
			Box:      ivh.BoxInfo{Left: 10, Top: 20, Width: 300, Height: 400},
			Rotation: 1.5, Score: 0.99, AreaRatio: 0.3, FaceRadio: 0.05, FeatureRadio: 0.01, Yaw: -3.5, Pitch: 2,
			MaxCrop: ivh.BoxInfo{Width: 720, Height: 1280},
			MinCrop: ivh.BoxInfo{Left: 5, Top: 15, Width: 320, Height: 420},
		}}},
}, {
	name: "AudioEvaluation",
	path: algoPrefix + "/audioevaluation",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.AudioEvaluation(ctx, &ivh.AudioEvaluationRequest{
			AudioURL: "https://b/audio/r.wav", ReferenceText: ivh.Of("今天天气很好"), Language: ivh.Of(ivh.VoiceLanguageChinese),
		})
	},
	wire:  `{"AudioUrl":"https://b/audio/r.wav","ReferenceText":"今天天气很好","Language":"chi"}`,
	reply: ok(`{"TaskId":"ae-1"}`),
	want:  &ivh.AudioEvaluationResponse{TaskID: "ae-1"},
}, {
	name: "GetAudioEvaluationState",
	path: algoPrefix + "/getaudioevaluationstate",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetAudioEvaluationState(ctx, &ivh.GetAudioEvaluationStateRequest{TaskID: "ae-1"})
	},
	wire: `{"TaskId":"ae-1"}`,
	reply: ok(`{"TaskState":"SUCCESS","Result":{
		"Snr":{"Value":31.2,"QualifiedRange":[25,100],"Description":"signal to noise"},
		"C50":{"Value":35,"QualifiedRange":[30,100],"Description":"reverb"},
		"Clipping":{"Value":0,"QualifiedRange":[0,10],"Description":"clipping"},
		"Duration":{"Value":600.5,"QualifiedRange":[300,3600],"Description":"effective seconds"},
		"Wer":{"Value":0.92,"QualifiedRange":[0.85,1],"Description":"accuracy"}}}`),
	want: &ivh.GetAudioEvaluationStateResponse{TaskState: ivh.AudioEvaluationStateSuccess, Result: ivh.AudioEvaluationResult{
		Snr:      ivh.AudioMetric{Value: 31.2, QualifiedRange: []float64{25, 100}, Description: "signal to noise"},
		C50:      ivh.AudioMetric{Value: 35, QualifiedRange: []float64{30, 100}, Description: "reverb"},
		Clipping: ivh.AudioMetric{Value: 0, QualifiedRange: []float64{0, 10}, Description: "clipping"},
		Duration: ivh.AudioMetric{Value: 600.5, QualifiedRange: []float64{300, 3600}, Description: "effective seconds"},
		Wer:      ivh.AudioMetric{Value: 0.92, QualifiedRange: []float64{0.85, 1}, Description: "accuracy"},
	}},
}, {
	name: "GetZeroShotText",
	path: zeroShotPrefix + "/gettext",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetZeroShotText(ctx, &ivh.GetZeroShotTextRequest{Language: ivh.Of(ivh.VoiceLanguageEnglish)})
	},
	wire:  `{"Language":"eng"}`,
	reply: ok(`{"Texts":[{"TextId":"t1","Text":"The quick brown fox."},{"TextId":"t2","Text":"Hello world."}]}`),
	want: &ivh.GetZeroShotTextResponse{Texts: []ivh.ZeroShotText{
		{TextID: "t1", Text: "The quick brown fox."}, {TextID: "t2", Text: "Hello world."},
	}},
}, {
	name: "DetectAudioQuality",
	path: zeroShotPrefix + "/detectaudioquality",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.DetectAudioQuality(ctx, &ivh.DetectAudioQualityRequest{
			TextID: ivh.Of("t1"), ReferenceText: ivh.Of("The quick brown fox."),
			AudioURL: "https://b/zeroshot/r.wav", Language: ivh.Of(ivh.VoiceLanguageEnglish),
		})
	},
	wire:  `{"TextId":"t1","ReferenceText":"The quick brown fox.","AudioUrl":"https://b/zeroshot/r.wav","Language":"eng"}`,
	reply: ok(`{"TaskId":"dq-1"}`),
	want:  &ivh.DetectAudioQualityResponse{TaskID: "dq-1"},
}, {
	name: "GetDetectProgress",
	path: zeroShotPrefix + "/getdetectprogress",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Customization.GetDetectProgress(ctx, &ivh.GetDetectProgressRequest{TaskID: "dq-1"})
	},
	wire:  `{"TaskId":"dq-1"}`,
	reply: ok(`{"AudioId":"aud-1","DetectionCode":-3,"DetectionMsg":"too noisy","TaskState":"SUCCESS"}`),
	want: &ivh.GetDetectProgressResponse{AudioID: "aud-1", DetectionCode: ivh.DetectionCodeTooNoisy,
		DetectionMsg: "too noisy", TaskState: ivh.DetectStateSuccess},
}}

// StageInfo carries a JSON-encoded CustomerConfirmContent at the CONFIRM
// stage; the named type decodes it.
func TestCustomerConfirmContentDecodesStageInfo(t *testing.T) {
	stageInfo := `{"TrainResult":["https://r/demo.mp4"],"RejectReason":"quota","TrainRecord":[{"StartTime":"2023-11-01 23:00:17","Record":["https://r/old.mp4"]}]}`
	var got ivh.CustomerConfirmContent
	if err := json.Unmarshal([]byte(stageInfo), &got); err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "content", ivh.CustomerConfirmContent{
		TrainResult: []string{"https://r/demo.mp4"}, RejectReason: "quota",
		TrainRecord: []ivh.TrainRecord{{StartTime: "2023-11-01 23:00:17", Record: []string{"https://r/old.mp4"}}},
	}, got)
}
