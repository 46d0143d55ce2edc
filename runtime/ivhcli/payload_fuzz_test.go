package ivhcli

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
)

// FuzzReadRequest feeds arbitrary payloads on standard input to every API:
// each is refused with a usage error or decoded into a request that passed
// Validate, whose JSON decodes strictly back to the same JSON. Nothing may
// panic: the payload is the user's.
func FuzzReadRequest(f *testing.F) {
	var ops []Operation[*ivh.Client]
	for _, op := range ivhtest.Operations() {
		ops = append(ops, Operation[*ivh.Client](op))
	}
	for i, s := range []string{
		`{}`, `{"VirtualmanKey":"vk","InputSsml":"hi","Speed":1}`, `{"Speed":"1"}`, `{"Speed":1e400}`,
		`{"VideoParam":{"Format":"Mp4"}}`, `{"Layers":[{}],"x":1}`, `[]`, `null`, `{"a":1}{}`, "\ufeff{}",
		`{"PageIndex":-9223372036854775809}`, `{"SpeechParam":{"Speed":0.5,"Volume":null}}`,
	} {
		f.Add(uint16(i*7), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint16, payload []byte) {
		op := ops[int(which)%len(ops)]
		req, err := readRequest(&Env{Stdin: bytes.NewReader(payload)}, "", op.Name, op.NewRequest, false)
		if err != nil {
			var fe *ExitError
			if !errors.As(err, &fe) || fe.Code != ExitUsage {
				t.Fatalf("%s: error %v is not a usage failure", op.Name, err)
			}
			return
		}
		first, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("%s: accepted request does not encode: %v", op.Name, err)
		}
		again := op.NewRequest()
		if err := decodeStrict(first, again); err != nil {
			t.Fatalf("%s: own encoding %s refused: %v", op.Name, first, err)
		}
		second, err := json.Marshal(again)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("%s: round trip changed %s to %s (%v)", op.Name, first, second, err)
		}
	})
}
