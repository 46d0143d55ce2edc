package descriptor

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// document decodes the single YAML document in data.
func (d *decoder) document(data []byte) *yaml.Node {
	if enc := utf16Encoding(data); enc != "" {
		d.errs = append(d.errs, Errorf(Pos{d.file, 1, 1}, "the descriptor is encoded as %s; save it as UTF-8", enc))
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errs = append(d.errs, Errorf(Pos{d.file, 1, 1}, "empty descriptor"))
		} else {
			d.errs = append(d.errs, d.yamlError(err, data))
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "a descriptor holds one YAML document; split the file")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.errs = append(d.errs, d.yamlError(err, data))
		return nil
	}
	if len(doc.Content) == 0 {
		d.errs = append(d.errs, Errorf(Pos{d.file, 1, 1}, "empty descriptor"))
		return nil
	}
	if !d.noAliases(doc.Content[0]) {
		return nil
	}
	return doc.Content[0]
}

// yamlError turns "yaml: line 3: message" into an *Error at line 3. The
// reader's errors (bad UTF-8, control characters) carry no line, so the
// offending character of data is located here.
func (d *decoder) yamlError(err error, data []byte) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if line, col, r, ok := badChar(data); ok && !strings.HasPrefix(msg, "line ") {
		if r == utf8.RuneError {
			return Errorf(Pos{d.file, line, col}, "invalid YAML: invalid UTF-8; save the file as UTF-8")
		}
		return Errorf(Pos{d.file, line, col}, "invalid YAML: control character %U is not allowed", r)
	}
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, tail
			}
		}
	}
	if e := d.knownCause(data, line); e != nil {
		return e
	}
	return Errorf(Pos{d.file, line, 1}, "invalid YAML: %s", msg)
}

// unquotedSlice matches a value such as []object written without quotes,
// which YAML reads as an empty list followed by stray text.
var unquotedSlice = regexp.MustCompile(`:[ \t]*(\[\][^\s,}\]]+)`)

// knownCause explains the usual causes of a YAML syntax error, which the
// parser reports on another line or in its own terms: a tab used for
// indentation near the line it names, or an unquoted []T anywhere.
func (d *decoder) knownCause(data []byte, line int) *Error {
	lines := strings.Split(string(data), "\n")
	for i := range lines {
		if m := unquotedSlice.FindStringSubmatchIndex(lines[i]); m != nil {
			col := utf8.RuneCountInString(lines[i][:m[2]]) + 1
			v := lines[i][m[2]:m[3]]
			return Errorf(Pos{d.file, i + 1, col}, "invalid YAML: %s must be quoted, or YAML reads [] as a list: write %q", v, v)
		}
	}
	for i := max(0, line-2); i < len(lines) && i < line+1; i++ {
		if c := strings.IndexByte(lines[i], '\t'); c >= 0 && strings.TrimLeft(lines[i][:c], " ") == "" {
			return Errorf(Pos{d.file, i + 1, c + 1}, "invalid YAML: a tab indents this line; YAML indents with spaces only")
		}
	}
	return nil
}

// utf16Encoding names the encoding a UTF-16 byte order mark announces, or
// returns "".
func utf16Encoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "UTF-16 (little-endian, byte order mark FF FE)"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "UTF-16 (big-endian, byte order mark FE FF)"
	}
	return ""
}

// badChar finds the first byte sequence YAML refuses to read: invalid
// UTF-8 (reported as utf8.RuneError) or a character outside YAML's
// printable set. It returns its 1-based line and column in runes.
func badChar(data []byte) (line, col int, r rune, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		c, size := utf8.DecodeRune(data[i:])
		if c == utf8.RuneError && size <= 1 || !yamlPrintable(c) {
			return line, col, c, true
		}
		i += size
		col++
		if c == '\n' {
			line, col = line+1, 1
		}
	}
	return 0, 0, 0, false
}

// yamlPrintable is YAML 1.2's c-printable set, which the reader enforces.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd, r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

// noAliases rejects anchors' aliases and merge keys: descriptors are read by
// people, and expanding aliases invites exponential input.
func (d *decoder) noAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "YAML aliases are not supported; write the value out")
		return false
	}
	ok := true
	for _, c := range n.Content {
		ok = d.noAliases(c) && ok
	}
	return ok
}
