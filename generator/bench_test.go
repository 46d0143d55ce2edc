package generator_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// synthetic returns a descriptor set of apis APIs with 10 request fields
// each, spread over files of 100 APIs, with a shared named type and enum
// per file, shaped like the real descriptors (bounds, enums, nested types,
// paging and async flows).
func synthetic(apis int) []generator.Source {
	var srcs []generator.Source
	for file := 0; file*100 < apis; file++ {
		var b strings.Builder
		fmt.Fprintf(&b, "service: Svc%d\ndoc: Synthetic service %d.\npathPrefix: /v2/ivh/svc%d\n", file, file, file)
		fmt.Fprintf(&b, "enums:\n  State%d:\n    type: string\n    doc: State.\n    values: [{value: RUNNING}, {value: DONE}, {value: FAILED}]\n", file)
		fmt.Fprintf(&b, "types:\n  Param%d:\n    doc: Shared parameters.\n    fields:\n", file)
		fmt.Fprintf(&b, "      - {name: Speed, type: float, min: 0.5, max: 1.5, doc: Rate.}\n      - {name: Key, type: string, required: true, doc: Key.}\n")
		b.WriteString("apis:\n")
		for i := file * 100; i < min(apis, (file+1)*100); i++ {
			writeSyntheticAPI(&b, file, i)
		}
		srcs = append(srcs, generator.Source{Name: "spec/svc" + strconv.Itoa(file) + ".yaml", Data: []byte(b.String())})
	}
	return srcs
}

func writeSyntheticAPI(b *strings.Builder, file, i int) {
	fmt.Fprintf(b, "  - name: Api%d\n    path: /api%d\n    doc: Synthetic API %d that does one thing.\n    idempotent: %v\n", i, i, i, i%2 == 0)
	b.WriteString("    request:\n      fields:\n")
	fmt.Fprintf(b, "        - {name: PageIndex, type: int, required: true, min: 1, doc: Page.}\n")
	fmt.Fprintf(b, "        - {name: PageSize, type: int, required: true, min: 1, max: 100, doc: Size.}\n")
	fmt.Fprintf(b, "        - {name: VirtualmanKey, type: string, required: true, minLength: 1, doc: Avatar key.}\n")
	fmt.Fprintf(b, "        - {name: InputSsml, type: string, maxLength: 20000, doc: Text.}\n")
	fmt.Fprintf(b, "        - {name: Param, type: Param%d, doc: Parameters.}\n", file)
	fmt.Fprintf(b, "        - {name: State, type: State%d, doc: Filter.}\n", file)
	fmt.Fprintf(b, "        - {name: Tags, type: \"[]string\", maxItems: 5, doc: Tags.}\n")
	fmt.Fprintf(b, "        - {name: Volume, type: int64, min: 0, doc: Volume.}\n")
	fmt.Fprintf(b, "        - {name: Draft, type: bool, doc: Draft.}\n")
	fmt.Fprintf(b, "        - {name: CallbackUrl, type: string, doc: Callback.}\n")
	b.WriteString("    response:\n      fields:\n")
	fmt.Fprintf(b, "        - {name: Total, type: int, required: true, doc: Total.}\n")
	fmt.Fprintf(b, "        - {name: TaskId, type: string, required: true, doc: Task.}\n")
	fmt.Fprintf(b, "        - {name: Status, type: State%d, required: true, doc: State.}\n", file)
	fmt.Fprintf(b, "        - {name: FailCode, type: int, doc: Code.}\n")
	fmt.Fprintf(b, "        - {name: Items, type: \"[]Param%d\", doc: Items.}\n", file)
	switch {
	case i%10 == 1:
		fmt.Fprintf(b, "    async: {poll: Api%d, id: TaskId, pollId: VirtualmanKey, status: Status, success: [DONE], failure: [FAILED], failCode: FailCode, pollFields: [PageIndex, PageSize]}\n", i-1)
	case i%10 == 2:
		b.WriteString("    paging: {index: PageIndex, size: PageSize, total: Total, items: Items}\n")
	}
}

func benchGenerate(b *testing.B, srcs []generator.Source, apis int) {
	out, err := generator.Generate(srcs, generator.Config{Package: "ivh"})
	if err != nil {
		b.Fatal(err)
	}
	lines := 0
	for _, o := range out {
		lines += bytes.Count(o.Data, []byte("\n"))
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := generator.Generate(srcs, generator.Config{Package: "ivh"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(lines)/float64(apis), "lines/api")
	b.ReportMetric(float64(lines), "lines")
}

// BenchmarkGenerate covers the real spec/ and synthetic sets of 2,000 and
// 4,000 APIs (the ratio of the two shows how time grows).
func BenchmarkGenerate(b *testing.B) {
	b.Run("spec", func(b *testing.B) {
		srcs := specSources(b)
		pkg, err := generator.Model(srcs, generator.Config{Package: "ivh"})
		if err != nil {
			b.Fatal(err)
		}
		apis := 0
		for _, s := range pkg.Services {
			apis += len(s.APIs)
		}
		benchGenerate(b, srcs, apis)
	})
	for _, n := range []int{2000, 4000} {
		b.Run(fmt.Sprintf("synthetic-%d", n), func(b *testing.B) { benchGenerate(b, synthetic(n), n) })
	}
}

// TestSyntheticIsValid makes sure the benchmark input generates, and writes
// it to $IVHGEN_SYNTHETIC_DIR when set (for measuring the CLI's peak RSS).
func TestSyntheticIsValid(t *testing.T) {
	srcs := synthetic(250)
	if _, err := generator.Generate(srcs, generator.Config{Package: "ivh"}); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("IVHGEN_SYNTHETIC_DIR"); dir != "" {
		for _, s := range synthetic(2000) {
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(s.Name)), s.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
