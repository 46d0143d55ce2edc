package descriptor

import "gopkg.in/yaml.v3"

// jsonText decodes a field's jsonText: {by: Field, types: {value: Type}}.
func (d *decoder) jsonText(n *yaml.Node) *JSONText {
	j := &JSONText{Pos: d.pos(n)}
	seen := d.mapping(n, "jsonText", []string{"by", "types"}, func(key string, v *yaml.Node) {
		if key == "by" {
			j.By = d.str(v, "by")
			return
		}
		d.jsonCases(j, v)
	})
	d.require(n, "jsonText", seen, "by", "types")
	return j
}

// jsonCases decodes types: a mapping of a value of by to a type name, in
// source order.
func (d *decoder) jsonCases(j *JSONText, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "types must be a mapping of values to type names, not %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		d.errorf(n, "types must not be empty: map each value of by to the type the text then holds")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		val := d.scalar(k, "a jsonText value")
		if !val.Pos.IsValid() {
			continue
		}
		if line, dup := seen[val.Value]; dup {
			d.errorf(k, "jsonText value %q is listed twice (first at line %d)", val.Value, line)
			continue
		}
		seen[val.Value] = k.Line
		j.Cases = append(j.Cases, &JSONCase{Value: val, Type: d.str(v, "a jsonText type")})
	}
}
