package flex

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInt(t *testing.T) {
	for in, want := range map[string]int64{`7`: 7, `"7"`: 7, `" -12 "`: -12, `3.0`: 3, `"1e3"`: 1000, `100008`: 100008} {
		n, null, err := Int([]byte(in))
		assert.NoError(t, err, in)
		assert.False(t, null, in)
		assert.Equal(t, want, n, in)
	}
	_, null, err := Int([]byte(`null`))
	assert.True(t, null)
	assert.NoError(t, err)
	for _, bad := range []string{`1.5`, `"x"`, `true`, `""`, `1e300`, `"\u0031"x`} {
		_, _, err := Int([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func TestStringAndBool(t *testing.T) {
	for in, want := range map[string]string{`"a"`: "a", `1234567`: "1234567", `1.50`: "1.50", `"\u002b"`: "+"} {
		s, _, err := String([]byte(in))
		assert.NoError(t, err, in)
		assert.Equal(t, want, s, in)
	}
	_, _, err := String([]byte(`{}`))
	assert.Error(t, err)
	for in, want := range map[string]bool{`1`: true, `"false"`: false, `true`: true} {
		v, _, err := Bool([]byte(in))
		assert.NoError(t, err, in)
		assert.Equal(t, want, v, in)
	}
	_, _, err = Bool([]byte(`2`))
	assert.Error(t, err)
}

func BenchmarkIntDigits(b *testing.B) {
	in := []byte(`100008`)
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = Int(in)
	}
}
