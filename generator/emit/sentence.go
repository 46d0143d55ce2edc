package emit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// leadSentence makes the first paragraph of a declaration's doc a sentence
// about name, as Go doc comments read: "State of a task." becomes
// "TaskStatus is the state of a task.", "A layer." becomes "Layer is a
// layer.". A first word such as TRTC or VideoMake keeps its case.
func leadSentence(name, para string) string {
	if para == "" {
		return name + "."
	}
	first, _, _ := strings.Cut(para, " ")
	lower := lowerFirst(first) != first && !hasInnerUpper(first)
	text := para
	if lower {
		text = lowerFirst(first) + para[len(first):]
	}
	switch strings.ToLower(first) {
	case "the":
		if pluralHead(strings.TrimPrefix(text, "the ")) {
			return name + " holds " + text
		}
		return name + " is " + text
	case "a", "an", "one", "what", "which", "how", "whether", "where", "when":
		return name + " is " + text
	}
	if pluralHead(text) {
		return name + " holds the " + text
	}
	return name + " is the " + text
}

// pluralHead reports whether one of the first two words of text reads as a
// plural noun ("options", "anchors"), which "is the" would not fit.
func pluralHead(text string) bool {
	words := strings.Fields(text)
	for i, w := range words {
		if i == 2 {
			break
		}
		w = strings.TrimRight(w, ".,;:()")
		if strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "sis") && !strings.HasSuffix(w, "us") && len(w) > 3 {
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// hasInnerUpper reports whether a word has an upper-case letter after its
// first, as initialisms and Go names do.
func hasInnerUpper(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}
