package descriptor

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decoder walks yaml.Nodes and records every problem instead of stopping at
// the first, so one run shows them all.
type decoder struct {
	file string
	errs ErrorList
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, Errorf(d.pos(n), format, args...))
}

// maxErrors bounds the list for pathological input; the first ones matter.
const maxErrors = 50

// MaxSize is the largest descriptor Parse accepts, in bytes: far above any
// real one, and low enough that hostile input cannot exhaust memory.
const MaxSize = 4 << 20

// Parse decodes one descriptor file. name is used in positions and in the
// generated headers. The error, if any, is an ErrorList.
func Parse(name string, data []byte) (*File, error) {
	d := &decoder{file: name}
	if len(data) > MaxSize {
		return nil, ErrorList{Errorf(Pos{name, 1, 1}, "descriptor is larger than %d MiB; split it into several files", MaxSize>>20)}
	}
	root := d.document(data)
	if root == nil {
		return nil, d.errs.Err()
	}
	f := d.file_(root)
	if len(d.errs) > maxErrors {
		d.errs.Sort()
		d.errs = d.errs[:maxErrors]
	}
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// kindName names a node kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			if n.Value != "" && n.Value != "~" {
				return "null"
			}
			return "empty"
		case "!!str":
			return "the string " + strconv.Quote(n.Value)
		case "!!int":
			return "the integer " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return "a " + strings.TrimPrefix(n.Tag, "!!") + " value"
	}
	return "a YAML value of another kind"
}

// mapping walks the keys of n in source order, calling fn for each key listed
// in keys and reporting any other key with a suggestion. It returns the keys
// seen, or nil when n is not a mapping.
func (d *decoder) mapping(n *yaml.Node, what string, keys []string, fn func(key string, v *yaml.Node)) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return nil
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
			d.errorf(k, "keys of %s must be plain strings", what)
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, what, prev.Line)
			continue
		}
		seen[k.Value] = k
		if !slices.Contains(keys, k.Value) {
			d.errorf(k, "unknown key %q in %s%s", k.Value, what, unknownKeyHint(n, k, v, keys))
			continue
		}
		fn(k.Value, v)
	}
	return seen
}

// unknownKeyHint suggests the key meant, or explains the usual cause of a
// stray key without a value in {flow: style}: an unquoted comma in text.
func unknownKeyHint(m, k, v *yaml.Node, keys []string) string {
	if hint := Suggest(k.Value, keys); hint != "" {
		return hint
	}
	if m.Style&yaml.FlowStyle != 0 && v.Tag == "!!null" && v.Value == "" {
		return "; a comma ends a value in {...}: quote text that holds one"
	}
	return ""
}

// require reports each key of keys missing from seen, at the mapping n.
func (d *decoder) require(n *yaml.Node, what string, seen map[string]*yaml.Node, keys ...string) {
	if seen == nil {
		return
	}
	for _, k := range keys {
		if seen[k] == nil {
			d.errorf(n, "%s is missing the required key %q", what, k)
		}
	}
}

// str decodes a non-empty string scalar.
func (d *decoder) str(n *yaml.Node, what string) String {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.errorf(n, "%s must be a string, not %s%s", what, kindName(n), quoteHint(n))
		return String{}
	}
	if strings.TrimSpace(n.Value) == "" {
		d.errorf(n, "%s must not be empty", what)
		return String{}
	}
	return String{Value: n.Value, Pos: d.pos(n)}
}

// quoteHint suggests quoting a plain scalar that YAML typed as something
// other than a string: Null, ~, True, 12.
func quoteHint(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || n.Value == "" {
		return ""
	}
	return fmt.Sprintf("; YAML reads %s as %s: quote it, as %q, to mean the text", n.Value, strings.TrimPrefix(n.Tag, "!!"), n.Value)
}

// text decodes documentation: any non-empty scalar, kept verbatim.
func (d *decoder) text(n *yaml.Node, what string) String {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		d.errorf(n, "%s must be non-empty text, not %s", what, kindName(n))
		return String{}
	}
	return String{Value: n.Value, Pos: d.pos(n)}
}

// oneOf decodes a string that must be one of allowed.
func (d *decoder) oneOf(n *yaml.Node, what string, allowed ...string) String {
	s := d.str(n, what)
	if s.Set() && !slices.Contains(allowed, s.Value) {
		d.errorf(n, "%s %q is not one of %s%s", what, s.Value, strings.Join(allowed, ", "), Suggest(s.Value, allowed))
		return String{}
	}
	return s
}

// boolean decodes true or false.
func (d *decoder) boolean(n *yaml.Node, what string) Bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, "%s must be true or false, not %s", what, kindName(n))
		return Bool{}
	}
	v, err := strconv.ParseBool(strings.ToLower(n.Value))
	if err != nil {
		d.errorf(n, "%s must be true or false", what)
	}
	return Bool{Value: v, Pos: d.pos(n)}
}

// integer decodes an integer scalar.
func (d *decoder) integer(n *yaml.Node, what string) Int {
	if isBigInt(n) {
		d.errorf(n, "%s %s is out of range of a 64-bit integer", what, n.Value)
		return Int{}
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.errorf(n, "%s must be an integer, not %s", what, kindName(n))
		return Int{}
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	if err != nil {
		d.errorf(n, "%s %s is out of range of a 64-bit integer", what, n.Value)
		return Int{}
	}
	return Int{Value: v, Pos: d.pos(n)}
}

// IntRange is the range of Go's int on every supported platform (GOARCH=386
// included), for messages.
const IntRange = "-2147483648..2147483647"

// FitsInt reports whether the decimal integer text fits Go's int on every
// supported platform.
func FitsInt(text string) bool {
	v, err := strconv.ParseInt(text, 10, 64)
	return err == nil && v >= -1<<31 && v <= 1<<31-1
}

// count decodes a non-negative integer that fits an int on every platform.
func (d *decoder) count(n *yaml.Node, what string) Int {
	i := d.integer(n, what)
	if i.Set() && (i.Value < 0 || i.Value > 1<<31-1) {
		d.errorf(n, "%s %d is out of range 0..2147483647", what, i.Value)
		return Int{}
	}
	return i
}

// number decodes an integer or float bound. Integers stay exact: they
// never pass through float64, so 2^63-1 and 2^53+1 keep their value.
func (d *decoder) number(n *yaml.Node, what string) Number {
	switch {
	case isBigInt(n):
		d.errorf(n, "%s %s is out of range: an integer bound must fit in 64 bits", what, n.Value)
		return Number{}
	case isBigFloat(n):
		d.errorf(n, "%s %s is out of range of a float64", what, n.Value)
		return Number{}
	case n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float"):
		d.errorf(n, "%s must be a number, not %s", what, kindName(n))
		return Number{}
	case n.Tag == "!!int":
		i, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil {
			d.errorf(n, "%s %s is out of range: an integer bound must fit in 64 bits", what, n.Value)
			return Number{}
		}
		return Number{Value: float64(i), Int: i, Text: strconv.FormatInt(i, 10), IsInt: true, Pos: d.pos(n)}
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	switch {
	case err != nil || v != v || v > 1e300 || v < -1e300:
		d.errorf(n, "%s %s is not a finite number", what, n.Value)
		return Number{}
	case v == 0 && hasNonZeroDigit(n.Value):
		d.errorf(n, "%s %s is out of range of a float64: it would round to 0", what, n.Value)
		return Number{}
	}
	return Number{Value: v, Text: strconv.FormatFloat(v, 'g', -1, 64), Pos: d.pos(n)}
}

// hasNonZeroDigit reports whether the mantissa of a float literal has a
// digit other than 0, so that a value parsed as 0 underflowed.
func hasNonZeroDigit(lit string) bool {
	mant, _, _ := strings.Cut(strings.ToLower(lit), "e")
	return strings.ContainsAny(mant, "123456789")
}

// isBigInt reports whether n is an unquoted integer too large for YAML's
// resolver, which tags 2^64 a float and 0x1_0000_0000_0000_0000 a string.
func isBigInt(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || n.Tag == "!!int" {
		return false
	}
	_, ok := new(big.Int).SetString(n.Value, 0)
	return ok
}

// isBigFloat reports whether n is an unquoted number beyond float64, such
// as 1e400, which YAML's resolver tags a string.
func isBigFloat(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || n.Tag != "!!str" {
		return false
	}
	_, err := strconv.ParseFloat(n.Value, 64)
	return errors.Is(err, strconv.ErrRange)
}

// scalar decodes a string or integer scalar, as enum and status values are.
func (d *decoder) scalar(n *yaml.Node, what string) Scalar {
	if isBigInt(n) && n.Tag != "!!str" {
		d.errorf(n, "%s %s is out of range of a 64-bit integer", what, n.Value)
		return Scalar{}
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") {
		d.errorf(n, "%s must be a string or an integer, not %s", what, kindName(n))
		return Scalar{}
	}
	if n.Tag == "!!int" {
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil {
			d.errorf(n, "%s %s is out of range of a 64-bit integer", what, n.Value)
			return Scalar{}
		}
		// Normalised, so 0x10 and 16 are the same value and the text is
		// always a plain Go literal.
		return Scalar{Value: strconv.FormatInt(v, 10), IsInt: true, Pos: d.pos(n)}
	}
	return Scalar{Value: n.Value, Pos: d.pos(n)}
}

// list calls fn for each item of the sequence n.
func (d *decoder) list(n *yaml.Node, what string, fn func(item *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list, not %s", what, kindName(n))
		return
	}
	for _, item := range n.Content {
		fn(item)
	}
}

// nonEmptyList is list that also rejects an empty list.
func (d *decoder) nonEmptyList(n *yaml.Node, what string, fn func(item *yaml.Node)) {
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		d.errorf(n, "%s must not be empty", what)
		return
	}
	d.list(n, what, fn)
}

// label names a declaration for messages: `api "VideoMake"`, or "an api"
// when the name itself is missing.
func label(kind, name string) string {
	if name == "" {
		if strings.ContainsRune("aeiou", rune(kind[0])) {
			return "an " + kind
		}
		return "a " + kind
	}
	return kind + " " + strconv.Quote(name)
}
