package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// structDoc is the doc comment of a struct type, by role.
func structDoc(s *model.Struct) jen.Code {
	switch s.Role {
	case model.RoleRequest:
		return docComment(fmt.Sprintf("%s is the request Payload of %s. Validate checks it before it is sent.", s.GoIdent.GoName, s.Owner.Name), constraintsDoc(s))
	case model.RoleResponse:
		return docComment(fmt.Sprintf("%s is the response Payload of %s. Fields the server adds later are ignored.", s.GoIdent.GoName, s.Owner.Name))
	}
	if s.Doc == "" {
		return docComment(s.GoIdent.GoName + " is a type of the aPaaS API.")
	}
	return docComment(leadSentence(s.GoIdent.GoName, firstParagraph(s.Doc)), restParagraphs(s.Doc), constraintsDoc(s))
}

// emitStruct writes the struct and, for request types, its validation.
//
//	type VideoMakeRequest struct {
//		// Avatar key.
//		VirtualmanKey string `json:"VirtualmanKey"`
//		InputSsml ivhrt.Opt[string] `json:"InputSsml,omitzero"`
//	}
func emitStruct(f *jen.File, s *model.Struct) {
	f.Add(structDoc(s))
	f.Type().Id(s.GoIdent.GoName).StructFunc(func(g *jen.Group) {
		for i, fd := range s.Fields {
			if i > 0 {
				g.Line()
			}
			g.Add(docComment(fieldDoc(fd, s.Validates)))
			g.Id(fd.Name).Add(fieldType(fd)).Tag(map[string]string{"json": jsonTag(fd)})
		}
	})
	f.Line()
	emitJSONTexts(f, s)
	if s.Role == model.RoleRequest {
		emitValidate(f, s)
	}
	if s.Validates && s.HasChecks {
		emitValidateFields(f, s)
	}
}

// jsonTag is the wire name, with omitzero for optional fields.
func jsonTag(f *model.Field) string {
	if f.Required || f.Autofill {
		return f.Wire
	}
	return f.Wire + ",omitzero"
}

// fieldDoc is the doc of a field followed, in the same paragraph, by its
// provenance note and what Validate checks.
func fieldDoc(f *model.Field, checked bool) string {
	doc := strings.TrimSpace(f.Doc)
	if f.Provenance != "" {
		doc += " " + f.Provenance
	}
	if c := constraintText(f); c != "" && checked {
		doc += " " + c
	}
	if f.Default != "" {
		doc += " The server uses " + f.Default + " when it is not set."
	}
	if f.Autofill && checked {
		doc += " When empty, the client fills in a fresh request id (32 lower-case hex digits) before sending."
	}
	return doc
}

// constraintText summarises the checks Validate makes on f.
func constraintText(f *model.Field) string {
	var s string
	add := func(format string, args ...any) {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf(format, args...)
	}
	if f.Required && !f.Autofill && !f.AllowEmpty {
		add("required")
	}
	if f.Min.Set() {
		add("minimum %s", f.Min.Text)
	}
	if f.Max.Set() {
		add("maximum %s", f.Max.Text)
	}
	if f.MinLength.Set() {
		add("at least %s", plural(f.MinLength.Value, "character"))
	}
	if f.MaxLength.Set() {
		add("at most %s", plural(f.MaxLength.Value, "character"))
	}
	if f.MaxItems.Set() {
		add("at most %s", plural(f.MaxItems.Value, "item"))
	}
	for _, c := range constraintTextII(f) {
		add("%s", c)
	}
	if s == "" {
		return ""
	}
	return "Checks: " + s + "."
}

// plural writes a count and its noun, adding "s" unless the count is 1.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// firstParagraph and restParagraphs split a doc so a name can lead it.
func firstParagraph(doc string) string {
	if ps := splitParagraphs(doc); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

func restParagraphs(doc string) string {
	ps := splitParagraphs(doc)
	if len(ps) < 2 {
		return ""
	}
	return strings.Join(ps[1:], "\n\n")
}
