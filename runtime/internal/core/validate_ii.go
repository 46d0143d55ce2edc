package core

import "strings"

// The checks of descriptor format II: exclusive bounds, item and byte
// counts, per-field value subsets, and constraints across fields.

// MinExclusive records a violation when v <= lo.
func MinExclusive[N Number](vs *Violations, path string, v, lo N) {
	if v <= lo {
		vs.Add(path, "%v is not above %v", v, lo)
	}
}

// MaxExclusive records a violation when v >= hi.
func MaxExclusive[N Number](vs *Violations, path string, v, hi N) {
	if v >= hi {
		vs.Add(path, "%v is not below %v", v, hi)
	}
}

// MinItems records a violation when a list holds fewer than n items.
func MinItems(vs *Violations, path string, count, n int) {
	if count < n {
		vs.Add(path, "%s is below the minimum %d", plural(count, "item"), n)
	}
}

// MaxBytes records a violation when s is longer than n bytes in UTF-8, the
// way the vendor counts some limits.
func MaxBytes[S ~string](vs *Violations, path string, s S, n int) {
	if len(s) > n {
		vs.Add(path, "%d bytes is above the maximum %d bytes (UTF-8)", len(s), n)
	}
}

// OneOf records a violation when e is not one of allowed: the values of a
// shared enum that this field accepts.
func OneOf[E comparable](vs *Violations, path string, e E, allowed ...E) {
	for _, a := range allowed {
		if e == a {
			return
		}
	}
	vs.Add(path, "%v is not accepted here", e)
}

// ExactlyOne records a violation at path unless exactly one of set is
// true; names are the wire names of the fields, in the same order.
func ExactlyOne(vs *Violations, path string, names []string, set ...bool) {
	if n := countTrue(set); n != 1 {
		vs.Add(Join(path, strings.Join(names, "|")), "exactly one of %s must be set, not %d", strings.Join(names, ", "), n)
	}
}

// AtMostOne records a violation when more than one of set is true.
func AtMostOne(vs *Violations, path string, names []string, set ...bool) {
	if n := countTrue(set); n > 1 {
		vs.Add(Join(path, strings.Join(names, "|")), "at most one of %s may be set, not %d", strings.Join(names, ", "), n)
	}
}

// MaxTotalItems records a violation when the lists named hold more than n
// items together.
func MaxTotalItems(vs *Violations, path string, names []string, n int, counts ...int) {
	total := 0
	for _, c := range counts {
		total += c
	}
	if total > n {
		vs.Add(Join(path, strings.Join(names, "+")), "%s together is above the maximum %d", plural(total, "item"), n)
	}
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
