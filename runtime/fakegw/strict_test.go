package fakegw_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

type Layer struct {
	Url string
	X   int
}

type common struct {
	ReqId string
}

type loop struct {
	*loop
	Name string
}

type strictReq struct {
	common
	VirtualmanKey string
	Speech        core.Opt[speech] `json:",omitzero"`
	Layers        []Layer
	ByName        map[string]Layer
	Renamed       string `json:"renamed_field,omitempty"`
	Hidden        string `json:"-"`
	When          time.Time
	Raw           json.RawMessage
	Ptr           *Layer
	Loop          loop
	private       int
}

func TestDecodeStrict(t *testing.T) {
	good := `{"ReqId":"r","VirtualmanKey":"vk","Speech":{"Speed":1.5},"Layers":[{"Url":"u","X":1}],
		"ByName":{"bg":{"Url":"u"}},"renamed_field":"x","When":"2026-01-02T03:04:05Z",
		"Raw":{"anything":[1,{"Goes":true}]},"Ptr":{"X":2},"Loop":{"Name":"n"}}`
	var v strictReq
	must(t, fakegw.DecodeStrict(json.RawMessage(good), &v))
	equal(t, v.ReqId, "r")
	equal(t, v.Speech.Value().Speed, 1.5)
	equal(t, v.Layers[0].X, 1)
	equal(t, v.ByName["bg"].Url, "u")
	equal(t, v.Renamed, "x")
	equal(t, v.Ptr.X, 2)
	equal(t, v.Loop.Name, "n")
	equal(t, v.Loop.loop, (*loop)(nil))
	_ = v.private

	cases := []struct{ payload, message string }{
		{`{"virtualmanKey":"vk"}`, `Payload: unknown field "virtualmanKey" (names are case-sensitive: did you mean "VirtualmanKey"?)`},
		{`{"Speech":{"Sped":1}}`, `Payload.Speech: unknown field "Sped"`},
		{`{"Speech":{"speed":1}}`, `Payload.Speech: unknown field "speed" (names are case-sensitive: did you mean "Speed"?)`},
		{`{"Layers":[{"Url":"a"},{"Y":2}]}`, `Payload.Layers[1]: unknown field "Y"`},
		{`{"ByName":{"bg":{"URL":"u"}}}`, `Payload.ByName.bg: unknown field "URL" (names are case-sensitive: did you mean "Url"?)`},
		{`{"Ptr":{"Z":1}}`, `Payload.Ptr: unknown field "Z"`},
		{`{"Renamed":"x"}`, `Payload: unknown field "Renamed"`},
		{`{"RENAMED_FIELD":"x"}`, `did you mean "renamed_field"?`},
		{`{"Hidden":"x"}`, `Payload: unknown field "Hidden"`},
		{`{"private":1}`, `Payload: unknown field "private"`},
		{`{"common":{}}`, `Payload: unknown field "common"`},
		{`{"Loop":{"loop":{}}}`, `Payload.Loop: unknown field "loop"`},
		{`{"Zeta":1,"Alpha":2}`, `Payload: unknown field "Alpha"`},
		{`{"Layers":[{"X":"one"}]}`, `Payload.Layers.X: cannot use JSON string as int`},
		{`{"Layers":{"X":1}}`, `Payload.Layers: cannot use JSON object as []fakegw_test.Layer`},
		{`{"Speech":{"Speed":"fast"}}`, `Payload.Speech.Speed: cannot use JSON string as float64`},
		{`{"When":"yesterday"}`, `Payload: parsing time`},
		{`[1]`, `Payload: cannot unmarshal array into Go value of type fakegw_test.strictReq`},
	}
	for _, c := range cases {
		var v strictReq
		err := fakegw.DecodeStrict(json.RawMessage(c.payload), &v)
		if err == nil {
			t.Errorf("%s: accepted", c.payload)
			continue
		}
		e := asReply[*fakegw.ErrorReply](t, err)
		equal(t, e.Code, fakegw.CodeBadParameter)
		contains(t, e.Message, c.message)
	}
}
