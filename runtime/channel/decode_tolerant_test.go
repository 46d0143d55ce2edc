package channel_test

import (
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// A typed payload decodes the loosely typed scalars the untyped
// Downstream accepts.
func TestDecodeIsTolerant(t *testing.T) {
	var p struct {
		SpeakStatus string
		FinalType   int
		Final       bool
	}
	m := channel.Message{Payload: []byte(`{"SpeakStatus":"AudioOver","FinalType":"1","Final":"true"}`)}
	if err := m.Decode(&p); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if p.FinalType != 1 || !p.Final || p.SpeakStatus != "AudioOver" {
		t.Fatalf("decoded %+v", p)
	}
	d, err := m.Downstream()
	if err != nil {
		t.Fatalf("Downstream: %v", err)
	}
	_ = d
	bad := channel.Message{Payload: []byte(`{"FinalType":"one"}`)}
	var fe *channel.FrameError
	if err := bad.Decode(&p); !errors.As(err, &fe) {
		t.Fatalf("Decode of a non-number: err = %v, want a *channel.FrameError", err)
	}
}
