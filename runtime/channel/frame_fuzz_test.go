package channel

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParseFrame: any downstream text frame is either a *FrameError or a
// Message whose Downstream, Err and Decode answer without panicking, and
// whose Payload is the frame or the object it wraps.
func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{
		`{"Type":3,"SessionId":"s","Seq":"2"}`, `{"Header":{"Code":"110022","Message":"x"},"Payload":{"Type":9}}`,
		`{"Header":null,"Payload":[]}`, `{"Type":9,"ErrorCode":"-1"}`, `null`, `[]`, `{"Payload":{"Seq":1e99}}`,
		`{"Header":{"Code":1.5},"Payload":{}}`, `{"Type":9,"ErrorCode":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parseFrame(raw)
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) || len(fe.Raw) > maxRawKept {
				t.Fatalf("error %T %v is not a bounded *FrameError", err, err)
			}
			return
		}
		if !json.Valid(m.Payload) || string(m.Raw) != string(raw) {
			t.Fatalf("message of %q keeps payload %q", raw, m.Payload)
		}
		_, _ = m.Downstream()
		if e := m.Err(); m.Type == TypeDriveFailed && e == nil {
			t.Fatalf("Type 9 frame %q reports no error", raw)
		}
		var anyv any
		_ = m.Decode(&anyv)
	})
}
