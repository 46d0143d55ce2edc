package generator_test

import (
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// Flows that poll one API the same way share one classify func; a flow with
// other status values on the same poll gets its own (issue 10).
func TestClassifyIsSharedPerPollShape(t *testing.T) {
	doc := `service: Jobs
pathPrefix: /jobs
apis:
  - name: StartA
    path: /a
    doc: Starts a.
    idempotent: false
    response:
      fields:
        - {name: Id, type: string, required: true, doc: Id.}
    async: {poll: Get, id: Id, status: State, success: [1], failure: [2]}
  - name: StartB
    path: /b
    doc: Starts b.
    idempotent: false
    response:
      fields:
        - {name: Id, type: string, required: true, doc: Id.}
    async: {poll: Get, id: Id, status: State, success: [1], failure: [2]}
  - name: StartC
    path: /c
    doc: Starts c.
    idempotent: false
    response:
      fields:
        - {name: Id, type: string, required: true, doc: Id.}
    async: {poll: Get, id: Id, status: State, success: [3], failure: [2]}
  - name: Get
    path: /get
    doc: Reports a job.
    idempotent: true
    request:
      fields:
        - {name: Id, type: string, required: true, doc: Id.}
    response:
      fields:
        - {name: State, type: int, required: true, doc: State.}
`
	pkg, err := generator.Model([]generator.Source{{Name: "jobs.yaml", Data: []byte(doc)}}, generator.Config{Package: "jobs"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]any{}
	for _, a := range pkg.Services[0].APIs {
		if a.Async != nil {
			got[a.Name] = [2]any{a.Async.Classify, a.Async.ClassifyOwner}
		}
	}
	want := map[string][2]any{
		"StartA": {"classifyGet", true}, "StartB": {"classifyGet", false}, "StartC": {"classifyGet2", true},
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: classify %v, want %v", name, got[name], w)
		}
	}
}
