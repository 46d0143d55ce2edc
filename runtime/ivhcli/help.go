package ivhcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"
	"text/tabwriter"
)

// schema is the part of a request's JSON Schema that help reads.
type schema struct {
	Ref         string             `json:"$ref"`
	Type        string             `json:"type"`
	Description string             `json:"description"`
	Properties  map[string]*schema `json:"properties"`
	Required    []string           `json:"required"`
	Items       *schema            `json:"items"`
	Additional  *schema            `json:"additionalProperties"`
	Enum        []any              `json:"enum"`
	Default     any                `json:"default"`
	Defs        map[string]*schema `json:"$defs"`

	Minimum   json.Number `json:"minimum"`
	Maximum   json.Number `json:"maximum"`
	ExMin     json.Number `json:"exclusiveMinimum"`
	ExMax     json.Number `json:"exclusiveMaximum"`
	MinLength *int        `json:"minLength"`
	MaxLength *int        `json:"maxLength"`
	MaxBytes  *int        `json:"x-maxBytes"`
	MinItems  *int        `json:"minItems"`
	MaxItems  *int        `json:"maxItems"`
}

// printSchema writes the request schema, indented.
func printSchema(w io.Writer, raw string) error {
	if raw == "" {
		return fail(ExitUsage, "this package was generated without request schemas; regenerate it")
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(raw), "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := buf.WriteTo(w)
	return err
}

// printHelp writes an API's doc, its request's fields (name, type,
// required, constraints, doc) and an example payload.
func printHelp(w io.Writer, cmd, api, doc, raw string, waits, pages bool) error {
	var s schema
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return fail(ExitUsage, "%s: no request schema (%v); regenerate the package", api, err)
	}
	fmt.Fprintf(w, "%s %s: %s\n\nRequest fields (-d JSON):\n\n", cmd, api, doc)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tTYPE\tREQUIRED\tCONSTRAINTS\tDOC")
	s.fields(tw, "", 0)
	tw.Flush()
	ex, _ := json.MarshalIndent(s.example(&s, 0), "", "  ")
	fmt.Fprintf(w, "\nExample payload (required fields):\n\n%s\n", ex)
	if waits {
		fmt.Fprintf(w, "\n%s -wait %s ... polls until the task ends.\n", cmd, api)
	}
	if pages {
		fmt.Fprintf(w, "\n%s -all %s ... prints every page's items as one JSON array (-lines: JSON Lines).\n", cmd, api)
	}
	return nil
}

// resolve follows a $ref into root's $defs, keeping the referring schema's
// own keywords (enum subsets, defaults) on top.
func (s *schema) resolve(root *schema) (*schema, string) {
	if s.Ref == "" {
		return s, ""
	}
	name := s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	if d := root.Defs[name]; d != nil {
		merged := *d
		if s.Enum != nil {
			merged.Enum = s.Enum
		}
		if s.Default != nil {
			merged.Default = s.Default
		}
		if s.Description != "" {
			merged.Description = s.Description
		}
		return &merged, name
	}
	return s, name
}

// fields writes one row per property, nested objects' fields below theirs
// as Parent.Field.
func (s *schema) fields(tw io.Writer, prefix string, depth int) { s.walk(s, tw, prefix, depth) }

func (s *schema) walk(root *schema, tw io.Writer, prefix string, depth int) {
	req := map[string]bool{}
	for _, n := range s.Required {
		req[n] = true
	}
	for _, name := range sortedKeys(s.Properties) {
		p, typeName := s.Properties[name].resolve(root)
		mark := ""
		if req[name] {
			mark = "yes"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\n", prefix, name, p.typeText(root, typeName), mark, p.constraints(), oneLine(p.Description))
		if obj := p.object(root); obj != nil && depth < 3 {
			obj.walk(root, tw, prefix+name+".", depth+1)
		}
	}
}

// object is the object schema a field holds, directly or as array items.
func (s *schema) object(root *schema) *schema {
	if s.Items != nil {
		it, _ := s.Items.resolve(root)
		return it.object(root)
	}
	if len(s.Properties) > 0 {
		return s
	}
	return nil
}

func (s *schema) typeText(root *schema, name string) string {
	switch {
	case s.Items != nil:
		it, n := s.Items.resolve(root)
		return "[]" + it.typeText(root, n)
	case s.Additional != nil:
		v, n := s.Additional.resolve(root)
		return "map[string]" + v.typeText(root, n)
	case name != "" && s.Type == "object":
		return name
	case name != "":
		return name + " (" + s.Type + ")"
	case s.Type == "":
		return "any JSON"
	}
	return s.Type
}

// constraints lists the field's checks in the descriptor's words.
func (s *schema) constraints() string {
	var out []string
	add := func(k string, v json.Number) {
		if v != "" {
			out = append(out, k+string(v))
		}
	}
	add(">=", s.Minimum)
	add("<=", s.Maximum)
	add(">", s.ExMin)
	add("<", s.ExMax)
	for _, c := range []struct {
		k string
		v *int
	}{{"minLength ", s.MinLength}, {"maxLength ", s.MaxLength}, {"maxBytes ", s.MaxBytes}, {"minItems ", s.MinItems}, {"maxItems ", s.MaxItems}} {
		if c.v != nil {
			out = append(out, fmt.Sprint(c.k, *c.v))
		}
	}
	if n := len(s.Enum); n > 8 {
		out = append(out, fmt.Sprintf("one of %s ... (%d values; see schema)", strings.Trim(fmt.Sprint(s.Enum[:6]), "[]"), n))
	} else if n > 0 {
		out = append(out, "one of "+strings.Trim(fmt.Sprint(s.Enum), "[]"))
	}
	if s.Default != nil {
		out = append(out, fmt.Sprint("default ", s.Default))
	}
	return strings.Join(out, ", ")
}

// example is a value of the schema with every required field filled.
func (s *schema) example(root *schema, depth int) any {
	s, _ = s.resolve(root)
	switch {
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Items != nil:
		return []any{s.Items.example(root, depth+1)}
	case len(s.Properties) > 0 || s.Type == "object":
		out := map[string]any{}
		for _, n := range s.Required {
			if p := s.Properties[n]; p != nil && depth < 5 {
				out[n] = p.example(root, depth+1)
			}
		}
		return out
	}
	return s.scalarExample()
}

func (s *schema) scalarExample() any {
	switch s.Type {
	case "string":
		return "..."
	case "integer", "number":
		if s.Minimum != "" {
			return s.Minimum
		}
		return 1
	case "boolean":
		return true
	}
	return map[string]any{}
}

func sortedKeys(m map[string]*schema) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxAllItems caps what -all collects before printing: a server whose
// Total claims billions of items must end in an error, not in running out
// of memory. -lines streams and has no cap.
const maxAllItems = 1 << 20

// printPages writes every item of a paged API: one JSON array, or one
// line per item as it arrives.
func printPages(w io.Writer, items iter.Seq2[any, error], lines bool) error {
	enc := json.NewEncoder(w)
	all := []any{}
	for it, err := range items {
		if err != nil {
			return err
		}
		if lines {
			if err := enc.Encode(it); err != nil {
				return err
			}
			continue
		}
		if len(all) == maxAllItems {
			return fail(ExitUsage, "-all holds at most %d items in memory and the server has more; stream them with -all -lines", maxAllItems)
		}
		all = append(all, it)
	}
	if lines {
		return nil
	}
	return printJSON(w, all)
}
