// Package model turns decoded descriptor files into the Go-shaped model the
// emitter renders. Every reference is resolved and every Go identifier is
// computed here, once; the emitter copies names and never builds them.
// Build also checks what needs all files at once: references, types of
// constraints, and collisions between Go identifiers, which are errors that
// name both positions.
package model

import (
	"strconv"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// Package is the whole generated package.
type Package struct {
	Name       string
	ImportPath string // empty when the caller gave none
	Files      []*File
	Services   []*Service
	CodeTables []*CodeTable
	Fake       *Fake // nil when ImportPath is empty: no fake is generated
}

// File is what one descriptor file contributes. The emitter writes one Go
// file for its APIs and one for its types, so a change in one descriptor
// touches only its own output.
type File struct {
	Source     string // descriptor name as given, for headers
	Base       string // stem of the output file names
	Service    *Service
	APIs       []*API    // the APIs this file declares, of Service, in source order
	Structs    []*Struct // named types, callback bodies and inline types, in source order
	Enums      []*Enum
	CodeTables []*CodeTable
	Callbacks  []*Callback
	Channels   []*Channel
}

// Service is a group of APIs; the client exposes it as a field.
type Service struct {
	Pos        descriptor.Pos
	Name       string // field of Client
	Doc        string
	ClientType string  // e.g. VideoClient
	Interface  string  // e.g. VideoAPI
	APIs       []*API  // of every file, in file name order, then source order
	File       *File   // the home file: it holds the interface and client type
	Files      []*File // every file that declares the service, in name order
	FakeServe  string  // the fake's method registering the service's defaults
}

// Channels returns the channels of every file of the service.
func (s *Service) Channels() []*Channel {
	var out []*Channel
	for _, f := range s.Files {
		out = append(out, f.Channels...)
	}
	return out
}

// API is one HTTP API and the Go method that calls it.
type API struct {
	Pos            descriptor.Pos
	Name           string // Go method name
	Path           string // full wire path
	Method         string // HTTP method
	Doc            string
	Deprecated     bool
	DeprecatedNote string
	ReplacedBy     *API
	Idempotent     bool
	Request        *Struct
	Response       *Struct
	OpVar          string // package-level *ivhimpl.Operation
	Autofill       []*Field
	Async          *Async
	Paging         *Paging
	Service        *Service
	File           *File // the file that declares the API
	// FakePath, on a poll API, is the status path the fake's tasks walk,
	// as a flow polling it declares it; nil for the default path.
	FakePath []Literal
	// Feeds are the list APIs whose paging names this API in createdBy.
	Feeds    []*API
	Handle   string // the fake's handler setter
	FailNext string // the fake's failure script; "" without failure values
}

// StructRole says what a struct is for; it picks the doc comment.
type StructRole int

// The struct roles.
const (
	RoleNamed StructRole = iota
	RoleInline
	RoleRequest
	RoleResponse
	RoleCallback
)

// GoIdent is a Go identifier and the import path of its package, as in
// protogen: emit renders it unqualified inside its own package and
// qualified everywhere else, so no file guesses how to refer to a type.
type GoIdent struct {
	GoName       string
	GoImportPath string
}

// Struct is a generated struct type.
type Struct struct {
	Pos     descriptor.Pos
	GoIdent GoIdent
	Doc     string
	Role    StructRole
	Owner   *API // for requests and responses
	Fields  []*Field
	// Validates is true for structs reachable from a request: they get a
	// validate method and optional scalars use ivhrt.Opt.
	Validates bool
	// HasChecks is true when validating the struct can find a violation.
	HasChecks bool
	File      *File
	// Constraints tie fields of the struct together (format II).
	Constraints []*Constraint
	// JSONTexts are the string fields carrying JSON text, each with a
	// Decode method.
	JSONTexts []*JSONText
}

// JSONText is a string field whose JSON text holds the named type that the
// value of another field of the struct picks.
type JSONText struct {
	Field  *Field
	By     *Field
	Cases  []*JSONCase
	Holds  []*Struct // the distinct types of Cases, in order: one result field each
	Method string    // Decode<Field>, on the struct
	Result GoIdent   // <Struct><Field>: Raw and one pointer per type
}

// JSONCase is a value of By and the type the text holds then.
type JSONCase struct {
	Value  Literal
	Struct *Struct
}

// Field is one struct field.
type Field struct {
	Pos        descriptor.Pos
	Wire       string
	Name       string
	Type       *Type
	Required   bool
	Opt        bool // wrapped in ivhrt.Opt
	Doc        string
	Provenance string // the sentence the doc comment gets; "" for none
	// ProvenanceTag is the provenance as declared or defaulted (code,
	// unverified, cn-only), for the OpenAPI export; "" when confirmed.
	ProvenanceTag string
	Min, Max      descriptor.Number
	MinLength     descriptor.Int
	MaxLength     descriptor.Int
	MaxItems      descriptor.Int
	Autofill      bool

	// Format II (see constraints.go).
	Values       []*EnumValue // the enum values this field accepts; nil for all
	ExclusiveMin descriptor.Number
	ExclusiveMax descriptor.Number
	MinItems     descriptor.Int
	MaxBytes     descriptor.Int
	Default      string // documented server default as it reads; "" for none
	AllowEmpty   bool   // required (always sent) but may be empty
}

// Kind is the Go shape of a type.
type Kind int

// The type kinds.
const (
	String Kind = iota + 1
	Int
	Int64
	Float
	Bool
	JSON
	StructKind
	EnumKind
	Array
	Map
)

// Type is a field type.
type Type struct {
	Kind   Kind
	Elem   *Type    // Array, Map
	Struct *Struct  // StructKind
	Enum   *Enum    // EnumKind
	Named  *GoIdent // a runtime type standing for the Kind, e.g. ivhrt.FailCode
}

// failCodeType is the Go type of an int field that a flow names its
// failCode: a distinct type, so that errors.Is never confuses it with an
// API result code.
var failCodeType = &Type{Kind: Int, Named: &GoIdent{GoName: "FailCode", GoImportPath: "github.com/ivhgen/ivhgen/runtime/ivhrt"}}

// Innermost returns the element type at the bottom of arrays and maps.
func (t *Type) Innermost() *Type {
	for t.Elem != nil {
		t = t.Elem
	}
	return t
}

// IsScalar reports whether t is a string, number, bool or enum.
func (t *Type) IsScalar() bool {
	switch t.Kind {
	case String, Int, Int64, Float, Bool, EnumKind:
		return true
	}
	return false
}

// Base returns the scalar kind of t, looking through enums.
func (t *Type) Base() Kind {
	if t.Kind == EnumKind {
		if t.Enum.IsInt {
			return Int
		}
		return String
	}
	return t.Kind
}

// Enum is a named enum type.
type Enum struct {
	Pos     descriptor.Pos
	GoIdent GoIdent
	Doc     string
	IsInt   bool
	Values  []*EnumValue
	File    *File
	Open    bool // Validate accepts values not listed
}

// EnumValue is one constant of an enum.
type EnumValue struct {
	Pos     descriptor.Pos
	GoIdent GoIdent // the constant
	Value   Value
	Doc     string
}

// Async is a resolved create-then-poll flow.
type Async struct {
	Poll        *API
	ID          *Field // in this API's response
	PollID      *Field // in the poll request
	Status      *Field // in the poll response
	Success     []Literal
	Failure     []Literal
	FailCode    *Field // in the poll response, or nil
	FailMessage *Field // in the poll response, or nil
	Progress    *Field // in the poll response, or nil: a percentage for hooks
	Queue       *Field // in the poll response, or nil: tasks queued ahead
	Copies      []Copy
	Waiter      string // service method name
	// Classify is the package-level func mapping a poll response to a
	// state. Flows with the same poll, status field, values and failure
	// fields share one; ClassifyOwner marks the flow whose file declares it.
	Classify      string
	ClassifyOwner bool
	// FakePath is the status path this flow declares for the fake, or nil.
	FakePath []Literal
}

// Copy is a request field the waiter copies into the poll request.
type Copy struct{ From, To *Field }

// Literal is a status value: an enum constant or a plain literal.
type Literal struct {
	Enum  *EnumValue // nil for a plain literal
	Value Value
}

// Value is a typed literal, parsed once here so that emit never parses
// descriptor text.
type Value struct {
	IsInt bool
	Int   int64  // when IsInt
	Str   string // otherwise
}

// Text is the value as it reads in a document: a decimal integer or the
// string itself.
func (v Value) Text() string {
	if v.IsInt {
		return strconv.FormatInt(v.Int, 10)
	}
	return v.Str
}

// valueOf types a descriptor scalar; asInt says whether its type is int.
func valueOf(s descriptor.Scalar, asInt bool) (Value, error) {
	if !asInt {
		return Value{Str: s.Value}, nil
	}
	n, err := strconv.ParseInt(s.Value, 0, 64)
	return Value{IsInt: true, Int: n}, err
}

// Paging is a resolved paged list.
type Paging struct {
	Index, Size *Field // in the request
	Total       *Field // in the response
	Items       *Field // in the response; an array
	Method      string // service method name
	// CreatedBy are the APIs whose calls create the items: the fake pages
	// over what they made.
	CreatedBy []*API
}

// CodeTable is a table of documented codes.
type CodeTable struct {
	Pos   descriptor.Pos
	Name  string
	Doc   string
	Task  bool // codes of task failures rather than of API responses
	Var   string
	Codes []*Code
	File  *File
}

// Code is one documented code.
type Code struct {
	Pos      descriptor.Pos
	Value    int64
	Const    string
	Name     string // as declared, used as CodeInfo.Name
	Category string
	Doc      string
}

// Callback is a server-to-client callback.
type Callback struct {
	Pos     descriptor.Pos
	Name    string
	Doc     string
	Body    *Struct
	Handler string
	Flat    bool     // the fields are POSTed at the top level, not under Payload
	Require []string // wire names of the required top-level fields
	// Signed is set for a signed callback.
	Signed *CallbackSig
}

// CallbackSig is how a callback is signed; see descriptor.CallbackSignature.
type CallbackSig struct {
	Params    []string
	Param     string
	Timestamp string
}
