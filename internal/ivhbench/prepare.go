package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// oapiVersion is the oapi-codegen release the report compares with.
const oapiVersion = "v2.8.2"

// oapiRuntime is the runtime library oapi-codegen's output imports.
const oapiRuntime = "github.com/oapi-codegen/runtime@v1.9.0"

// oapiConfig generates types and client, as `-generate types,client`
// would, with two settings without which the output of our document does
// not compile (see README "Performance"): the ClientWithResponses result
// types get a suffix of their own, because oapi-codegen's default suffix
// "Response" collides with our schemas <Api>Response; and pruning is off,
// because oapi-codegen prunes schemas used only by webhooks yet still
// emits the webhook body types that name them.
const oapiConfig = `package: oapi
generate:
  models: true
  client: true
output-options:
  response-type-suffix: HTTPResult
  skip-prune: true
`

// prepare builds ivhgen, exports the OpenAPI document and ivhgen's output
// for spec/, and unless -no-oapi installs oapi-codegen into the temporary
// directory and makes the temporary module.
func (b *bench) prepare() error {
	root, err := moduleRoot(b.cfg.gobin)
	if err != nil {
		return err
	}
	b.root = root
	b.ivhgen = filepath.Join(b.tmp, "bin", "ivhgen")
	log.Printf("building ivhgen")
	if _, err := b.goRun(root, nil, "build", "-o", b.ivhgen, "./cmd/ivhgen"); err != nil {
		return err
	}
	b.doc = filepath.Join(b.tmp, "openapi.json")
	b.ours = filepath.Join(b.tmp, "ours")
	if err := runProcess(root, b.ivhgen, b.ivhgenArgs(b.ours, "-openapi", b.doc)...); err != nil {
		return err
	}
	if b.apis, err = countOperations(b.doc); err != nil {
		return err
	}
	if b.cfg.noOapi {
		return nil
	}
	log.Printf("installing oapi-codegen %s into %s", oapiVersion, b.tmp)
	env := []string{"GOBIN=" + filepath.Join(b.tmp, "bin")}
	if _, err := b.goRun(b.tmp, env, "install", "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@"+oapiVersion); err != nil {
		return fmt.Errorf("%w\n(without module downloads, run go run ./internal/ivhbench -no-oapi for the parts that need no oapi-codegen)", err)
	}
	b.oapi = filepath.Join(b.tmp, "bin", "oapi-codegen")
	if err := os.WriteFile(b.oapiConfigPath(), []byte(oapiConfig), 0o644); err != nil {
		return err
	}
	return b.makeModule(root)
}

// ivhgenArgs are the arguments of a full ivhgen run on spec/ into out:
// the client package and its typed fake gateway (out/ivhtest), with the
// import path the client has in the temporary module.
func (b *bench) ivhgenArgs(out string, extra ...string) []string {
	args := []string{"-spec", filepath.Join(b.root, "spec"), "-out", out, "-package", "ivh", "-import", oursImport}
	return append(args, extra...)
}

// oursImport is the import path of ivhgen's output in the temporary module.
const oursImport = "ivhbench.example/mod/ours"

func (b *bench) oapiConfigPath() string { return filepath.Join(b.tmp, "oapi-config.yaml") }

// runOapi generates the oapi-codegen client of the exported document into
// out.
func (b *bench) runOapi(out string) error {
	return runProcess(b.tmp, b.oapi, "-config", b.oapiConfigPath(), "-o", out, b.doc)
}

// moduleRoot is the directory of our go.mod; ivhbench must run inside it.
func moduleRoot(gobin string) (string, error) {
	out, err := exec.Command(gobin, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	data, err := os.ReadFile(gomod)
	if err != nil || !bytes.Contains(data, []byte("module github.com/ivhgen/ivhgen\n")) {
		return "", fmt.Errorf("run ivhbench in the ivhgen module (go.mod found: %q)", gomod)
	}
	return filepath.Dir(gomod), nil
}

// goRun runs the go command in dir with extra environment and returns its
// standard output; a failure carries the command's output.
func (b *bench) goRun(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command(b.cfg.gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// runProcess runs a binary in dir; a failure carries its output.
func runProcess(dir, bin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return nil
}

// outputOf runs a binary in dir and returns its standard output; a
// failure carries its standard error.
func outputOf(dir, bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// countOperations counts the operations under "paths" of an OpenAPI
// document: one per API.
func countOperations(docPath string) (int, error) {
	data, err := os.ReadFile(docPath)
	if err != nil {
		return 0, err
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, fmt.Errorf("%s: %w", docPath, err)
	}
	n := 0
	for _, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				n++
			}
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("%s: no operations", docPath)
	}
	return n, nil
}
