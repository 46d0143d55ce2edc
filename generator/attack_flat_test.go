package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// flatSpec is a flat channel descriptor whose frame name and fields vary.
func flatSpec(frame, fields string) string {
	return `service: Render
doc: Client-side rendering.
channels:
  - name: Engine
    doc: A flat channel.
    path: /v2/ws/engine
    frame: flat
    signedParams:
      - {name: requestid, value: reqid}
    upstream:
      - name: ` + frame + `
        doc: Sends one.
        fields:
` + fields

}

// runIvhgen runs the generator's command on spec and returns its stderr
// and whether it failed.
func runIvhgen(t *testing.T, spec string) (string, bool) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "input.yaml")
	if err := os.WriteFile(in, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "../cmd/ivhgen", "-spec", in, "-validate")
	out, err := cmd.CombinedOutput()
	if strings.Contains(string(out), "panic") {
		t.Fatalf("generator panicked:\n%s", out)
	}
	return string(out), err != nil
}

// TestAttackFlatFrameReqIdAnyCase: a frame field whose wire name is ReqId
// in another case would sit beside the channel's ReqId
// ({"ReqId":"…","reqid":"…"}) and win in a case-insensitive decoder, so
// the id Drive returns would not be the one the gateway reads.
func TestAttackFlatFrameReqIdAnyCase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	for _, name := range []string{"ReqId", "reqid", "REQID", "reqId", "ReqID"} {
		out, failed := runIvhgen(t, flatSpec("Drive", `          - {name: `+name+`, type: string, doc: "T."}
`))
		if !failed || !strings.Contains(out, "input.yaml:14:13: a flat frame's ReqId is filled by the channel") {
			t.Errorf("field %s: failed=%v\n%s", name, failed, out)
		}
	}
}

// TestAttackFlatFrameClashAdvice: a flat frame named like a generated
// method is refused with advice that is possible on a flat frame (goName
// is itself an error there).
func TestAttackFlatFrameClashAdvice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	for _, name := range []string{"Close", "Recv", "Messages", "Conn"} {
		out, failed := runIvhgen(t, flatSpec(name, `          - {name: StreamId, type: string, doc: "S."}
`))
		if !failed || !strings.Contains(out, "input.yaml:11:15: ") || strings.Contains(out, "goName") || !strings.Contains(out, "rename the frame") {
			t.Errorf("frame %s: failed=%v\n%s", name, failed, out)
		}
	}
}

// TestAttackFlatSignedParamNames: a signed parameter whose name holds '&'
// or '=' makes the string to sign ambiguous, one outside ASCII is not what
// any gateway documents, and one spelling appkey, timestamp or signature
// in another case would be sent beside the real one.
func TestAttackFlatSignedParamNames(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	for _, name := range []string{`"a&b=c"`, `"x="`, `ключ`, `"a b"`, `Signature`, `AppKey`, `TIMESTAMP`} {
		spec := strings.Replace(flatSpec("Drive", `          - {name: StreamId, type: string, doc: "S."}
`), "      - {name: requestid, value: reqid}\n", "      - {name: requestid, value: reqid}\n      - {name: "+name+", value: reqid}\n", 1)
		out, failed := runIvhgen(t, spec)
		if !failed || !strings.Contains(out, "input.yaml:10:16: signed parameter") {
			t.Errorf("signed parameter %s: failed=%v\n%s", name, failed, out)
		}
	}
	for _, name := range []string{"request_id", "x-req.id", "Id2"} {
		spec := strings.Replace(flatSpec("Drive", `          - {name: StreamId, type: string, doc: "S."}
`), "{name: requestid, value: reqid}", "{name: "+name+", value: reqid}", 1)
		if out, failed := runIvhgen(t, spec); failed {
			t.Errorf("signed parameter %s refused:\n%s", name, out)
		}
	}
}

// TestAttackFlatNilFrameDoc: the generated frame method's doc must not
// promise that a nil frame sends the ReqId alone: a frame with required
// fields (DriveFrame) refuses nil as a validation error.
func TestAttackFlatNilFrameDoc(t *testing.T) {
	for _, f := range []string{"../generated/ivh/driver_channel.go", "testdata/chanflat/want/input_channel.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "A nil frame sends the ReqId alone") {
			t.Errorf("%s: the doc says a nil frame sends the ReqId alone, but the frame has required fields", f)
		}
	}
}
