package descriptor

import "gopkg.in/yaml.v3"

// Provenances are the values of provenance:, at file, api and field level.
// documented says the vendor's documents confirm the value; it overrides
// a default and adds no note.
var Provenances = []string{"code", "unverified", "cn-only", "documented"}

func (d *decoder) provenance(v *yaml.Node) String {
	return d.oneOf(v, "provenance", Provenances...)
}

// applyProvenance gives every field of f without its own provenance the
// default of its API, or else of the file: a field's tag overrides its
// API's, which overrides the file's. Fields of inline objects count as
// fields of the API or type they are in.
func applyProvenance(f *File) {
	for _, t := range f.Types {
		defaultProvenance(t.Fields, f.Provenance)
	}
	for _, c := range f.Callbacks {
		defaultProvenance(c.Fields, f.Provenance)
	}
	for _, c := range f.Channels {
		for _, u := range c.Upstream {
			defaultProvenance(u.Fields, f.Provenance)
		}
		for _, m := range c.Downstream {
			defaultProvenance(m.Fields, f.Provenance)
		}
	}
	for _, a := range f.APIs {
		def := f.Provenance
		if a.Provenance.Set() {
			def = a.Provenance
		}
		for _, b := range []*Body{a.Request, a.Response} {
			if b != nil {
				defaultProvenance(b.Fields, def)
			}
		}
	}
}

// defaultProvenance sets def on the fields that give none, at any depth.
func defaultProvenance(fields []*Field, def String) {
	for _, fd := range fields {
		if fd == nil {
			continue
		}
		if !fd.Provenance.Set() {
			fd.Provenance = def
		}
		defaultProvenance(fd.Fields, def)
	}
}
