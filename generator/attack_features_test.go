package generator_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// Hostile descriptors for the format features of service spans, provenance
// defaults, fakePath, paging createdBy and jsonText, written by an outside
// tester. Each test fails when the generator regresses.

// attackGen generates srcs (name, text pairs) with the fake package too.
func attackGen(t *testing.T, files ...string) ([]generator.OutputFile, error) {
	t.Helper()
	var srcs []generator.Source
	for i := 0; i+1 < len(files); i += 2 {
		srcs = append(srcs, generator.Source{Name: files[i], Data: []byte(files[i+1])})
	}
	return generator.Generate(srcs, generator.Config{Package: "p", ImportPath: "example.com/p"})
}

// wantAttackErr requires a descriptor error containing every part.
func wantAttackErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("generated without error; want an error with %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error does not contain %q:\n%v", p, err)
		}
	}
	if strings.Contains(err.Error(), "generator bug") {
		t.Errorf("a descriptor error surfaced as a generator bug:\n%v", err)
	}
}

const jsonTextHead = `service: Chat
pathPrefix: /v2/chat
types:
  TextMsg:
    doc: A text.
    fields:
      - {name: Text, type: string, required: true, doc: "The text."}
`

// A jsonText type named Raw would be a second field Raw of the result
// type, beside the raw text: Go that does not compile. It must be a
// descriptor error at the type.
func TestAttackJSONTextTypeNamedRaw(t *testing.T) {
	_, err := attackGen(t, "a.yaml", jsonTextHead+`  Raw:
    doc: A type named Raw.
    fields:
      - {name: V, type: string, doc: "v."}
apis:
  - name: GetMessage
    path: /getmessage
    doc: Returns a message.
    idempotent: true
    response:
      fields:
        - {name: Kind, type: int, required: true, doc: "Kind."}
        - {name: Data, type: string, doc: "JSON text.", jsonText: {by: Kind, types: {1: TextMsg, 2: Raw}}}
`)
	wantAttackErr(t, err, "a.yaml:20:101:", `jsonText type "Raw" clashes`)
}

// Values of by go into a comment of the result type; a value holding a
// newline and "*/" made jen write a /* */ comment that the value closes,
// and the generator failed with "a generator bug".
func TestAttackJSONTextValueBreaksComment(t *testing.T) {
	_, err := attackGen(t, "a.yaml", jsonTextHead+`apis:
  - name: GetMessage
    path: /getmessage
    doc: Returns a message.
    idempotent: true
    response:
      fields:
        - {name: Kind, type: string, doc: "Kind."}
        - {name: Data, type: string, doc: "JSON text.", jsonText: {by: Kind, types: {"a\nb": TextMsg, "*/ x": TextMsg}}}
`)
	if err != nil {
		t.Fatalf("want generated code, got:\n%v", err)
	}
}

// Two flows polling one API with different fakePaths are an error; the
// paths were compared as their values joined by ", ", so ["x, y", "z"] and
// ["x", "y, z"] counted as equal and the second path was dropped silently.
func TestAttackFakePathsCompareValues(t *testing.T) {
	_, err := attackGen(t, "a.yaml", `service: Train
pathPrefix: /v2/train
apis:
  - name: TrainA
    path: /a
    doc: Starts.
    idempotent: false
    response: {fields: [{name: TaskId, type: string, required: true, doc: Task.}]}
    async: {poll: GetTrain, id: TaskId, status: State, success: ["z"], failure: ["f"], fakePath: ["x, y", "z"]}
  - name: TrainB
    path: /b
    doc: Starts.
    idempotent: false
    response: {fields: [{name: TaskId, type: string, required: true, doc: Task.}]}
    async: {poll: GetTrain, id: TaskId, status: State, success: ["y, z", "z"], failure: ["f"], fakePath: ["x", "y, z"]}
  - name: GetTrain
    path: /get
    doc: Reports.
    idempotent: true
    request: {fields: [{name: TaskId, type: string, required: true, doc: Task id.}]}
    response: {fields: [{name: State, type: string, required: true, doc: State.}]}
`)
	wantAttackErr(t, err, "a.yaml:15:", "fakePath of api TrainB differs from the one of api TrainA")
}

// An empty types mapping was reported as "types must be a mapping ...,
// not a mapping".
func TestAttackJSONTextEmptyTypes(t *testing.T) {
	_, err := attackGen(t, "a.yaml", jsonTextHead+`apis:
  - name: GetMessage
    path: /getmessage
    doc: Returns a message.
    idempotent: true
    response:
      fields:
        - {name: Kind, type: string, doc: "Kind."}
        - {name: Data, type: string, doc: "JSON text.", jsonText: {by: Kind, types: {}}}
`)
	wantAttackErr(t, err, "a.yaml:16:85: types must not be empty")
	if err != nil && strings.Contains(err.Error(), "not a mapping") {
		t.Errorf("confusing message:\n%v", err)
	}
}

// The OpenAPI export wrote the success and failure values of x-ivh-async
// as the generator's Go struct ({"IsInt":false,"Int":0,"Str":"OK"}), not
// as the values.
func TestAttackOpenAPIAsyncValues(t *testing.T) {
	srcs := []generator.Source{{Name: "a.yaml", Data: []byte(`service: Train
pathPrefix: /v2/train
apis:
  - name: TrainA
    path: /a
    doc: Starts.
    idempotent: false
    response: {fields: [{name: TaskId, type: string, required: true, doc: Task.}]}
    async: {poll: GetTrain, id: TaskId, status: State, success: ["OK"], failure: ["BAD"]}
  - name: TrainB
    path: /b
    doc: Starts.
    idempotent: false
    response: {fields: [{name: TaskId, type: string, required: true, doc: Task.}]}
    async: {poll: GetCode, id: TaskId, status: Code, success: [3], failure: [-1, 4], fakePath: [1, 1, 3]}
  - name: GetTrain
    path: /get
    doc: Reports.
    idempotent: true
    request: {fields: [{name: TaskId, type: string, required: true, doc: Task id.}]}
    response: {fields: [{name: State, type: string, required: true, doc: State.}]}
  - name: GetCode
    path: /code
    doc: Reports.
    idempotent: true
    request: {fields: [{name: TaskId, type: string, required: true, doc: Task id.}]}
    response: {fields: [{name: Code, type: int, required: true, doc: State.}]}
`)}}
	raw, err := generator.OpenAPI(srcs, generator.Config{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Async struct {
				Success, Failure []any
				FakePath         []any `json:"fakePath"`
			} `json:"x-ivh-async"`
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	a, b := doc.Paths["/v2/train/a"]["post"].Async, doc.Paths["/v2/train/b"]["post"].Async
	if got := fmt.Sprint(a.Success, a.Failure, b.Success, b.Failure); got != "[OK] [BAD] [3] [-1 4]" {
		t.Errorf("x-ivh-async values %s, want [OK] [BAD] [3] [-1 4]", got)
	}
	// fakePath is carried like paging's createdBy, the other fake-only key.
	if got := fmt.Sprint(a.FakePath, b.FakePath); got != "[] [1 1 3]" {
		t.Errorf("x-ivh-async fakePath %s, want [] [1 1 3]", got)
	}
}

// The example consumer's committed schema is what `ivhgen -schema` writes;
// it lagged behind the format (no file provenance, jsonText, fakePath or
// createdBy), so an editor using it rejected valid descriptors.
func TestAttackExampleSchemaIsCurrent(t *testing.T) {
	want, err := os.ReadFile("../spec/descriptor.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../examples/consumer/spec/descriptor.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("examples/consumer/spec/descriptor.schema.json differs from spec/descriptor.schema.json; run go tool ivhgen -schema spec/descriptor.schema.json in examples/consumer")
	}
}

// An int64 by may take values over 32 bits; its cases were written through
// int, so a generator built for GOARCH=386 wrapped 5000000000 to another
// value (run: GOARCH=386 go test ./generator -run TestAttackJSONTextInt64Cases).
func TestAttackJSONTextInt64Cases(t *testing.T) {
	out, err := attackGen(t, "a.yaml", jsonTextHead+`apis:
  - name: GetMessage
    path: /getmessage
    doc: Returns a message.
    idempotent: true
    response:
      fields:
        - {name: Kind, type: int64, doc: "Kind."}
        - {name: Data, type: string, doc: "JSON text.", jsonText: {by: Kind, types: {5000000000: TextMsg, -9223372036854775808: TextMsg}}}
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		if f.Name == "a_api.go" && !strings.Contains(string(f.Data), "case 5000000000, -9223372036854775808:") {
			t.Errorf("a_api.go lacks the int64 cases:\n%s", f.Data)
		}
	}
}

var errLine = regexp.MustCompile(`^[^:\n]+:\d+:\d+: \S`)

// FuzzGenerateFeatures mutates the goldens of the new format features (a
// file split at "\n---file\n" is two files): the generator must not
// panic, every error line reads file:line:col: message, and two runs give
// the same output.
func FuzzGenerateFeatures(f *testing.F) {
	for _, name := range []string{"service_spans_files", "provenance_defaults", "fake_path", "fake_pages", "json_text",
		"err_json_text", "err_fake_pages", "err_fake_path", "err_provenance_default", "err_service_spans_files"} {
		var parts []string
		for _, s := range loadCase(f, name) {
			parts = append(parts, string(s.Data))
		}
		f.Add(strings.Join(parts, "\n---file\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		var files []string
		for i, part := range strings.Split(text, "\n---file\n") {
			files = append(files, fmt.Sprintf("f%d.yaml", i), part)
		}
		out, err := attackGen(t, files...)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !errLine.MatchString(line) && !strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "\t") {
					t.Fatalf("error line %q is not file:line:col: message\n%v", line, err)
				}
			}
			return
		}
		again, _ := attackGen(t, files...)
		if len(again) != len(out) {
			t.Fatal("second run gave another number of files")
		}
		for i := range out {
			if out[i].Name != again[i].Name || string(out[i].Data) != string(again[i].Data) {
				t.Fatalf("%s differs between two runs", out[i].Name)
			}
		}
	})
}

// A fakePath of one value (the task succeeds at its first poll) reported
// the success with Progress 0, while every longer path ends at 100.
func TestAttackFakePathOneStepProgress(t *testing.T) {
	out, err := attackGen(t, "a.yaml", `service: Train
pathPrefix: /v2/train
apis:
  - name: TrainA
    path: /a
    doc: Starts.
    idempotent: false
    response: {fields: [{name: TaskId, type: string, required: true, doc: Task.}]}
    async: {poll: GetTrain, id: TaskId, status: State, success: ["OK"], failure: ["BAD"], fakePath: ["OK"]}
  - name: GetTrain
    path: /get
    doc: Reports.
    idempotent: true
    request: {fields: [{name: TaskId, type: string, required: true, doc: Task id.}]}
    response: {fields: [{name: State, type: string, required: true, doc: State.}]}
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		if f.Name == "ptest/server.go" && !strings.Contains(string(f.Data), `fakegw.TaskStep{Status: "OK", Progress: 100}`) {
			t.Errorf("the one step of the path does not report Progress 100:\n%s", f.Data)
		}
	}
}

const attackChannel = `channels:
  - name: %s
    doc: A channel.
    path: %s
    frame: flat
    upstream:
      - {name: Say%s, doc: Says., fields: [{name: Text, type: string, doc: "Text."}]}
    downstream:
      - {type: 1, name: Said%s, doc: Said., fields: [{name: Seq, type: int, doc: "Seq."}]}
`

// Two channels of a service spanning files on one wire path (or a channel
// on an api's path) were accepted, and the fake served both at one path.
func TestAttackChannelPathsAcrossFiles(t *testing.T) {
	_, err := attackGen(t,
		"a.yaml", "service: Render\ndoc: R.\napis:\n  - {name: Get, path: /v2/get, doc: Gets., idempotent: true}\n"+fmt.Sprintf(attackChannel, "One", "/v2/ws", "1", "1"),
		"b.yaml", "service: Render\n"+fmt.Sprintf(attackChannel, "Two", "/v2/ws", "2", "2"),
		"c.yaml", "service: Render\n"+fmt.Sprintf(attackChannel, "Three", "/v2/get", "3", "3"))
	wantAttackErr(t, err,
		`b.yaml:5:11: channel "Two" has wire path /v2/ws, which channel "One" at a.yaml:8:11 has already`,
		`c.yaml:5:11: channel "Three" has wire path /v2/get, which api "Get" at a.yaml:4:23 has already`)
}
