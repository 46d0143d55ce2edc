package core

import (
	"bytes"
	"encoding/json"
)

// Opt is an optional value: a value and whether it was set. Generated request
// structs use it for optional fields with the `omitzero` JSON option, so an
// unset field is omitted while a set zero value (0, "", false) is sent.
// The zero Opt is unset.
type Opt[T any] struct {
	value T
	set   bool
}

// Of returns an Opt holding v.
func Of[T any](v T) Opt[T] { return Opt[T]{value: v, set: true} }

// FromPtr returns an Opt holding *p, or an unset Opt when p is nil.
func FromPtr[T any](p *T) Opt[T] {
	if p == nil {
		return Opt[T]{}
	}
	return Of(*p)
}

// Get returns the value and whether it is set.
func (o Opt[T]) Get() (T, bool) { return o.value, o.set }

// IsSet reports whether the value is set.
func (o Opt[T]) IsSet() bool { return o.set }

// IsZero reports whether o is unset; encoding/json's omitzero uses it.
// The pointer receiver is deliberate: encoding/json calls it through the
// field's address, where a value receiver would box every optional field
// of every request. Use IsSet on values that are not addressable.
func (o *Opt[T]) IsZero() bool { return !o.set }

// Value returns the value, or T's zero value when unset.
func (o Opt[T]) Value() T { return o.value }

// Or returns the value when set and d otherwise.
func (o Opt[T]) Or(d T) T {
	if o.set {
		return o.value
	}
	return d
}

// Ptr returns a pointer to a copy of the value, or nil when unset.
func (o Opt[T]) Ptr() *T {
	if !o.set {
		return nil
	}
	v := o.value
	return &v
}

// MarshalJSON encodes the value; an unset Opt encodes as null (omitzero
// normally keeps it out of the output altogether).
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.set {
		return []byte("null"), nil
	}
	if b, ok := appendScalar(nil, o.value); ok {
		return b, nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON decodes a value and marks it set; JSON null leaves it unset.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Opt[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Of(v)
	return nil
}
