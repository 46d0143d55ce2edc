package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run builds nothing: it runs the consumer's built binary bin with args
// and returns its exit code, standard output and standard error apart.
func (c *consumer) run(bin string, args ...string) (int, string, string) {
	c.t.Helper()
	cmd := exec.Command(filepath.Join(c.dir, bin), args...)
	cmd.Dir, cmd.Env = c.dir, append(c.env, "IVH_APPKEY=", "IVH_ACCESS_TOKEN=", "IVH_ENDPOINT=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		c.t.Fatalf("%s %v: %v", bin, args, err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// cliWorks builds cmd/apaas, the command line ivhgen -cli wrote, and runs
// it as a user would: list, help, schema, a call, a scripted API error,
// -wait, and the exit codes of misuse and of missing credentials.
func (c *consumer) cliWorks() {
	c.t.Helper()
	c.sh(0, "go build -o apaas-cli ./cmd/apaas")
	code, out, _ := c.run("apaas-cli", "list")
	assert.Equal(c.t, 0, code)
	assert.Regexp(c.t, `(?m)^Greet +/v2/example/greeting/greet +Returns a greeting for a visitor\.$`, out)
	assert.Regexp(c.t, `(?m)^VideoMake .*\[-wait\]$`, out)

	_, out, _ = c.run("apaas-cli", "help", "Greet")
	assert.Regexp(c.t, `(?m)^VisitorName +string +yes +minLength 1, maxLength 64 +Name to greet\.$`, out)
	assert.Contains(c.t, out, "\"VisitorName\": \"...\"")
	_, out, _ = c.run("apaas-cli", "schema", "Greet")
	var schema struct {
		Required   []string
		Properties map[string]struct{ Type string }
	}
	require.NoError(c.t, json.Unmarshal([]byte(out), &schema), out)
	assert.Equal(c.t, []string{"VisitorName"}, schema.Required)
	assert.Equal(c.t, "string", schema.Properties["VisitorName"].Type)

	code, out, errOut := c.run("apaas-cli", "-fake", "Greet", "-d", `{"VisitorName":"Ada"}`)
	assert.Equal(c.t, 0, code, errOut)
	assert.JSONEq(c.t, `{"VisitorName":"Ada","Text":""}`, out)
	assert.Contains(c.t, errOut, "apaas: -fake: POST /v2/example/greeting/greet?")
	assert.NotRegexp(c.t, `signature=[^R&]`, out+errOut, "a signature is shown unredacted")

	code, out, errOut = c.run("apaas-cli", "-fake", "-fake-fault", "100001", "Greet", "-d", `{"VisitorName":"Ada"}`)
	assert.Equal(c.t, 1, code)
	assert.Empty(c.t, out)
	assert.Regexp(c.t, `(?m)^apaas: apaas Greet: code=100001 message=scripted by -fake-fault request_id=`, errOut)

	code, out, errOut = c.run("apaas-cli", "-fake", "-wait", "VideoMake", "-d", `{"VirtualmanKey":"vk","InputSsml":"Hi"}`)
	assert.Equal(c.t, 0, code, errOut)
	var last struct{ Status string }
	require.NoError(c.t, json.Unmarshal([]byte(out), &last), "stdout holds one JSON document: %s", out)
	assert.Equal(c.t, "SUCCESS", last.Status)
	assert.Contains(c.t, errOut, "apaas: VideoMake: poll 1:")

	code, _, errOut = c.run("apaas-cli", "Greeet")
	assert.Equal(c.t, 2, code)
	assert.Contains(c.t, errOut, `apaas: unknown API "Greeet"`)
	code, _, errOut = c.run("apaas-cli", "Greet", "-d", `{"VisitorName":"Ada"}`)
	assert.Equal(c.t, 3, code, errOut)
}

// catalogDescriptor is a descriptor of the consumer's own, which ivhgen
// does not ship anywhere: a service with a paged API.
const catalogDescriptor = `service: Catalog
doc: The application's own catalogue of scripts.
pathPrefix: /v2/example/catalog

apis:
  - name: ListScripts
    path: /list
    doc: Lists the scripts, one page at a time.
    idempotent: true
    request:
      fields:
        - {name: PageIndex, type: int, required: true, min: 1, doc: Page number starting at 1.}
        - {name: PageSize, type: int, required: true, min: 1, max: 50, doc: Items per page.}
        - {name: Tag, type: string, maxLength: 16, doc: Lists only scripts with this tag.}
    response:
      fields:
        - {name: Scripts, type: "[]string", required: true, doc: Script names of the page.}
        - {name: Total, type: int, required: true, doc: Number of scripts in all pages.}
    paging:
      index: PageIndex
      size: PageSize
      total: Total
      items: Scripts
`

// ownDescriptorCLI adds a descriptor of the consumer's own, regenerates,
// and calls its paged API through the rebuilt command line.
func (c *consumer) ownDescriptorCLI() {
	c.t.Helper()
	c.write("spec/catalog.yaml", catalogDescriptor)
	c.sh(0, "go generate ./...")
	c.sh(0, "go build -o apaas-cli ./cmd/apaas")
	_, out, _ := c.run("apaas-cli", "list")
	assert.Regexp(c.t, `(?m)^ListScripts +/v2/example/catalog/list +Lists the scripts, one page at a time\. \[-all\]$`, out)
	assert.Regexp(c.t, `(?m)^Farewell `, out)
	_, out, _ = c.run("apaas-cli", "help", "ListScripts")
	assert.Regexp(c.t, `(?m)^PageSize +integer +yes +>=1, <=50 +Items per page\.$`, out)
	assert.Regexp(c.t, `(?m)^Tag +string +maxLength 16 +Lists only scripts with this tag\.$`, out)
	code, out, errOut := c.run("apaas-cli", "-fake", "-all", "ListScripts", "-d", `{"PageSize":10}`)
	assert.Equal(c.t, 0, code, errOut)
	assert.Equal(c.t, "[]\n", out)
	assert.Contains(c.t, errOut, "POST /v2/example/catalog/list?")
	code, _, errOut = c.run("apaas-cli", "-fake", "-all", "Greet")
	assert.Equal(c.t, 2, code)
	assert.Contains(c.t, errOut, "Greet is not paged")
	code, _, _ = c.run("apaas-cli", "-fake", "-all", "ListScripts", "-d", `{"PageSize":99}`)
	assert.Equal(c.t, 2, code, "a page size over the maximum fails validation")
}

// compatReports changes the descriptors three ways and runs ivhgen
// -compat, which writes nothing: an added API is compatible (exit 0), a
// removed field and a changed type are not (exit 1, 0 with
// -allow-breaking).
func (c *consumer) compatReports() {
	c.t.Helper()
	compat := "go tool ivhgen -spec spec -out apaas -package apaas -compat"
	orig := c.read("spec/catalog.yaml")
	before := c.snapshot()

	c.appendFile("spec/catalog.yaml", strings.NewReplacer("ListScripts", "ListDrafts", "path: /list", "path: /drafts").Replace(strings.SplitN(catalogDescriptor, "apis:\n", 2)[1]))
	out := c.sh(0, compat)
	assert.Contains(c.t, out, "Compatible changes:")
	assert.Contains(c.t, out, "- ListDraftsRequest: added")
	assert.Contains(c.t, out, "- CatalogAPI.ListDrafts: added (breaks only types outside the package that implement CatalogAPI")
	assert.NotContains(c.t, out, "Incompatible changes:")

	c.write("spec/catalog.yaml", strings.NewReplacer(
		"        - {name: Tag, type: string, maxLength: 16, doc: Lists only scripts with this tag.}\n", "",
		"{name: Total, type: int,", "{name: Total, type: int64,").Replace(orig))
	out = c.sh(1, compat)
	assert.Contains(c.t, out, "Incompatible changes:")
	assert.Contains(c.t, out, "- ListScriptsRequest.Tag: removed")
	assert.Contains(c.t, out, "- ListScriptsResponse.Total: changed from int to int64")
	assert.Contains(c.t, out, "incompatible changes: code that uses the package may stop compiling; pass -allow-breaking")
	c.sh(0, compat+" -allow-breaking")

	c.write("spec/catalog.yaml", orig)
	assert.Equal(c.t, []string(nil), changed(before, c.snapshot()), "-compat wrote nothing")
}
