package scrub

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// span is a byte range [lo, hi) of the original text.
type span struct{ lo, hi int }

// view is the original text with some layers of escapes undone; for each
// of its bytes, where in the original that byte came from (from == nil:
// the original itself).
type view struct {
	text []byte
	from []span
}

func (v view) origin(i int) span {
	if v.from == nil {
		return span{i, i + 1}
	}
	return v.from[i]
}

// find appends the original spans of every needle in v.
func (v view) find(needles [][]byte, hits []span) []span {
	for _, n := range needles {
		for off := 0; ; {
			i := bytes.Index(v.text[off:], n)
			if i < 0 {
				break
			}
			lo, hi := off+i, off+i+len(n)
			for k := 0; k < 2 && hi < len(v.text) && v.text[hi] == '='; k++ {
				hi++ // base64 padding the needle left off
			}
			hits = append(hits, span{v.origin(lo).lo, v.origin(hi - 1).hi})
			off = hi
		}
	}
	return hits
}

// decode undoes one layer of %XX (either case), \uXXXX and \c escapes.
func (v view) decode() view {
	out := view{text: make([]byte, 0, len(v.text)), from: make([]span, 0, len(v.text))}
	for i := 0; i < len(v.text); {
		b, n := unescape(v.text[i:])
		src := span{v.origin(i).lo, v.origin(i + n - 1).hi}
		for range b {
			out.from = append(out.from, src)
		}
		out.text = append(out.text, b...)
		i += n
	}
	return out
}

// unescape decodes the escape at the start of t, if any: it returns the
// decoded bytes and how many bytes of t they replace.
func unescape(t []byte) ([]byte, int) {
	switch {
	case t[0] == '%' && len(t) >= 3 && isHex(t[1]) && isHex(t[2]):
		return []byte{hexVal(t[1])<<4 | hexVal(t[2])}, 3
	case t[0] == '\\' && len(t) >= 6 && t[1] == 'u' && isHex(t[2]) && isHex(t[3]) && isHex(t[4]) && isHex(t[5]):
		r := rune(hexVal(t[2]))<<12 | rune(hexVal(t[3]))<<8 | rune(hexVal(t[4]))<<4 | rune(hexVal(t[5]))
		if utf8.ValidRune(r) {
			return utf8.AppendRune(nil, r), 6
		}
	case t[0] == '\\' && len(t) >= 2:
		if c, ok := simpleEscapes[t[1]]; ok {
			return []byte{c}, 2
		}
	}
	return t[:1], 1
}

var simpleEscapes = map[byte]byte{'/': '/', '\\': '\\', '"': '"', '\'': '\'', 'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f'}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// replace writes src with every hit (merged where they overlap) replaced.
func replace(src []byte, hits []span) []byte {
	sort.Slice(hits, func(i, j int) bool { return hits[i].lo < hits[j].lo })
	out := make([]byte, 0, len(src))
	pos := 0
	for i := 0; i < len(hits); {
		lo, hi := hits[i].lo, hits[i].hi
		for i++; i < len(hits) && hits[i].lo <= hi; i++ {
			hi = max(hi, hits[i].hi)
		}
		out = append(append(out, src[pos:lo]...), Redacted...)
		pos = hi
	}
	return append(out, src[pos:]...)
}
