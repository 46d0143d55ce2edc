package core

import "reflect"

// IsZero reports whether *v is its type's zero value. Generated Validate
// methods use it to skip an optional nested object that was left out, which
// omitzero keeps off the wire.
func IsZero[T any](v *T) bool { return reflect.ValueOf(v).Elem().IsZero() }
