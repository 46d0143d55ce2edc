package generator_test

import (
	"testing"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/emit"
)

// BenchmarkStages splits synthetic-2000 into the decode+resolve stages and
// the render stage, to show where time goes.
func BenchmarkStages(b *testing.B) {
	srcs := synthetic(2000)
	b.Run("model", func(b *testing.B) {
		for b.Loop() {
			if _, err := generator.Model(srcs, generator.Config{Package: "ivh"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render", func(b *testing.B) {
		pkg, err := generator.Model(srcs, generator.Config{Package: "ivh"})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := emit.Render(pkg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
