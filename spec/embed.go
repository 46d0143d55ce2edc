// Package spec holds the aPaaS descriptors (see README.md) and embeds them,
// so that `go run ./cmd/ivhgen` works without flags.
package spec

import "embed"

// Files holds every *.yaml descriptor of this directory.
//
//go:embed *.yaml
var Files embed.FS

// Schema is descriptor.schema.json, the JSON Schema of a descriptor file,
// for editors (`ivhgen -schema FILE` writes it into any repository).
//
//go:embed descriptor.schema.json
var Schema []byte
