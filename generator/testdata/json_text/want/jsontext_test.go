package json_text_test

import (
	"testing"

	chat "github.com/ivhgen/ivhgen/generator/internal/goldencheck/json_text"
)

func TestDecodeMsgData(t *testing.T) {
	r := &chat.GetMessageResponse{MsgType: chat.MsgTypeImage, MsgData: `{"Url":"https://x/y.png","Width":"640"}`}
	got, err := r.DecodeMsgData()
	if err != nil || got.ImageMsg == nil || got.ImageMsg.Width != 640 {
		t.Fatalf("a width spelled as a string: %+v, %v; want 640 as responses decode it", got, err)
	}
	r.MsgData = `{"Url":"https://x/y.png","Width":640}`
	got, err = r.DecodeMsgData()
	if err != nil || got.ImageMsg == nil || got.ImageMsg.URL != "https://x/y.png" || got.ImageMsg.Width != 640 || got.TextMsg != nil {
		t.Fatalf("image: %+v, %v", got, err)
	}
	if got.Raw != r.MsgData {
		t.Errorf("Raw = %q", got.Raw)
	}
	r = &chat.GetMessageResponse{MsgType: chat.MsgTypeText, MsgData: `{"Text":"hi"}`}
	if got, err := r.DecodeMsgData(); err != nil || got.TextMsg == nil || got.TextMsg.Text != "hi" || got.ImageMsg != nil {
		t.Fatalf("text: %+v, %v", got, err)
	}
}

// A value the descriptor does not list, a new one the server added, an
// empty text and a nil receiver decode without error, keeping the text.
func TestDecodeMsgDataUnknown(t *testing.T) {
	for _, mt := range []chat.MsgType{chat.MsgTypeSticker, "video"} {
		r := &chat.GetMessageResponse{MsgType: mt, MsgData: `{"Anything":[1,2]}`}
		got, err := r.DecodeMsgData()
		if err != nil || got.Raw != r.MsgData || got.TextMsg != nil || got.ImageMsg != nil {
			t.Errorf("%s: %+v, %v; want only Raw", mt, got, err)
		}
	}
	if got, err := (&chat.GetMessageResponse{MsgType: chat.MsgTypeText}).DecodeMsgData(); err != nil || got != (chat.GetMessageResponseMsgData{}) {
		t.Errorf("empty: %+v, %v", got, err)
	}
	if got, err := (*chat.GetMessageResponse)(nil).DecodeMsgData(); err != nil || got != (chat.GetMessageResponseMsgData{}) {
		t.Errorf("nil: %+v, %v", got, err)
	}
}

// Text that is no JSON of the picked type is an error; the result keeps
// the text and no typed value.
func TestDecodeMsgDataBad(t *testing.T) {
	r := &chat.GetMessageResponse{MsgType: chat.MsgTypeText, MsgData: `{"Text":`}
	got, err := r.DecodeMsgData()
	if err == nil || got.TextMsg != nil || got.Raw != r.MsgData {
		t.Fatalf("%+v, %v", got, err)
	}
}

// Several int values may pick one type, and an Opt field may pick.
func TestDecodeCallbackAndRequest(t *testing.T) {
	for kind, text := range map[int]bool{1: true, 2: true, 3: false} {
		data := `{"Text":"a"}`
		if !text {
			data = `{"Url":"u"}`
		}
		cb := &chat.MessageCallback{Kind: kind, Data: data}
		got, err := cb.DecodeData()
		if err != nil || (got.TextMsg != nil) != text || (got.ImageMsg != nil) == text {
			t.Errorf("kind %d: %+v, %v", kind, got, err)
		}
	}
	req := &chat.GetMessageRequest{Kind: chat.Of("t"), Draft: chat.Of(`{"Text":"d"}`)}
	if got, err := req.DecodeDraft(); err != nil || got.TextMsg == nil || got.TextMsg.Text != "d" {
		t.Errorf("request: %+v, %v", got, err)
	}
	req.Kind = chat.Opt[string]{}
	if got, err := req.DecodeDraft(); err != nil || got.TextMsg != nil {
		t.Errorf("unset Kind: %+v, %v", got, err)
	}
}
