package ivh_test

import (
	"context"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
)

// StageInfo at CONFIRM decodes into CustomerConfirmContent, as it arrives
// from the gateway; at another stage it stays raw.
func TestDecodeStageInfo(t *testing.T) {
	srv := ivhtest.New(t)
	info := `{"TrainResult":["https://x/demo.mp4"],"RejectReason":"","TrainRecord":[{"StartTime":"2023-11-01 23:00:17","Record":["https://x/old.mp4"]}]}`
	stage := ivh.CustomizationStageConfirm
	srv.HandleGetCustomizationProgress(func(context.Context, *ivh.GetCustomizationProgressRequest) (*ivh.GetCustomizationProgressResponse, error) {
		return &ivh.GetCustomizationProgressResponse{Status: ivh.CustomizationStatusMaking, StageV2: stage, StageInfo: info}, nil
	})
	c := srv.Client()
	r, err := c.Customization.GetCustomizationProgress(context.Background(), &ivh.GetCustomizationProgressRequest{TaskID: "t"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.DecodeStageInfo()
	if err != nil {
		t.Fatal(err)
	}
	cc := got.CustomerConfirmContent
	if cc == nil || len(cc.TrainResult) != 1 || cc.TrainResult[0] != "https://x/demo.mp4" || len(cc.TrainRecord) != 1 || cc.TrainRecord[0].Record[0] != "https://x/old.mp4" {
		t.Fatalf("decoded %+v", got)
	}
	stage = ivh.CustomizationStageTrain
	r, err = c.Customization.GetCustomizationProgress(context.Background(), &ivh.GetCustomizationProgressRequest{TaskID: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.DecodeStageInfo(); err != nil || got.CustomerConfirmContent != nil || got.Raw != info {
		t.Fatalf("at TRAIN: %+v, %v; want only Raw", got, err)
	}
}
