package descriptor

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestSchemaMatchesDecoder keeps spec/descriptor.schema.json true: each
// object in it allows exactly the keys the decoder accepts.
func TestSchemaMatchesDecoder(t *testing.T) {
	data, err := os.ReadFile("../../spec/descriptor.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Items      *object                    `json:"items"`
	}
	var schema struct {
		object
		Definitions map[string]object `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	keys := func(o object) []string {
		var out []string
		for k := range o.Properties {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	var errTableCodes object
	_ = json.Unmarshal(schema.Definitions["errorTable"].Properties["codes"], &errTableCodes)
	var enumValues object
	_ = json.Unmarshal(schema.Definitions["enumDecl"].Properties["values"], &enumValues)
	var prov struct {
		Definitions struct{ Provenance struct{ Enum []string } }
	}
	_ = json.Unmarshal(data, &prov)
	if !slices.Equal(prov.Definitions.Provenance.Enum, Provenances) {
		t.Errorf("schema provenance values %v, decoder values %v", prov.Definitions.Provenance.Enum, Provenances)
	}
	for name, tc := range map[string]struct {
		o    object
		want []string
	}{
		"root":       {schema.object, fileKeys},
		"field":      {schema.Definitions["field"], fieldKeys},
		"api":        {schema.Definitions["api"], apiKeys},
		"async":      {schema.Definitions["async"], asyncKeys},
		"paging":     {schema.Definitions["paging"], pagingKeys},
		"typeDecl":   {schema.Definitions["typeDecl"], []string{"doc", "fields"}},
		"enumDecl":   {schema.Definitions["enumDecl"], []string{"type", "doc", "values", "open"}},
		"enum value": {*enumValues.Items, []string{"value", "name", "doc"}},
		"errorTable": {schema.Definitions["errorTable"], []string{"table", "kind", "doc", "codes"}},
		"code":       {*errTableCodes.Items, []string{"code", "name", "category", "doc"}},
		"callback":   {schema.Definitions["callback"], callbackKeys},
		"body":       {schema.Definitions["body"], bodyKeys},
		"constraint": {schema.Definitions["constraint"], constraintKeys},
		"channel":    {schema.Definitions["channel"], channelKeys},
		"signed":     {schema.Definitions["signedParam"], []string{"name", "value"}},
		"command":    {schema.Definitions["command"], commandKeys},
		"message":    {schema.Definitions["message"], []string{"type", "name", "doc", "fields"}},
		"session":    {schema.Definitions["session"], sessionKeys},
	} {
		want := slices.Sorted(slices.Values(tc.want))
		if got := keys(tc.o); !slices.Equal(got, want) {
			t.Errorf("%s: schema keys %v, decoder keys %v", name, got, want)
		}
	}
}
