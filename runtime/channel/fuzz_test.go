package channel_test

import (
	"encoding/json"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// FuzzDownstream: the tolerant decoder never panics, and whatever it
// accepts survives a round trip through its own encoding.
func FuzzDownstream(f *testing.F) {
	for _, s := range []string{`{"Type":3,"SpeakStatus":"TextStart"}`, `{"Type":"4","Seq":"1e0","ContentType":9}`,
		`{"Muted":"1","Final":0}`, `{"ErrorCode":-111005}`, `[]`, `{"Type":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d channel.Downstream
		if json.Unmarshal(b, &d) != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back channel.Downstream
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Fatalf("round trip: %+v -> %s -> %+v (%v)", d, out, back, err)
		}
	})
}
