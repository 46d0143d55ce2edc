// Package spec decodes ivhgen descriptor files (see spec/README.md) into a
// syntax tree that keeps the position of every value. It checks everything
// that one file can tell on its own: known keys, value kinds, allowed values
// and type syntax. Checks that need every file, such as references and name
// collisions, belong to package model.
package descriptor

// String is a scalar value with its position; the zero String is absent.
type String struct {
	Value string
	Pos   Pos
}

// Set reports whether the value was given.
func (s String) Set() bool { return s.Pos.IsValid() }

// Bool is a boolean value with its position.
type Bool struct {
	Value bool
	Pos   Pos
}

// Int is an integer value with its position.
type Int struct {
	Value int64
	Pos   Pos
}

// Set reports whether the value was given.
func (i Int) Set() bool { return i.Pos.IsValid() }

// Number is a numeric bound. Text keeps the literal as written so the
// generated code and messages show 1.5, not 1.500000. An integer bound
// (IsInt) is exact in Int; Value is only its float64 approximation.
type Number struct {
	Value float64
	Int   int64
	Text  string
	IsInt bool
	Pos   Pos
}

// Less reports whether n is below m, exactly when both are integers.
func (n Number) Less(m Number) bool {
	if n.IsInt && m.IsInt {
		return n.Int < m.Int
	}
	return n.Value < m.Value
}

// Set reports whether the value was given.
func (n Number) Set() bool { return n.Pos.IsValid() }

// Scalar is an enum value or a status value: the text and whether YAML
// typed it as an integer.
type Scalar struct {
	Value string
	IsInt bool
	Pos   Pos
}

// File is one decoded descriptor file.
type File struct {
	Name        string // as given to Parse, used in positions and headers
	Service     String
	Doc         String
	PathPrefix  String
	Provenance  String // the default provenance of the file's fields
	Types       []*TypeDecl
	Enums       []*EnumDecl
	APIs        []*API
	ErrorTables []*ErrorTable
	Callbacks   []*Callback
	Channels    []*Channel
}

// TypeDecl is a named struct type under types:.
type TypeDecl struct {
	Name   String
	Doc    String
	Fields []*Field
}

// Field is one field of a struct, request, response or callback.
type Field struct {
	Pos        Pos
	Name       String // wire name
	GoName     String
	Type       *TypeExpr
	TypeName   String // name of the inline object type
	Required   Bool
	Doc        String
	Min, Max   Number
	MinLength  Int
	MaxLength  Int
	MaxItems   Int
	Provenance String
	Autofill   String
	Fields     []*Field // fields of an inline object
	FieldsPos  Pos      // position of fields:, when given

	// Format II (see constraints.go).
	Values       []Scalar // the values of a shared enum this field accepts
	ValuesPos    Pos
	ExclusiveMin Number
	ExclusiveMax Number
	MinItems     Int
	MaxBytes     Int
	Default      Scalar    // documented server default; never sent
	AllowEmpty   Bool      // a required string that may be empty: always sent, never refused for being empty
	JSONText     *JSONText // a string field carrying JSON text whose shape another field picks
}

// JSONText declares a string field that carries JSON text: the value of
// the sibling field By picks which named type the text holds.
type JSONText struct {
	Pos   Pos
	By    String
	Cases []*JSONCase
}

// JSONCase is one value of By and the named type the text then holds.
type JSONCase struct {
	Value Scalar
	Type  String
}

// TypeKind is the shape of a type expression.
type TypeKind int

// The type expression kinds.
const (
	KindString TypeKind = iota + 1
	KindInt
	KindInt64
	KindFloat
	KindBool
	KindJSON
	KindObject
	KindArray
	KindMap
	KindRef
)

// Builtins maps the built-in type names to their kinds.
var Builtins = map[string]TypeKind{
	"string": KindString, "int": KindInt, "int64": KindInt64, "float": KindFloat,
	"bool": KindBool, "json": KindJSON, "object": KindObject,
}

// BuiltinNames lists the built-in type names in a fixed order, for messages.
var BuiltinNames = []string{"string", "int", "int64", "float", "bool", "json", "object"}

// TypeExpr is a parsed type: a builtin, []T, map[T] or a reference by name.
type TypeExpr struct {
	Kind TypeKind
	Elem *TypeExpr // for arrays and maps
	Name string    // for references
	Pos  Pos
}

// Innermost returns the element type at the bottom of arrays and maps.
func (t *TypeExpr) Innermost() *TypeExpr {
	for t.Elem != nil {
		t = t.Elem
	}
	return t
}

// EnumDecl is a named enum under enums:.
type EnumDecl struct {
	Name   String
	Type   String // "string" or "int"
	Doc    String
	Values []*EnumValue
	Open   Bool // the server may send and accept values not listed
}

// EnumValue is one value of an enum.
type EnumValue struct {
	Pos   Pos
	Value Scalar
	Name  String
	Doc   String
}

// API is one HTTP API.
type API struct {
	Pos            Pos
	Name           String
	Path           String
	Method         String
	Doc            String
	Idempotent     Bool
	Deprecated     Bool
	DeprecatedNote String
	ReplacedBy     String
	Provenance     String // the default provenance of the API's fields
	Request        *Body
	Response       *Body
	Async          *Async
	Paging         *Paging
}

// Body is a request or response payload.
type Body struct {
	Pos         Pos
	Fields      []*Field
	Constraints []*Constraint
}

// Async declares a create-then-poll flow.
type Async struct {
	Pos         Pos
	Poll        String
	ID          String
	PollID      String
	Status      String
	Success     []Scalar
	Failure     []Scalar
	FailCode    String
	FailMessage String
	Progress    String // poll response field with a progress percentage, for hooks
	Queue       String // poll response field with the tasks queued ahead, for hooks
	PollFields  []String
	FakePath    []Scalar // the statuses the fake's tasks report, ending in a success value
	FakePathPos Pos
}

// Paging declares a 1-based paged list.
type Paging struct {
	Pos   Pos
	Index String
	Size  String
	Total String
	Items String
	// CreatedBy names the APIs whose calls create the items, so the fake
	// pages over what they made.
	CreatedBy []String
}

// ErrorTable is a table of documented result codes.
type ErrorTable struct {
	Pos   Pos
	Table String
	Kind  String // "api" or "task"
	Doc   String
	Codes []*Code
}

// Code is one documented result code.
type Code struct {
	Pos      Pos
	Code     Int
	Name     String
	Category String
	Doc      String
}

// Callback is the body of a request the gateway sends to the user.
type Callback struct {
	Pos    Pos
	Name   String
	Doc    String
	Fields []*Field
	Body   String // "payload" ({"Payload": {...}}, the default) or "flat"
	// Signature, when set, declares a signed callback.
	Signature *CallbackSignature
}
