package model

import (
	"fmt"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// origin says where a Go identifier comes from, for collision messages.
type origin struct {
	pos  descriptor.Pos // zero for identifiers the generator always emits
	what string         // e.g. `api "VideoMake" request type`
}

func (o origin) String() string {
	if !o.pos.IsValid() {
		return o.what
	}
	return o.pos.String() + ": " + o.what
}

// scope is one namespace of Go identifiers: the package, a struct's fields
// or a service's methods.
type scope struct {
	names map[string]origin
	errs  *descriptor.ErrorList
	fix   string // how to resolve a clash, for the message
	// inlineFix replaces fix when an inline object is in the clash.
	inlineFix string
}

// inlineWhat starts the origin of every inline object type.
const inlineWhat = "inline object"

func newScope(errs *descriptor.ErrorList, fix string) *scope {
	return &scope{names: map[string]origin{}, errs: errs, fix: fix}
}

// add declares name; a second declaration is an error naming both origins.
func (s *scope) add(name string, o origin) bool {
	if prev, dup := s.names[name]; dup {
		pos := o.pos
		if !pos.IsValid() {
			pos = prev.pos
		}
		fix := s.fix
		if s.inlineFix != "" && (strings.HasPrefix(o.what, inlineWhat) || strings.HasPrefix(prev.what, inlineWhat)) {
			fix = s.inlineFix
		}
		msg := fmt.Sprintf("%s and %s both map to Go name %s; %s", o.what, prev, name, fix)
		*s.errs = append(*s.errs, descriptor.Errorf(pos, "%s", msg))
		return false
	}
	s.names[name] = o
	return true
}
