package ivh_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
)

// FuzzValidate decodes arbitrary JSON, leniently, into the request of every
// API and validates it: Validate never panics, fails only with a
// *ivh.ValidationError, gives the same answer twice and leaves the
// request unchanged.
func FuzzValidate(f *testing.F) {
	ops := ivhtest.Operations()
	for i, s := range []string{
		`{}`, `{"InputSsml":"` + string(make([]byte, 30)) + `","Speed":9}`, `{"Speed":-1e308,"SpeechParam":{"Volume":99}}`,
		`{"VideoParam":{"Format":"Webm","Layers":[{"Url":""}]}}`, `{"PageIndex":0,"PageSize":-1}`, `{"Text":"\xff\xfe"}`,
		`{"DriverType":"Unknown","Speed":null}`, `{"ProjectId":"p","Protocol":"rtmp","UserId":"u"}`,
	} {
		f.Add(uint16(i*5), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint16, data []byte) {
		op := ops[int(which)%len(ops)]
		req := op.NewRequest()
		if json.Unmarshal(data, req) != nil {
			return
		}
		v, ok := req.(interface{ Validate() error })
		if !ok {
			t.Fatalf("%s request has no Validate", op.Name)
		}
		before, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("%s: decoded request does not encode: %v", op.Name, err)
		}
		err1, err2 := v.Validate(), v.Validate()
		var ve *ivh.ValidationError
		if err1 != nil && !errors.As(err1, &ve) {
			t.Fatalf("%s: Validate error %T: %v", op.Name, err1, err1)
		}
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("%s: Validate said %v, then %v", op.Name, err1, err2)
		}
		if after, _ := json.Marshal(req); string(after) != string(before) {
			t.Fatalf("%s: Validate changed %s to %s", op.Name, before, after)
		}
	})
}
