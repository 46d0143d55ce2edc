package ivh_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

const assetPrefix = "/v2/ivh/crmserver/customerassetservice"

func TestAssetRoundTrips(t *testing.T) { runRoundTrips(t, assetRoundTrips) }

// assetRoundTrips exercises every Asset API once.
var assetRoundTrips = []roundTrip{{
	name: "DescribeSmallSampleImage",
	path: assetPrefix + "/describesmallsampleimage",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.DescribeSmallSampleImage(ctx, &ivh.DescribeSmallSampleImageRequest{
			PageIndex: 1, PageSize: 20, AnchorCodes: []string{"a1", "a2"}, VirtualmanKey: ivh.Of("vk-9"),
		})
	},
	wire: `{"PageIndex":1,"PageSize":20,"AnchorCodes":["a1","a2"],"VirtualmanKey":"vk-9"}`,
	reply: ok(`{"Total":1,"Virtualmans":[{"VirtualmanKey":"vk-9","AnchorName":"Mia","AnchorCode":"a1",
		"ClothesName":"shirt","PoseName":"sitting","Resolution":"1080x1920","HeaderImage":"h","PoseImage":"p",
		"ClothesImage":"c","SupportDriverTypes":["Text","OriginalVoice"],"ExpireDate":"2026-12-31 23:59:59",
		"VideoDuration":123456,"VideoNum":7,"OriginZoom":1.25,"OriginZoomStr":"1.250",
		"ReferenceVideoSegmentUrl":"https://example.com/ref.mp4","BackgroundChangeable":true,
		"EffectiveDate":"2026-01-01 00:00:00","EffectiveTime":1767225600000,"ExpireTime":1798761599000}]}`),
	want: &ivh.DescribeSmallSampleImageResponse{Total: 1, Virtualmans: []ivh.SmallSampleImage{{
		VirtualmanKey: "vk-9", AnchorName: "Mia", AnchorCode: "a1", ClothesName: "shirt", PoseName: "sitting",
		Resolution: "1080x1920", HeaderImage: "h", PoseImage: "p", ClothesImage: "c",
		SupportDriverTypes: []ivh.DriveType{ivh.DriveTypeText, ivh.DriveTypeOriginalVoice},
		ExpireDate:         "2026-12-31 23:59:59", VideoDuration: 123456, VideoNum: 7, OriginZoom: 1.25, OriginZoomStr: "1.250",
		ReferenceVideoSegmentURL: "https://example.com/ref.mp4", BackgroundChangeable: true,
		EffectiveDate: "2026-01-01 00:00:00", EffectiveTime: 1767225600000, ExpireTime: 1798761599000,
	}}},
}, {
	name: "GetServiceAsset",
	path: assetPrefix + "/getserviceasset",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.GetServiceAsset(ctx, &ivh.GetServiceAssetRequest{
			ServiceType: ivh.Of(ivh.ServiceTypeBroadcastHour), PageIndex: 2, PageSize: 100,
		})
	},
	wire: `{"ServiceType":"BroadcastHour","PageIndex":2,"PageSize":100}`,
	// The detail structures are undocumented and kept as raw JSON.
	reply: ok(`{"Total":1,"ServiceAssetInfos":[{"ServiceType":"BroadcastHour","ExpireDate":"2026-06-30 23:59:59",
		"UniversalHourInfoDetail":{"TotalHour":100,"UsedHour":3.5},"BroadcastHourInfoDetail":[{"Hours":100}]}]}`),
	want: &ivh.GetServiceAssetResponse{Total: 1, ServiceAssetInfos: []ivh.ServiceAssetInfo{{
		ServiceType: ivh.ServiceTypeBroadcastHour, ExpireDate: "2026-06-30 23:59:59",
		UniversalHourInfoDetail: json.RawMessage(`{"TotalHour":100,"UsedHour":3.5}`),
		BroadcastHourInfoDetail: json.RawMessage(`[{"Hours":100}]`),
	}}},
}, {
	name: "DescribeTimbre",
	path: assetPrefix + "/describetimbre",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.DescribeTimbre(ctx, &ivh.DescribeTimbreRequest{
			PageIndex: 1, PageSize: 10, TimbreKey: ivh.Of("female_3"), TimbreName: ivh.Of("Ann"),
			PurchaseType: ivh.Of(ivh.PurchaseTypeCustom),
		})
	},
	wire: `{"PageIndex":1,"PageSize":10,"TimbreKey":"female_3","TimbreName":"Ann","PurchaseType":"Custom"}`,
	reply: ok(`{"Total":1,"TimbreAssets":[{"TimbreKey":"female_3","TimbreName":"Anna","TimbreSample":"s",
		"TimbreDesc":"warm","SupportVirtualmanTypeCodes":["real_man_2d","small_sample_2d"],
		"SupportDriverTypes":["Text"],"ExpireDate":"2027-01-01 00:00:00","AudioDuration":5000,"AudioNum":2,
		"EmotionalCategories":["tc_happy","tc_sad"],"TimbreGender":2,"PurchaseType":"Custom",
		"TimbreType":"SampleFast","TimbreLanguages":["zh-CN","en-US"]}]}`),
	want: &ivh.DescribeTimbreResponse{Total: 1, TimbreAssets: []ivh.TimbreAssetDetail{{
		TimbreKey: "female_3", TimbreName: "Anna", TimbreSample: "s", TimbreDesc: "warm",
		SupportVirtualmanTypeCodes: []ivh.VirtualmanTypeCode{ivh.VirtualmanTypeCodeRealMan2D, ivh.VirtualmanTypeCodeSmallSample2D},
		SupportDriverTypes:         []ivh.DriveType{ivh.DriveTypeText}, ExpireDate: "2027-01-01 00:00:00",
		AudioDuration: 5000, AudioNum: 2,
		EmotionalCategories: []ivh.EmotionCategory{ivh.EmotionCategoryHappy, ivh.EmotionCategorySad},
		TimbreGender:        ivh.GenderFemale, PurchaseType: ivh.PurchaseTypeCustom, TimbreType: ivh.TimbreTypeSampleFast,
		TimbreLanguages: []ivh.TimbreLanguage{ivh.TimbreLanguageZhCn, ivh.TimbreLanguageEnUs},
	}}},
}, {
	name: "GetAnchor",
	path: assetPrefix + "/getanchor",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.GetAnchor(ctx, &ivh.GetAnchorRequest{
			VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan3D, AnchorCodes: []string{"x"},
			PurchaseType: ivh.Of(ivh.PurchaseTypeLease), PageIndex: 1, PageSize: 50,
		})
	},
	wire: `{"VirtualmanTypeCode":"real_man_3d","AnchorCodes":["x"],"PurchaseType":"Lease","PageIndex":1,"PageSize":50}`,
	reply: ok(`{"Total":1,"Virtualmans":[{"AnchorName":"Xu","AnchorCode":"x","VirtualmanType":"3D realistic",
		"VirtualmanTypeCode":"real_man_3d","PurchaseType":"Lease","HeaderImage":"h","Tag":"Advanced","Gender":1}]}`),
	want: &ivh.GetAnchorResponse{Total: 1, Virtualmans: []ivh.Anchor{{
		AnchorName: "Xu", AnchorCode: "x", VirtualmanType: "3D realistic", VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan3D,
		PurchaseType: ivh.PurchaseTypeLease, HeaderImage: "h", Tag: ivh.AnchorTagAdvanced, Gender: ivh.GenderMale,
	}}},
}, {
	// Both spellings of the anchor filter reach the wire.
	name: "GetImageByAnchor",
	path: assetPrefix + "/getimagebyanchor",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.GetImageByAnchor(ctx, &ivh.GetImageByAnchorRequest{
			VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan3D, AnchorCodes: []string{"x"}, AnchorCode: []string{"x"},
			VirtualmanKey: ivh.Of("vk-3"), PurchaseType: ivh.Of(ivh.PurchaseTypeLease), PageIndex: 1, PageSize: 10,
		})
	},
	wire: `{"VirtualmanTypeCode":"real_man_3d","AnchorCodes":["x"],"AnchorCode":["x"],"VirtualmanKey":"vk-3",
		"PurchaseType":"Lease","PageIndex":1,"PageSize":10}`,
	reply: ok(`{"Total":1,"Virtualmans":[{"AnchorName":"Xu","AnchorCode":"x","VirtualmanType":"3D realistic",
		"VirtualmanTypeCode":"real_man_3d","VirtualmanKey":"vk-3","ClothesName":"coat","PoseName":"stand",
		"Resolution":"1920x1080","HeaderImage":"h","PoseImage":"p","ClothesImage":"c","SupportDriverTypes":["Text"],
		"SupportAnchorExtraParams":[{"Key":"shirtColor","Description":"d","Type":0,"Value":["white"]}],
		"VideoDuration":9000000000,"VideoNum":3,"ExpireDate":"2027-01-01 00:00:00","OriginZoom":"0.875",
		"ReferenceVideoSegmentUrl":"r"}]}`),
	want: &ivh.GetImageByAnchorResponse{Total: 1, Virtualmans: []ivh.ImageAssetDetail{{
		AnchorName: "Xu", AnchorCode: "x", VirtualmanType: "3D realistic", VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan3D,
		VirtualmanKey: "vk-3", ClothesName: "coat", PoseName: "stand", Resolution: "1920x1080",
		HeaderImage: "h", PoseImage: "p", ClothesImage: "c", SupportDriverTypes: []ivh.DriveType{ivh.DriveTypeText},
		SupportAnchorExtraParams: []ivh.SupportAnchorExtraParam{{Key: "shirtColor", Description: "d", Value: []string{"white"}}},
		VideoDuration:            9000000000, VideoNum: 3, ExpireDate: "2027-01-01 00:00:00", OriginZoom: "0.875",
		ReferenceVideoSegmentURL: "r",
	}}},
}, {
	name: "GetAction",
	path: assetPrefix + "/getaction",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.GetAction(ctx, &ivh.GetActionRequest{VirtualmanKey: "vk-3"})
	},
	wire: `{"VirtualmanKey":"vk-3"}`,
	reply: ok(`{"Actions":[{"ActionName":"Both hands forward","ActionCode":"2hands_forward1","ActionSample":"a"},
		{"ActionName":"Bow","ActionCode":"bow","ActionSample":"b"}]}`),
	want: &ivh.GetActionResponse{Actions: []ivh.Action{
		{ActionName: "Both hands forward", ActionCode: "2hands_forward1", ActionSample: "a"},
		{ActionName: "Bow", ActionCode: "bow", ActionSample: "b"},
	}},
}, {
	name: "GetImageTimbre",
	path: assetPrefix + "/getimagetimbre",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Asset.GetImageTimbre(ctx, &ivh.GetImageTimbreRequest{VirtualmanKey: "vk-3"})
	},
	wire:  `{"VirtualmanKey":"vk-3"}`,
	reply: ok(`{"Timbres":[{"TimbreKey":"male_1","TimbreName":"Bo","TimbreSample":"s","TimbreDesc":"calm"}]}`),
	want:  &ivh.GetImageTimbreResponse{Timbres: []ivh.Timbre{{TimbreKey: "male_1", TimbreName: "Bo", TimbreSample: "s", TimbreDesc: "calm"}}},
}}
