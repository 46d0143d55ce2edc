package fakegw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// DecodeStrict decodes a Payload into v the way a strict gateway would:
// every object key must be a field of the target type, spelled with the
// exact case (encoding/json alone would accept "virtualmankey" for
// VirtualmanKey), including inside optional wrappers such as ivhrt.Opt
// whose own decoding is lenient; values must have the right type; nothing
// may follow the object. A failure is an *ErrorReply with CodeBadParameter
// whose message names the field by its path, e.g. Payload.SpeechParam.Speed.
func DecodeStrict(payload json.RawMessage, v any) error {
	if e := checkNames(payload, reflect.TypeOf(v), "Payload"); e != nil {
		return e
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the object")
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return Errorf(CodeBadParameter, "Payload.%s: cannot use JSON %s as %s", te.Field, te.Value, te.Type)
	}
	return Errorf(CodeBadParameter, "Payload: %s", strings.TrimPrefix(err.Error(), "json: "))
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkNames walks raw alongside type t and reports the first object key
// that is not a field of the type. Shapes that do not match the type are
// left to the decoder, which reports them with their types.
func checkNames(raw json.RawMessage, t reflect.Type, path string) *ErrorReply {
	t = underlying(t)
	if t == nil || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil // opaque: the type decodes itself
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkObject(raw, path, func(key string) (reflect.Type, *ErrorReply) {
			return structField(t, key, path)
		})
	case reflect.Map:
		return checkObject(raw, path, func(string) (reflect.Type, *ErrorReply) { return t.Elem(), nil })
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for i, item := range items {
			if e := checkNames(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); e != nil {
				return e
			}
		}
	}
	return nil
}

// checkObject checks each member of a JSON object, in key order so the
// error is the same on every run.
func checkObject(raw json.RawMessage, path string, field func(key string) (reflect.Type, *ErrorReply)) *ErrorReply {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ft, e := field(k)
		if e == nil {
			e = checkNames(obj[k], ft, path+"."+k)
		}
		if e != nil {
			return e
		}
	}
	return nil
}

// underlying strips pointers and optional wrappers: a type with methods
// IsSet() bool and Value() T (such as ivhrt.Opt[T]) stands for T.
func underlying(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			continue
		}
		isSet, ok1 := t.MethodByName("IsSet")
		value, ok2 := t.MethodByName("Value")
		if !ok1 || !ok2 || isSet.Type.NumIn() != 1 || value.Type.NumIn() != 1 || value.Type.NumOut() != 1 {
			return t
		}
		t = value.Type.Out(0)
	}
	return nil
}

func structField(t reflect.Type, key, path string) (reflect.Type, *ErrorReply) {
	fields := jsonFields(t, nil)
	if ft, ok := fields[key]; ok {
		return ft, nil
	}
	for name := range fields {
		if strings.EqualFold(name, key) {
			return nil, Errorf(CodeBadParameter, "%s: unknown field %q (names are case-sensitive: did you mean %q?)", path, key, name)
		}
	}
	return nil, Errorf(CodeBadParameter, "%s: unknown field %q", path, key)
}

// jsonFields maps the JSON names of t's fields to their types, following
// encoding/json: tag names win, "-" hides a field, unexported fields are
// skipped, and untagged embedded structs lend their fields (the outer
// field wins a clash). seen stops a struct that embeds itself.
func jsonFields(t reflect.Type, seen map[reflect.Type]bool) map[string]reflect.Type {
	if seen == nil {
		seen = map[reflect.Type]bool{}
	}
	seen[t] = true
	out := map[string]reflect.Type{}
	var promoted []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && f.Tag.Get("json") == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			if !seen[ft] {
				promoted = append(promoted, ft)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	for _, et := range promoted {
		for name, ft := range jsonFields(et, seen) {
			if _, taken := out[name]; !taken {
				out[name] = ft
			}
		}
	}
	return out
}
