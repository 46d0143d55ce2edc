package core_test

import (
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

type jtInner struct {
	Width  int               `json:"Width,omitzero"`
	Name   core.Opt[string]  `json:"Name,omitzero"`
	Tags   []string          `json:"Tags,omitzero"`
	Nested *jtInner          `json:"Nested,omitzero"`
	Extra  map[string]int64  `json:"Extra,omitzero"`
	Ratio  core.Opt[float64] `json:"Ratio,omitzero"`
}

// DecodeJSONText on hostile JSON text never panics; text that is no JSON
// object of the type is an error, and tolerant scalars decode.
func TestAttackDecodeJSONTextHostile(t *testing.T) {
	deep := strings.Repeat(`{"Nested":`, 20000) + "{}" + strings.Repeat("}", 20000)
	deepArr := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := `{"Tags":["` + strings.Repeat("x", 8<<20) + `"]}`
	for _, tc := range []struct {
		text    string
		wantErr bool
	}{
		{`{"Width":"640"}`, false},
		{`{"Width":"6.4e2"}`, false},
		{`{"Width":"99999999999999999999"}`, true},
		{`{"Ratio":"0.5","Name":12}`, false},
		{"{\"Name\":\"\xff\xfe\"}", false}, // encoding/json replaces invalid UTF-8
		{`null`, false},
		{`[]`, true},
		{`[{"Width":1}]`, true},
		{`"{\"Width\":1}"`, true},
		{`1`, true},
		{`{} {}`, true},
		{`{}}`, true},
		{`{"Width":"1"} {}`, true},
		{`{"Width":1} x`, true},
		{`{`, true},
		{"\xff", true},
		{deep, true}, // over encoding/json's depth limit: an error, no panic
		{deepArr, true},
		{huge, false},
		{`{"Extra":{"a":"12345678901234567890"}}`, true},
		{`{"Nested":{"Nested":{"Width":"7"}}}`, false},
	} {
		var v jtInner
		err := core.DecodeJSONText(tc.text, &v)
		if (err != nil) != tc.wantErr {
			show := tc.text
			if len(show) > 60 {
				show = show[:60] + "..."
			}
			t.Errorf("DecodeJSONText(%q) error = %v, want error %v", show, err, tc.wantErr)
		}
	}
}
