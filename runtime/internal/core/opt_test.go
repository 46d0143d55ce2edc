package core_test

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type optReq struct {
	Speed core.Opt[float64] `json:"Speed,omitzero"`
	Name  core.Opt[string]  `json:"Name,omitzero"`
}

// TestOpt: unset fields are omitted, set zero values are sent.
func TestOpt(t *testing.T) {
	b, err := json.Marshal(optReq{Speed: core.Of(0.0)})
	require.NoError(t, err)
	assert.Equal(t, `{"Speed":0}`, string(b))

	var r optReq
	require.NoError(t, json.Unmarshal([]byte(`{"Speed":1.5,"Name":null}`), &r))
	v, ok := r.Speed.Get()
	assert.True(t, ok && v == 1.5)
	assert.False(t, r.Name.IsSet())
	assert.Equal(t, "d", r.Name.Or("d"))
	assert.Equal(t, 1.5, r.Speed.Or(9))
	assert.Nil(t, r.Name.Ptr())
	assert.Equal(t, 1.5, *r.Speed.Ptr())
	assert.Equal(t, "", r.Name.Value())
	assert.Error(t, json.Unmarshal([]byte(`{"Speed":"x"}`), &r))

	s := "x"
	assert.Equal(t, core.Of("x"), core.FromPtr(&s))
	assert.False(t, core.FromPtr[string](nil).IsSet())
	b, _ = core.Opt[int]{}.MarshalJSON()
	assert.Equal(t, "null", string(b))
	var unset core.Opt[int]
	assert.True(t, unset.IsZero())
	set := core.Of(0)
	assert.False(t, set.IsZero())
}

type enumT string

func (e enumT) Known() bool { return e == "A" }

// TestViolations: every helper records a message at its path.
func TestViolations(t *testing.T) {
	var vs core.Violations
	assert.Nil(t, vs.Err())
	core.Min(&vs, core.Join("", "A"), 1, 2)
	core.Max(&vs, core.Join("P", "B"), 3.5, 2)
	core.MinLength(&vs, core.Index("L", 0), "é", 2)
	core.MaxLength(&vs, core.Key("M", "k"), "ééé", 2)
	core.MaxItems(&vs, "Items", 3, 2)
	core.MaxItems(&vs, "One", 1, 0)
	core.RequireString(&vs, "S", "")
	core.RequireItems(&vs, "R", 0)
	core.KnownEnum(&vs, "E", enumT("Z"))
	core.KnownEnum(&vs, "E2", enumT("A"))
	core.Min(&vs, "ok", 3, 2)
	err := vs.Err()
	var ve *core.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "invalid request: A: 1 is below the minimum 2; P.B: 3.5 is above the maximum 2; "+
		"L[0]: length 1 is below the minimum 2; M[\"k\"]: length 3 is above the maximum 2; "+
		"Items: 3 items is above the maximum 2; One: 1 item is above the maximum 0; S: is required; R: is required; E: Z is not a known value", err.Error())
	assert.Len(t, ve.Violations, 9)
}

type (
	namedString string
	namedInt    int8
	namedFloat  float32
	textInt     int
	namedBool   bool
)

func (t textInt) MarshalText() ([]byte, error) { return []byte("t" + strconv.Itoa(int(t))), nil }

// optMatchesPlain fails unless Of(v) encodes exactly as v does.
func optMatchesPlain[T any](t *testing.T, v T) {
	t.Helper()
	want, werr := json.Marshal(v)
	got, gerr := json.Marshal(core.Of(v))
	if werr != nil {
		assert.Error(t, gerr, "%T %v", v, v)
		return
	}
	require.NoError(t, gerr, "%T %v", v, v)
	assert.Equal(t, string(want), string(got), "%T %v", v, v)
}

// TestOptEncodesAsPlain: Opt's own scalar encoder writes the bytes
// encoding/json writes for the bare value, escapes and number forms included.
func TestOptEncodesAsPlain(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\`, "<a&b>", "\x00\x1f\b\f\n\r\t\x7f", "é日本\U0001F600", "\u2028\u2029", "bad\xffutf8\xc3", "a\xe2\x80"} {
		optMatchesPlain(t, s)
		optMatchesPlain(t, namedString(s))
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1.5, -2, 1e-7, 1e-6, 123456789, 1e20, 1e21, 1.7976931348623157e308, 5e-324, math.NaN(), math.Inf(1)} {
		optMatchesPlain(t, f)
		optMatchesPlain(t, float32(f))
		optMatchesPlain(t, namedFloat(f))
	}
	for _, n := range []int64{0, -1, math.MaxInt64, math.MinInt64} {
		optMatchesPlain(t, n)
		optMatchesPlain(t, int(n))
		optMatchesPlain(t, uint64(n))
		optMatchesPlain(t, namedInt(n))
		optMatchesPlain(t, textInt(n))
	}
	optMatchesPlain(t, true)
	optMatchesPlain(t, false)
	optMatchesPlain(t, namedBool(true))
	optMatchesPlain[any](t, nil)
	optMatchesPlain[any](t, "in an interface")
	optMatchesPlain(t, []int{1, 2})
	optMatchesPlain(t, struct{ A int }{3})
	optMatchesPlain(t, json.RawMessage(`{"a":1}`))
}

// TestOptOmitzeroByValue: the pointer-receiver IsZero still omits unset
// fields when encoding/json gets a struct value (nothing addressable).
func TestOptOmitzeroByValue(t *testing.T) {
	b, err := json.Marshal(optReq{Name: core.Of("")})
	require.NoError(t, err)
	assert.Equal(t, `{"Name":""}`, string(b))
	b, err = json.Marshal([]optReq{{}, {Speed: core.Of(2.5)}})
	require.NoError(t, err)
	assert.Equal(t, `[{},{"Speed":2.5}]`, string(b))
	b, err = json.Marshal(map[string]optReq{"k": {}})
	require.NoError(t, err)
	assert.Equal(t, `{"k":{}}`, string(b))
}

// FuzzOptString: any string, valid UTF-8 or not, encodes as encoding/json
// encodes it.
func FuzzOptString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", "\u2028x\xff", "\x00\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got, err := core.Of(s).MarshalJSON()
		if err != nil || string(got) != string(want) {
			t.Fatalf("%q: got %s (%v), want %s", s, got, err, want)
		}
	})
}

// FuzzOptFloat: any float64 encodes as encoding/json encodes it, or fails
// where it fails.
func FuzzOptFloat(f *testing.F) {
	for _, v := range []float64{0, 1e-7, 1e21, -3.25} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		want, werr := json.Marshal(v)
		got, gerr := core.Of(v).MarshalJSON()
		if (werr != nil) != (gerr != nil) || string(got) != string(want) {
			t.Fatalf("%v: got %s (%v), want %s (%v)", v, got, gerr, want, werr)
		}
	})
}
