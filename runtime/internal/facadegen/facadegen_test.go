package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const root = "../../.."

// TestFacadesAreFresh fails when a committed facade or name list differs
// from what facadegen writes: run `go generate ./runtime/ivhrt`.
func TestFacadesAreFresh(t *testing.T) {
	outs, err := render(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		got, err := os.ReadFile(o.path(root))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, o.src) {
			t.Errorf("%s is stale; run go generate ./runtime/ivhrt", o.rel)
		}
	}
}

// TestAudienceListsNameRealIdentifiers keeps audience.go honest: a listed
// name that core no longer declares is a stale entry.
func TestAudienceListsNameRealIdentifiers(t *testing.T) {
	outs, err := render(root)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, o := range outs[:2] {
		all.Write(o.src)
	}
	for name := range audiences() {
		if slices.Contains(internalOnly, name) {
			continue // internal: in neither facade by design
		}
		if !regexp.MustCompile(`\s` + name + `[\s(\[]`).MatchString(all.String()) {
			t.Errorf("audience.go lists %s, which neither facade declares", name)
		}
	}
}

// TestUserAPIHoldsNoGeneratedOnlyName: what generated code alone calls
// never appears in the user API.
func TestUserAPIHoldsNoGeneratedOnlyName(t *testing.T) {
	src, err := os.ReadFile(root + "/runtime/ivhrt/ivhrt_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range generatedOnly {
		for _, decl := range []string{"func " + name + "(", "func " + name + "[", "type " + name + " ", "type " + name + "[", "\t" + name + " = "} {
			if bytes.Contains(src, []byte(decl)) {
				t.Errorf("ivhrt declares the generated-only %s", name)
			}
		}
	}
}

// TestHTTPCoreLinksNoWebSocket: a program that only makes HTTP calls does
// not link the WebSocket library.
func TestHTTPCoreLinksNoWebSocket(t *testing.T) {
	for _, pkg := range []string{"github.com/ivhgen/ivhgen/runtime/ivhrt", "github.com/ivhgen/ivhgen/runtime/internal/core"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		if bytes.Contains(out, []byte("websocket")) {
			t.Errorf("%s links a WebSocket library:\n%s", pkg, out)
		}
	}
}
