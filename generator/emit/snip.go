package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// Import paths of everything generated code refers to, the client package
// aside. Files get these names through importNames, so no file ever guesses
// an alias.
const (
	ivhrtPath       = "github.com/ivhgen/ivhgen/runtime/ivhrt"
	ivhimplPath     = "github.com/ivhgen/ivhgen/runtime/ivhimpl"
	channelPath     = "github.com/ivhgen/ivhgen/runtime/channel"
	channeltestPath = "github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	fakegwPath      = "github.com/ivhgen/ivhgen/runtime/fakegw"
	contextPath     = "context"
	errorsPath      = "errors"
	fmtPath         = "fmt"
	iterPath        = "iter"
	jsonPath        = "encoding/json"
	httpPath        = "net/http"
	urlPath         = "net/url"
	mapsPath        = "maps"
	slicesPath      = "slices"
	strconvPath     = "strconv"
)

var importNames = map[string]string{
	ivhrtPath: "ivhrt", ivhimplPath: "ivhimpl", channelPath: "channel", channeltestPath: "channeltest", fakegwPath: "fakegw",
	contextPath: "context", errorsPath: "errors", fmtPath: "fmt", iterPath: "iter", jsonPath: "json",
	httpPath: "http", urlPath: "url", mapsPath: "maps", slicesPath: "slices", strconvPath: "strconv",
}

// multiline lays out a composite literal one element per line, like
// jen.Dict, but in the order given rather than sorted by key; multilineArgs
// does the same for call arguments.
var (
	multiline     = jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}
	multilineArgs = jen.Options{Open: "(", Close: ")", Separator: ",", Multi: true}
)

// kv returns the composite literal element `name: v`.
func kv(name string, v jen.Code) *jen.Statement { return jen.Id(name).Op(":").Add(v) }

// isImpl holds implNames.
var isImpl = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range implNames {
		m[n] = true
	}
	return m
}()

// rt returns a runtime name qualified by its package: ivhimpl.<name> for
// what only generated code uses, ivhrt.<name> for the user API.
func rt(name string) *jen.Statement {
	if isImpl[name] {
		return jen.Qual(ivhimplPath, name)
	}
	return jen.Qual(ivhrtPath, name)
}

// ident returns a model identifier, qualified when used outside its package.
func ident(id model.GoIdent) *jen.Statement { return jen.Qual(id.GoImportPath, id.GoName) }

// ctxType returns context.Context.
func ctxType() *jen.Statement { return jen.Qual(contextPath, "Context") }

// goType returns the Go type of t, without Opt.
func goType(t *model.Type) *jen.Statement {
	if t.Named != nil {
		return ident(*t.Named)
	}
	switch t.Kind {
	case model.String:
		return jen.String()
	case model.Int:
		return jen.Int()
	case model.Int64:
		return jen.Int64()
	case model.Float:
		return jen.Float64()
	case model.Bool:
		return jen.Bool()
	case model.JSON:
		return jen.Qual(jsonPath, "RawMessage")
	case model.StructKind:
		return ident(t.Struct.GoIdent)
	case model.EnumKind:
		return ident(t.Enum.GoIdent)
	case model.Array:
		return jen.Index().Add(goType(t.Elem))
	case model.Map:
		return jen.Map(jen.String()).Add(goType(t.Elem))
	}
	panic("emit: unknown type kind") // the model never builds one
}

// fieldType returns the declared type of f: ivhrt.Opt[T] or T.
func fieldType(f *model.Field) *jen.Statement {
	if f.Opt {
		return rt("Opt").Types(goType(f.Type))
	}
	return goType(f.Type)
}

// valueOf returns an expression of f's plain value read from recv:
// recv.F or recv.F.Value().
func valueOf(recv string, f *model.Field) *jen.Statement {
	if f.Opt {
		return jen.Id(recv).Dot(f.Name).Dot("Value").Call()
	}
	return jen.Id(recv).Dot(f.Name)
}

// assign returns `recv.F = v` or `recv.F = ivhrt.Of(v)`.
func assign(recv string, f *model.Field, v jen.Code) *jen.Statement {
	if f.Opt {
		return jen.Id(recv).Dot(f.Name).Op("=").Add(rt("Of").Call(v))
	}
	return jen.Id(recv).Dot(f.Name).Op("=").Add(v)
}

// fieldValue returns a composite literal element `F: v` or `F: ivhrt.Of(v)`.
func fieldValue(f *model.Field, v jen.Code) *jen.Statement {
	if f.Opt {
		return jen.Id(f.Name).Op(":").Add(rt("Of").Call(v))
	}
	return jen.Id(f.Name).Op(":").Add(v)
}
