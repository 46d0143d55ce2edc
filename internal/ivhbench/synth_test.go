package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

func TestSynthSpecGeneratesEveryAPI(t *testing.T) {
	const n = 250
	srcs := synthSpec(n)
	if len(srcs) != 3 {
		t.Fatalf("%d files, want 3 (100 APIs to a file)", len(srcs))
	}
	if srcs[0].Name != "synth/group0000.yaml" || srcs[2].Name != "synth/group0002.yaml" {
		t.Errorf("file names %q, %q", srcs[0].Name, srcs[2].Name)
	}
	files, err := generator.Generate(srcs, generator.Config{Package: "synth"})
	if err != nil {
		t.Fatalf("the generator rejects the synthetic spec: %v", err)
	}
	var all bytes.Buffer
	for _, f := range files {
		all.Write(f.Data)
	}
	src := all.String()
	if got := strings.Count(src, "&ivhimpl.Operation{"); got != n {
		t.Errorf("%d operations generated, want %d", got, n)
	}
	for _, want := range []string{"Op00000(", "Op00249(", "type Op00123Request struct", "Mode0002", "Shape0001"} {
		if !strings.Contains(src, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
}

func TestSynthAPIHasTenFields(t *testing.T) {
	var b strings.Builder
	synthAPI(&b, 0, 7)
	api := b.String()
	req, _, _ := strings.Cut(api, "response:")
	if got := strings.Count(req, "- {name:"); got != synthFields {
		t.Errorf("%d request fields, want %d:\n%s", got, synthFields, api)
	}
	if !strings.Contains(api, "name: Op00007") || !strings.Contains(api, "idempotent: false") {
		t.Errorf("API 7 is misnamed or marked idempotent:\n%s", api)
	}
}
