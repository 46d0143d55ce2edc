package descriptor

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var fileKeys = []string{"service", "doc", "pathPrefix", "provenance", "types", "enums", "apis", "errorCodes", "callbacks", "channels"}

// file_ decodes the top-level mapping.
func (d *decoder) file_(n *yaml.Node) *File {
	f := &File{Name: d.file}
	seen := d.mapping(n, "the descriptor", fileKeys, func(key string, v *yaml.Node) {
		switch key {
		case "service":
			f.Service = d.str(v, "service")
		case "doc":
			f.Doc = d.text(v, "doc")
		case "pathPrefix":
			f.PathPrefix = d.path(v, "pathPrefix")
		case "provenance":
			f.Provenance = d.provenance(v)
		case "types":
			d.named(v, "types", func(name String, body *yaml.Node) { f.Types = append(f.Types, d.typeDecl(name, body)) })
		case "enums":
			d.named(v, "enums", func(name String, body *yaml.Node) { f.Enums = append(f.Enums, d.enumDecl(name, body)) })
		case "apis":
			d.list(v, "apis", func(item *yaml.Node) { f.APIs = append(f.APIs, d.api(item)) })
		case "errorCodes":
			d.list(v, "errorCodes", func(item *yaml.Node) { f.ErrorTables = append(f.ErrorTables, d.errorTable(item)) })
		case "callbacks":
			d.list(v, "callbacks", func(item *yaml.Node) { f.Callbacks = append(f.Callbacks, d.callback(item)) })
		case "channels":
			d.list(v, "channels", func(item *yaml.Node) { f.Channels = append(f.Channels, d.channel(item)) })
		}
	})
	if seen != nil && seen["service"] == nil && (len(f.APIs) > 0 || len(f.Channels) > 0 || seen["pathPrefix"] != nil) {
		d.errorf(n, "a descriptor with apis or pathPrefix needs a service name")
	}
	applyProvenance(f)
	return f
}

// named walks a mapping of name → declaration, keeping source order.
func (d *decoder) named(n *yaml.Node, what string, fn func(name String, body *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of names, not %s", what, kindName(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := d.str(k, "a name in "+what)
		if !name.Set() {
			continue
		}
		if line, dup := seen[name.Value]; dup {
			d.errorf(k, "duplicate name %q in %s (first at line %d)", name.Value, what, line)
			continue
		}
		seen[name.Value] = k.Line
		fn(name, v)
	}
}

// path decodes a wire path: it starts with a slash and holds only URL-safe
// characters.
func (d *decoder) path(n *yaml.Node, what string) String {
	s := d.str(n, what)
	if !s.Set() {
		return s
	}
	bad := strings.IndexFunc(s.Value, func(r rune) bool {
		return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("/-_.~", r))
	})
	switch {
	case !strings.HasPrefix(s.Value, "/"):
		d.errorf(n, "%s %q must start with /", what, s.Value)
	case bad >= 0:
		r, _ := utf8.DecodeRuneInString(s.Value[bad:])
		d.errorf(n, "%s %q holds %q; use ASCII letters, digits and - _ . ~ /", what, s.Value, r)
	case strings.Contains(s.Value, "//") || strings.HasSuffix(s.Value, "/"):
		d.errorf(n, "%s %q has an empty segment", what, s.Value)
	default:
		return s
	}
	return String{}
}

// wireName decodes a JSON key. It is restricted so that it can sit in a
// struct tag and a message verbatim.
func (d *decoder) wireName(n *yaml.Node) String {
	s := d.str(n, "field name")
	if !s.Set() {
		return s
	}
	for _, r := range s.Value {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.$@", r) {
			d.errorf(n, "field name %q holds %q; use letters, digits and _ - . $ @", s.Value, r)
			return String{}
		}
	}
	if s.Value == "-" {
		d.errorf(n, `field name "-" cannot be a JSON key in Go`)
		return String{}
	}
	return s
}

func (d *decoder) typeDecl(name String, n *yaml.Node) *TypeDecl {
	t := &TypeDecl{Name: name}
	what := label("type", name.Value)
	seen := d.mapping(n, what, []string{"doc", "fields"}, func(key string, v *yaml.Node) {
		switch key {
		case "doc":
			t.Doc = d.text(v, "doc")
		case "fields":
			t.Fields = d.fields(v)
		}
	})
	d.require(n, what, seen, "fields")
	return t
}

func (d *decoder) enumDecl(name String, n *yaml.Node) *EnumDecl {
	e := &EnumDecl{Name: name}
	what := label("enum", name.Value)
	var values *yaml.Node
	seen := d.mapping(n, what, []string{"type", "doc", "values", "open"}, func(key string, v *yaml.Node) {
		switch key {
		case "open":
			e.Open = d.boolean(v, "open")
		case "type":
			e.Type = d.oneOf(v, "enum type", "string", "int")
		case "doc":
			e.Doc = d.text(v, "doc")
		case "values":
			values = v
		}
	})
	d.require(n, what, seen, "type", "values")
	if values != nil {
		d.nonEmptyList(values, "values", func(item *yaml.Node) { e.Values = append(e.Values, d.enumValue(item, e.Type.Value)) })
	}
	return e
}

func (d *decoder) enumValue(n *yaml.Node, typ string) *EnumValue {
	ev := &EnumValue{Pos: d.pos(n)}
	seen := d.mapping(n, "an enum value", []string{"value", "name", "doc"}, func(key string, v *yaml.Node) {
		switch key {
		case "value":
			ev.Value = d.scalar(v, "enum value")
			switch {
			case typ == "int" && ev.Value.Pos.IsValid() && !ev.Value.IsInt:
				d.errorf(v, "value %q of an int enum must be an integer", v.Value)
			case typ == "int" && ev.Value.IsInt && !FitsInt(ev.Value.Value):
				d.errorf(v, "value %s of an int enum is out of range of int on 32-bit platforms (%s)", ev.Value.Value, IntRange)
			case typ == "string" && ev.Value.IsInt:
				d.errorf(v, "value %s of a string enum must be a string; quote it", v.Value)
			}
		case "name":
			ev.Name = d.str(v, "name")
		case "doc":
			ev.Doc = d.text(v, "doc")
		}
	})
	d.require(n, "an enum value", seen, "value")
	return ev
}
