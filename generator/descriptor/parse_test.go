package descriptor

import (
	"strings"
	"testing"
)

// TestParseCapsTheSize: a descriptor over MaxSize is one clear error, read
// no further.
func TestParseCapsTheSize(t *testing.T) {
	data := make([]byte, MaxSize+1)
	_, err := Parse("big.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "big.yaml:1:1: descriptor is larger than 4 MiB") {
		t.Errorf("Parse(%d bytes) = %v", len(data), err)
	}
}

// TestNumberIsExact: integer bounds never pass through float64.
func TestNumberIsExact(t *testing.T) {
	for text, want := range map[string]string{
		"9223372036854775807": "9223372036854775807", "9007199254740993": "9007199254740993",
		"-9223372036854775808": "-9223372036854775808", "0x10": "16",
	} {
		f, err := Parse("x.yaml", []byte("types:\n  T:\n    fields:\n      - {name: A, type: int64, doc: A., min: "+text+"}\n"))
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if got := f.Types[0].Fields[0].Min; got.Text != want || !got.IsInt {
			t.Errorf("min %s: Text %q IsInt %v, want %q", text, got.Text, got.IsInt, want)
		}
	}
	for _, text := range []string{"9223372036854775808", "99999999999999999999", "1e-400", "1e400"} {
		_, err := Parse("x.yaml", []byte("types:\n  T:\n    fields:\n      - {name: A, type: float, doc: A., min: "+text+"}\n"))
		if err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("min %s: %v, want an out of range error", text, err)
		}
	}
}
