package main

import (
	"fmt"
	"strings"

	"github.com/ivhgen/ivhgen/generator"
)

// apisPerFile is how many synthetic APIs share one descriptor file (one
// service group), like the real spec's groups of a few dozen.
const apisPerFile = 100

// synthFields is the field count of every synthetic API: ten request fields
// of mixed kinds with constraints, plus one response field.
const synthFields = 10

// synthSpec builds n synthetic APIs as descriptor sources, apisPerFile to a
// file. Each file declares one enum and one named type that its APIs use,
// so every stage (references, validation, enums) does real work.
func synthSpec(n int) []generator.Source {
	var out []generator.Source
	for first := 0; first < n; first += apisPerFile {
		last := min(first+apisPerFile, n)
		f := len(out)
		out = append(out, generator.Source{
			Name: fmt.Sprintf("synth/group%04d.yaml", f),
			Data: []byte(synthFile(f, first, last)),
		})
	}
	return out
}

func synthFile(f, first, last int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "service: Group%04d\ndoc: Synthetic service group %d.\npathPrefix: /v2/synth/group%d\n", f, f, f)
	fmt.Fprintf(&b, `enums:
  Mode%04[1]d:
    type: string
    doc: Processing mode.
    values:
      - {value: FAST, doc: Fast.}
      - {value: GOOD, doc: Good.}
types:
  Shape%04[1]d:
    doc: A shared shape.
    fields:
      - {name: Width, type: int, required: true, min: 1, max: 4096, doc: Width in pixels.}
      - {name: Height, type: int, min: 1, max: 4096, doc: Height in pixels.}
apis:
`, f)
	for i := first; i < last; i++ {
		synthAPI(&b, f, i)
	}
	return b.String()
}

func synthAPI(b *strings.Builder, f, i int) {
	fmt.Fprintf(b, `  - name: Op%05[2]d
    path: /op%[2]d
    doc: Synthetic operation %[2]d.
    idempotent: %[3]t
    request:
      fields:
        - {name: Name, type: string, required: true, minLength: 1, maxLength: 64, doc: Name.}
        - {name: Text, type: string, maxLength: 20000, doc: Text.}
        - {name: Count, type: int, min: 0, max: 100, doc: Count.}
        - {name: Total, type: int64, doc: Total.}
        - {name: Ratio, type: float, min: 0.5, max: 1.5, doc: Ratio.}
        - {name: Enabled, type: bool, doc: Enabled.}
        - {name: Tags, type: "[]string", maxItems: 5, doc: Tags.}
        - {name: Mode, type: Mode%04[1]d, doc: Mode.}
        - {name: Shape, type: Shape%04[1]d, doc: Shape.}
        - {name: Labels, type: "map[string]", doc: Labels.}
    response:
      fields:
        - {name: TaskId, type: string, required: true, doc: Task.}
`, f, i, i%2 == 0)
}
