package emit

import (
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"
)

// wrapWidth is where doc comment text wraps.
const wrapWidth = 80

// docComment renders paragraphs as one // comment block. Descriptor text is
// untrusted: sanitize removes control and format characters and line
// separators, and every line gets its own "// " prefix: the space keeps text
// such as "//go:generate" or "//line" from ever forming a directive, and a
// line comment makes "*/" inert.
func docComment(paragraphs ...string) jen.Code {
	var lines []string
	for _, p := range paragraphs {
		for _, para := range splitParagraphs(p) {
			if len(lines) > 0 {
				lines = append(lines, "//")
			}
			for _, l := range wrap(para, wrapWidth) {
				lines = append(lines, "// "+l)
			}
		}
	}
	if len(lines) == 0 {
		return jen.Null()
	}
	return jen.Comment(strings.Join(lines, "\n"))
}

// splitParagraphs sanitizes text and splits it at blank lines; the lines of
// one paragraph are joined with spaces.
func splitParagraphs(text string) []string {
	var out []string
	for _, block := range strings.Split(sanitize(text), "\n\n") {
		para := strings.Join(strings.Fields(block), " ")
		if para != "" {
			out = append(out, para)
		}
	}
	return out
}

// sanitize keeps printable text and newlines; tabs become spaces and every
// other control, format (bidi) or separator character is dropped or, for
// line and paragraph separators, turned into a newline.
func sanitize(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r == '\t' || unicode.IsSpace(r):
			return ' '
		case !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, text)
}

// wrap breaks a paragraph into lines of at most width bytes where it can.
func wrap(para string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(para) {
		// A path stays on the line that names it, so it never starts a
		// line (gofmt would take an indented path for code).
		if cur.Len() > 0 && cur.Len()+1+len(w) > width && !strings.HasPrefix(w, "/") {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
