package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// lit returns the Go literal of a value: an untyped int or string.
func lit(v model.Value) jen.Code {
	if v.IsInt {
		return intLit(v.Int)
	}
	return jen.Lit(v.Str)
}

// intLit is the untyped decimal literal of v, written from int64 so that
// a generator built for a 32-bit platform neither truncates it nor writes
// other output.
func intLit(v int64) jen.Code { return jen.Op(strconv.FormatInt(v, 10)) }

// emitEnum writes a defined type, its constants and Known.
//
//	type TaskStatus string
//	const (
//		// TaskStatusCommit is "COMMIT". Queued.
//		TaskStatusCommit TaskStatus = "COMMIT"
//	)
//	func (e TaskStatus) Known() bool { switch e { case TaskStatusCommit: return true }; return false }
func emitEnum(f *jen.File, e *model.Enum) {
	doc := e.Doc
	if doc == "" {
		doc = "An enum of the aPaaS API."
	}
	note := "A value the server sends that is not listed here still decodes; Known reports false for it."
	if e.Open {
		note = "The server may extend this set: Validate accepts any value, and Known reports false for one not listed here."
	}
	f.Add(docComment(leadSentence(e.GoIdent.GoName, firstParagraph(doc)), restParagraphs(doc), note))
	base := jen.String()
	if e.IsInt {
		base = jen.Int()
	}
	f.Type().Id(e.GoIdent.GoName).Add(base)
	f.Line()
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, v := range e.Values {
			g.Add(docComment(strings.TrimSpace(fmt.Sprintf("%s is %s. %s", v.GoIdent.GoName, literalText(v.Value), v.Doc))))
			g.Id(v.GoIdent.GoName).Id(e.GoIdent.GoName).Op("=").Add(lit(v.Value))
		}
	})
	f.Line()
	f.Add(docComment(fmt.Sprintf("Known reports whether e is one of the %s values this package declares.", e.GoIdent.GoName)))
	f.Func().Params(jen.Id("e").Id(e.GoIdent.GoName)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("e")).Block(jen.Case(enumConsts(e)...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	f.Line()
	if e.IsInt {
		emitEnumString(f, e)
	}
}

// emitEnumString writes String for an int enum, so that statuses print by
// name (fmt, logs, the CLI's progress lines) while JSON keeps the number.
//
//	func (e SessionStatus) String() string {
//		switch e {
//		case SessionStatusPreparing:
//			return "preparing"
//		}
//		return "SessionStatus(" + strconv.Itoa(int(e)) + ")"
//	}
func emitEnumString(f *jen.File, e *model.Enum) {
	name := e.GoIdent.GoName
	f.Add(docComment(fmt.Sprintf("String returns the name of a %s value in lower case, such as %q, or %s(n) for a value this package does not declare.",
		name, enumLabel(e, e.Values[0]), name)))
	f.Func().Params(jen.Id("e").Id(name)).Id("String").Params().String().Block(
		jen.Switch(jen.Id("e")).BlockFunc(func(g *jen.Group) {
			seen := map[int64]bool{}
			for _, v := range e.Values {
				if seen[v.Value.Int] {
					continue // an alias of a value already named
				}
				seen[v.Value.Int] = true
				g.Case(jen.Id(v.GoIdent.GoName)).Block(jen.Return(jen.Lit(enumLabel(e, v))))
			}
		}),
		jen.Return(jen.Lit(name+"(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Call(jen.Id("e"))).Op("+").Lit(")")),
	)
	f.Line()
}

// enumLabel is a value's constant name without the enum's name, in lower
// case words: SessionStatusInProgress is "in progress".
func enumLabel(e *model.Enum, v *model.EnumValue) string {
	rest := strings.TrimPrefix(v.GoIdent.GoName, e.GoIdent.GoName)
	if rest == "" {
		rest = v.GoIdent.GoName
	}
	var b strings.Builder
	runes := []rune(rest)
	for i, r := range runes {
		upper := r >= 'A' && r <= 'Z'
		if i > 0 && upper && (runes[i-1] < 'A' || runes[i-1] > 'Z' || (i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z')) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

func enumConsts(e *model.Enum) []jen.Code {
	out := make([]jen.Code, len(e.Values))
	for i, v := range e.Values {
		out[i] = jen.Id(v.GoIdent.GoName)
	}
	return out
}

// literalText writes a value for a doc comment, quoted when a string.
func literalText(v model.Value) string {
	if v.IsInt {
		return v.Text()
	}
	return strconv.Quote(v.Str)
}
