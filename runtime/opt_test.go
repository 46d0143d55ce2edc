package runtime_test

import (
	"encoding/json"
	"testing"

	"github.com/ivhgen/ivhgen/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type optReq struct {
	Speed runtime.Opt[float64] `json:"Speed,omitzero"`
	Name  runtime.Opt[string]  `json:"Name,omitzero"`
}

// TestOpt: unset fields are omitted, set zero values are sent.
func TestOpt(t *testing.T) {
	b, err := json.Marshal(optReq{Speed: runtime.Of(0.0)})
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
	assert.Equal(t, runtime.Of("x"), runtime.FromPtr(&s))
	assert.False(t, runtime.FromPtr[string](nil).IsSet())
	b, _ = runtime.Opt[int]{}.MarshalJSON()
	assert.Equal(t, "null", string(b))
	assert.True(t, runtime.Opt[int]{}.IsZero())
}

type enumT string

func (e enumT) Known() bool { return e == "A" }

// TestViolations: every helper records a message at its path.
func TestViolations(t *testing.T) {
	var vs runtime.Violations
	assert.Nil(t, vs.Err())
	runtime.Min(&vs, runtime.Join("", "A"), 1, 2)
	runtime.Max(&vs, runtime.Join("P", "B"), 3.5, 2)
	runtime.MinLength(&vs, runtime.Index("L", 0), "é", 2)
	runtime.MaxLength(&vs, runtime.Key("M", "k"), "ééé", 2)
	runtime.MaxItems(&vs, "Items", 3, 2)
	runtime.MaxItems(&vs, "One", 1, 0)
	runtime.RequireString(&vs, "S", "")
	runtime.RequireItems(&vs, "R", 0)
	runtime.KnownEnum(&vs, "E", enumT("Z"))
	runtime.KnownEnum(&vs, "E2", enumT("A"))
	runtime.Min(&vs, "ok", 3, 2)
	err := vs.Err()
	var ve *runtime.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "invalid request: A: 1 is below the minimum 2; P.B: 3.5 is above the maximum 2; "+
		"L[0]: length 1 is below the minimum 2; M[\"k\"]: length 3 is above the maximum 2; "+
		"Items: 3 items is above the maximum 2; One: 1 item is above the maximum 0; S: is required; R: is required; E: Z is not a known value", err.Error())
	assert.Len(t, ve.Violations, 9)
}
