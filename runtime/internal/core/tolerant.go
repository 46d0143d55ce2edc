package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/ivhgen/ivhgen/runtime/internal/flex"
)

// The vendor's samples spell the same field as a number in one place and a
// string in another (TaskId 1234567 and "1234567", SessionStatus 3 and
// "3"). A success Payload that does not fit the response type is decoded
// again after its scalars are converted to the kinds the type expects. Only
// that failure path pays for it: the one-pass decode of a well-typed
// Payload is unchanged.

// optional is implemented by *Opt[T]; it tells the converter what T is.
type optional interface{ optElem() reflect.Type }

func (o *Opt[T]) optElem() reflect.Type { return reflect.TypeFor[T]() }

var (
	optionalType    = reflect.TypeFor[optional]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// decodeTolerant decodes raw into out, a non-nil pointer, converting
// loosely typed scalars first; it returns the error of the strict decode
// when the converted one fails too.
func decodeTolerant(raw json.RawMessage, out any) error {
	strictErr := json.Unmarshal(raw, out)
	if strictErr == nil {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var tree any
	if d.Decode(&tree) != nil {
		return strictErr
	}
	if _, err := d.Token(); err != io.EOF {
		return strictErr // more after the value: "{} {}" is no JSON text
	}
	fixed, err := json.Marshal(convert(tree, reflect.TypeOf(out).Elem(), 0))
	if err != nil {
		return strictErr
	}
	zero(out)
	if json.Unmarshal(fixed, out) != nil {
		zero(out)
		return strictErr
	}
	return nil
}

// convert returns v, a decoded JSON value, with its scalars spelled as t
// wants them. Values it cannot convert are returned as they are, so the
// decode that follows reports them.
func convert(v any, t reflect.Type, depth int) any {
	if depth > 64 {
		return v
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(optionalType) {
		return convert(v, reflect.New(t).Interface().(optional).optElem(), depth+1)
	}
	if t == rawMessageType || (t.Kind() != reflect.Struct && reflect.PointerTo(t).Implements(unmarshalerType)) {
		return v
	}
	switch t.Kind() {
	case reflect.String:
		return toString(v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return toInteger(v)
	case reflect.Float32, reflect.Float64:
		return toFloat(v)
	case reflect.Bool:
		return toBool(v)
	case reflect.Slice, reflect.Array:
		return convertSlice(v, t.Elem(), depth)
	case reflect.Map:
		return convertMap(v, t.Elem(), depth)
	case reflect.Struct:
		return convertStruct(v, t, depth)
	}
	return v
}

func toString(v any) any {
	switch v := v.(type) {
	case json.Number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return v
}

func toInteger(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	n, _, err := flex.Int([]byte(strconv.Quote(s)))
	if err != nil {
		return v
	}
	return json.Number(strconv.FormatInt(n, 10))
}

func toFloat(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
		return v
	}
	return json.Number(strings.TrimSpace(s))
}

func toBool(v any) any {
	var raw []byte
	switch v := v.(type) {
	case string:
		raw = []byte(strconv.Quote(v))
	case json.Number:
		raw = []byte(v)
	default:
		return v
	}
	b, _, err := flex.Bool(raw)
	if err != nil {
		return v
	}
	return b
}

func convertSlice(v any, elem reflect.Type, depth int) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	for i := range list {
		list[i] = convert(list[i], elem, depth+1)
	}
	return list
}

func convertMap(v any, elem reflect.Type, depth int) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k := range m {
		m[k] = convert(m[k], elem, depth+1)
	}
	return m
}

// convertStruct converts the members of an object by the struct fields
// encoding/json would decode them into: by tag name, case-insensitively.
func convertStruct(v any, t reflect.Type, depth int) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	fields := jsonFields(t)
	for k := range m {
		if ft, ok := fields[strings.ToLower(k)]; ok {
			m[k] = convert(m[k], ft, depth+1)
		}
	}
	return m
}

// fieldCache holds jsonFields per struct type: a drifted array of 60,000
// objects would otherwise rebuild the same map 60,000 times.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps the lower-cased JSON names of t's exported fields to
// their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := buildFields(t)
	fieldCache.Store(t, m)
	return m
}

func buildFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok {
			out[strings.ToLower(name)] = t.Field(i).Type
		}
	}
	return out
}

// idIn returns the value of Payload member name as text, a number or a
// string; "" when absent. Members match as encoding/json matches them
// (case-insensitively), and of duplicates the last usable one wins, in
// document order, as encoding/json would keep it.
func idIn(payload json.RawMessage, name string) string {
	if name == "" {
		return ""
	}
	d := json.NewDecoder(bytes.NewReader(payload))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	id := ""
	for d.More() {
		k, err := d.Token()
		var v json.RawMessage
		if err != nil || d.Decode(&v) != nil {
			return id
		}
		if key, _ := k.(string); strings.EqualFold(key, name) {
			if s, null, err := flex.String(v); err == nil && !null {
				id = s
			}
		}
	}
	return id
}

// CreatedID returns the id a failed create still returned: the ID of a
// *ProtocolError whose Payload did not decode, or "". Generated session
// runs use it so that a created session is closed whatever else failed.
func CreatedID(err error) string {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe.ID
	}
	return ""
}

// idFields caches, per response type and id name, the index of the field
// holding the id; -1 when the type has none.
var idFields sync.Map // idKey -> int

type idKey struct {
	t    reflect.Type
	name string
}

// requireID fails a success that lacks the id op's create returns: without
// it the work started cannot be waited on, and a caller would only learn so
// from a later poll. Other required response fields are not checked, since
// the vendor omits them freely and their absence loses nothing.
func requireID(op *Operation, requestID string, out any) error {
	if op.IDField == "" {
		return nil
	}
	v := reflect.ValueOf(out).Elem()
	if v.Kind() != reflect.Struct {
		return nil
	}
	key := idKey{v.Type(), op.IDField}
	i, ok := idFields.Load(key)
	if !ok {
		i, _ = idFields.LoadOrStore(key, fieldIndex(v.Type(), op.IDField))
	}
	if idx := i.(int); idx < 0 || !v.Field(idx).IsZero() {
		return nil
	}
	return &ProtocolError{Op: op.Name, pkg: op.Package, RequestID: requestID, HTTPStatus: 200,
		Reason: "success without the " + op.IDField + " this API must return", unknown: !op.Idempotent}
}

// fieldIndex is the index of the field of t that encoding/json decodes
// member name into, or -1.
func fieldIndex(t reflect.Type, name string) int {
	for i := range t.NumField() {
		if n, ok := jsonName(t.Field(i)); ok && strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}

// jsonName is the member name encoding/json decodes into f, and whether it
// decodes into f at all.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return "", false
	case "":
		return f.Name, true
	}
	return name, true
}
