package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/internal/ivhcli"
	"github.com/ivhgen/ivhgen/runtime/ivhotel"
)

// TestTraceFile: -trace writes the run's spans as the stdout exporter's
// JSON: the call, its attempt, the wait and its polls, and no signature.
func TestTraceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spans.json")
	var stdout, stderr bytes.Buffer
	payload := `{"VirtualmanKey":"vk-1","InputSsml":"hello","SpeechParam":{"Speed":1}}`
	code := ivhcli.Run([]string{"-fake", "-wait", "-poll", "1ms", "-trace", path, "VideoMake", "-d", payload},
		strings.NewReader(""), &stdout, &stderr, ivhcli.Extension{Trace: ivhotel.TraceToFile})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		var span struct{ Name string }
		if err := dec.Decode(&span); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not a stream of JSON spans: %v", err)
		}
		names[span.Name]++
	}
	want := map[string]int{"Video.VideoMake": 1, "POST /v2/ivh/videomaker/broadcastservice/videomake": 1,
		"WaitVideoMake": 1, "Video.GetProgress": 3, "POST /v2/ivh/videomaker/broadcastservice/getprogress": 3}
	for n, c := range want {
		if names[n] != c {
			t.Errorf("%d spans %q, want %d (all: %v)", names[n], n, c, names)
		}
	}
	for _, s := range []string{"signature", "timestamp=", "url.full", "?"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("trace holds %q", s)
		}
	}
}
