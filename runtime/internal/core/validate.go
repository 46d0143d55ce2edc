package core

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one failed check of a request field.
type Violation struct {
	Path    string // field path from the request root, e.g. "SpeechParam.Speed"
	Message string // e.g. "2 is above the maximum 1.5"
}

// String returns "path: message".
func (v Violation) String() string { return v.Path + ": " + v.Message }

// ValidationError lists every violation found in a request. It is returned
// before the request is signed or sent.
type ValidationError struct {
	Op         string
	Violations []Violation

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error lists every violation, prefixed with the operation.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	head := "invalid request"
	if e.Op != "" {
		head = prefix(e.pkg) + " " + e.Op + ": invalid request"
	}
	return head + ": " + strings.Join(parts, "; ")
}

// Violations collects violations while generated Validate methods walk a
// request. The zero value is ready to use.
type Violations struct{ list []Violation }

// Add records a violation at path.
func (vs *Violations) Add(path, format string, args ...any) {
	vs.list = append(vs.list, Violation{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was recorded and a *ValidationError otherwise.
func (vs *Violations) Err() error {
	if len(vs.list) == 0 {
		return nil
	}
	return &ValidationError{Violations: vs.list}
}

// Join returns the field path parent.name, or name when parent is empty.
func Join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// Index returns the element path parent[i].
func Index(parent string, i int) string { return fmt.Sprintf("%s[%d]", parent, i) }

// Key returns the map element path parent[k].
func Key(parent, k string) string { return fmt.Sprintf("%s[%q]", parent, k) }

// Number is the set of field types that carry min/max checks.
type Number interface{ ~int | ~int64 | ~float64 }

// RequireString records a violation when a required string is empty.
func RequireString[S ~string](vs *Violations, path string, s S) {
	if s == "" {
		vs.Add(path, "is required")
	}
}

// RequireItems records a violation when a required array or map is empty.
func RequireItems(vs *Violations, path string, n int) {
	if n == 0 {
		vs.Add(path, "is required")
	}
}

// Min records a violation when v < lo.
func Min[N Number](vs *Violations, path string, v, lo N) {
	if v < lo {
		vs.Add(path, "%v is below the minimum %v", v, lo)
	}
}

// Max records a violation when v > hi.
func Max[N Number](vs *Violations, path string, v, hi N) {
	if v > hi {
		vs.Add(path, "%v is above the maximum %v", v, hi)
	}
}

// MinLength records a violation when s has fewer than n characters (runes,
// as the vendor documents lengths in Unicode characters).
func MinLength[S ~string](vs *Violations, path string, s S, n int) {
	if c := utf8.RuneCountInString(string(s)); c < n {
		vs.Add(path, "length %d is below the minimum %d", c, n)
	}
}

// MaxLength records a violation when s has more than n characters.
func MaxLength[S ~string](vs *Violations, path string, s S, n int) {
	if c := utf8.RuneCountInString(string(s)); c > n {
		vs.Add(path, "length %d is above the maximum %d", c, n)
	}
}

// MaxItems records a violation when a list holds more than n items.
func MaxItems(vs *Violations, path string, count, n int) {
	if count > n {
		vs.Add(path, "%s is above the maximum %d", plural(count, "item"), n)
	}
}

// Enum is implemented by generated enum types.
type Enum interface{ Known() bool }

// KnownEnum records a violation when e is not one of its declared values.
func KnownEnum[E interface {
	Enum
	comparable
}](vs *Violations, path string, e E) {
	if !e.Known() {
		vs.Add(path, "%s is not a known value", enumText(e))
	}
}

// enumText is an unknown enum value as sent: the number of an int enum,
// whose String would say Type(n), or the string.
func enumText(e any) string {
	v := reflect.ValueOf(e)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.String:
		return v.String()
	}
	return fmt.Sprint(e)
}

// plural returns "1 item" or "n items".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
