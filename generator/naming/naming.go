// Package naming turns wire names from descriptors into Go identifiers. It is
// the only place in the generator that builds a Go name from descriptor text:
// the model calls it once per name and the emitter only copies the results.
//
// The initialism list is frozen: changing it renames generated identifiers,
// which is a breaking change for every user of the generated package.
package naming

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are words written in capitals in Go names (TaskId → TaskID).
// Frozen; see the package doc.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "ASR": true, "CPU": true, "CSS": true,
	"DNS": true, "EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true,
	"ID": true, "IP": true, "JSON": true, "QPS": true, "RAM": true, "RPC": true,
	"RTMP": true, "SDK": true, "SLA": true, "SQL": true, "SSH": true, "SSML": true,
	"TCP": true, "TLS": true, "TTL": true, "TTS": true, "UDP": true, "UI": true,
	"UID": true, "URI": true, "URL": true, "UTF8": true, "UUID": true, "VM": true,
	"XML": true, "XSRF": true, "XSS": true,
}

// digitPrefix is put before a name that would start with a digit or with a
// letter that has no upper case (such as a CJK character), so it is exported.
const digitPrefix = "X"

// Exported derives an exported Go identifier from a wire name: it splits the
// name into words at separators and case changes, capitalises each word,
// writes initialisms in capitals, and prefixes X when the result would not
// start with an upper-case letter. It fails when no identifier can be made.
func Exported(wire string) (string, error) { return Join("", wire) }

// Join derives prefix followed by the words of wire, as Exported does;
// Join("TaskStatus", "SUCCESS") is TaskStatusSuccess and Join("Err", "40001")
// is Err40001.
func Join(prefix, wire string) (string, error) {
	words := Split(wire)
	if len(words) == 0 {
		return "", fmt.Errorf("cannot derive a Go name from %q; set goName", wire)
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, w := range words {
		b.WriteString(titleWord(w))
	}
	name := b.String()
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) {
		name = digitPrefix + name
	}
	if err := CheckExported(name); err != nil {
		return "", fmt.Errorf("cannot derive a Go name from %q: %v; set goName", wire, err)
	}
	return name, nil
}

// Split breaks a wire name into words. Runes that are neither letters nor
// digits separate words; so do a lower-to-upper change ("taskId") and the end
// of a run of capitals before a lower-case letter ("HTTPServer"). Digits
// stay with the word before them ("Mp4Url" → "Mp4", "Url").
func Split(wire string) []string {
	var words []string
	rs := []rune(wire)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(rs[start:end]))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start >= 0 && startsWord(rs, i) {
			flush(i)
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(rs))
	return words
}

// startsWord reports whether rs[i] begins a new word inside a run of letters
// and digits.
func startsWord(rs []rune, i int) bool {
	r, prev := rs[i], rs[i-1]
	if !unicode.IsUpper(r) {
		return false
	}
	if unicode.IsLower(prev) || unicode.IsDigit(prev) {
		return true
	}
	// "HTTPServer": the S starts a word because a lower-case letter follows.
	return unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
}

// titleWord capitalises the first rune of w, or all of it for an
// initialism. A shouted word that is no initialism is written as a word
// (SUCCESS → Success), as Go names do.
func titleWord(w string) string {
	up := strings.ToUpper(w)
	if initialisms[up] {
		return up
	}
	r, n := utf8.DecodeRuneInString(w)
	rest := w[n:]
	if w == up {
		rest = strings.ToLower(rest)
	}
	return string(unicode.ToUpper(r)) + rest
}

// CheckExported returns an error unless name is a valid, exported Go
// identifier. Exported names can never be keywords or predeclared
// identifiers, which are all lower case.
func CheckExported(name string) error {
	if !token.IsIdentifier(name) {
		if token.IsKeyword(name) {
			return fmt.Errorf("%q is a Go keyword", name)
		}
		return fmt.Errorf("%q is not a Go identifier", name)
	}
	if !token.IsExported(name) {
		if IsPredeclared(name) {
			return fmt.Errorf("%q is a predeclared Go identifier and not exported", name)
		}
		return fmt.Errorf("%q is not exported (it must start with an upper-case letter)", name)
	}
	return nil
}

// IsPredeclared reports whether name is one of Go's predeclared identifiers.
func IsPredeclared(name string) bool { return predeclared[name] }

var predeclared = map[string]bool{
	"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true,
	"close": true, "comparable": true, "complex": true, "complex128": true, "complex64": true,
	"copy": true, "delete": true, "error": true, "false": true, "float32": true, "float64": true,
	"imag": true, "int": true, "int16": true, "int32": true, "int64": true, "int8": true,
	"iota": true, "len": true, "make": true, "max": true, "min": true, "new": true, "nil": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true, "rune": true,
	"string": true, "true": true, "uint": true, "uint16": true, "uint32": true, "uint64": true,
	"uint8": true, "uintptr": true,
}

// ImportNames are the package names generated files import. A generated
// package may not take one of them as its own name, so that examples and
// tests written in the package keep every import usable.
var ImportNames = []string{"context", "http", "iter", "json", "runtime", "strconv"}

// CheckPackage returns an error unless name can be the generated package's
// name: a lower-case identifier that is not a keyword, a predeclared name or
// an imported package name.
func CheckPackage(name string) error {
	switch {
	case !token.IsIdentifier(name) && token.IsKeyword(name):
		return fmt.Errorf("package name %q is a Go keyword", name)
	case !token.IsIdentifier(name):
		return fmt.Errorf("package name %q is not a Go identifier", name)
	case name == "main" || name == "_":
		return fmt.Errorf("package name %q cannot hold a library", name)
	case IsPredeclared(name):
		return fmt.Errorf("package name %q is a predeclared Go identifier", name)
	}
	for _, imp := range ImportNames {
		if name == imp {
			return fmt.Errorf("package name %q is the name of a package generated code imports", name)
		}
	}
	return nil
}
