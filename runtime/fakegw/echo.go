package fakegw

import (
	"encoding/json"
	"reflect"
)

// Echo fills resp from req the way a plausible default handler answers:
// every exported field of the struct *resp whose name matches an exported
// field of the struct *req gets that field's value, when the types agree.
// A ivhrt.Opt[T] request field (any struct with Value and IsSet methods)
// is unwrapped: it is copied when set and its value fits. Fields are
// matched at the top level only; values are copied shallowly. Echo does
// nothing unless req and resp are non-nil pointers to structs.
func Echo(req, resp any) { echo(req, resp, false) }

// echo is Echo; with wrap, a value also fills an Opt-like field of resp
// (a pointer with UnmarshalJSON, whose Value returns a type the value is
// assignable to), set to that value: a page item of a request-shaped type
// gets the plain fields of what was created.
func echo(req, resp any, wrap bool) {
	src, dst := structOf(req), structOf(resp)
	if !src.IsValid() || !dst.IsValid() {
		return
	}
	for i := range dst.NumField() {
		df := dst.Type().Field(i)
		if !df.IsExported() {
			continue
		}
		sf, ok := src.Type().FieldByName(df.Name)
		if !ok || !sf.IsExported() || len(sf.Index) != 1 {
			continue
		}
		v, ok := unwrap(src.Field(sf.Index[0]))
		switch {
		case !ok:
		case v.Type().AssignableTo(df.Type):
			dst.Field(i).Set(v)
		case wrap:
			setOpt(dst.Field(i), v)
		}
	}
}

// structOf returns the struct a non-nil pointer points to.
func structOf(p any) reflect.Value {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem()
}

// unwrap returns the value of an Opt-like field, or the field itself; ok is
// false for an unset Opt.
func unwrap(v reflect.Value) (reflect.Value, bool) {
	isSet, value := v.MethodByName("IsSet"), v.MethodByName("Value")
	if v.Kind() != reflect.Struct || !isSet.IsValid() || !value.IsValid() ||
		isSet.Type().NumIn() != 0 || isSet.Type().NumOut() != 1 || isSet.Type().Out(0).Kind() != reflect.Bool ||
		value.Type().NumIn() != 0 || value.Type().NumOut() != 1 {
		return v, true
	}
	if !isSet.Call(nil)[0].Bool() {
		return reflect.Value{}, false
	}
	return value.Call(nil)[0], true
}

// setOpt sets f, an Opt-like field, to v when v fits its value type; it
// does nothing to any other field.
func setOpt(f reflect.Value, v reflect.Value) {
	if f.Kind() != reflect.Struct || !f.CanAddr() || !f.MethodByName("IsSet").IsValid() {
		return
	}
	value := f.MethodByName("Value")
	if !value.IsValid() || value.Type().NumIn() != 0 || value.Type().NumOut() != 1 || !v.Type().AssignableTo(value.Type().Out(0)) {
		return
	}
	u, ok := f.Addr().Interface().(json.Unmarshaler)
	if !ok {
		return
	}
	if b, err := json.Marshal(v.Interface()); err == nil {
		_ = u.UnmarshalJSON(b)
	}
}
