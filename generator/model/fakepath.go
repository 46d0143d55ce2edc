package model

import (
	"slices"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// fakePath resolves an async flow's fakePath: status values of the poll,
// every one but the last pending (neither success nor failure), the last a
// success value.
func (b *builder) fakePath(m *Async, sa *descriptor.Async) []Literal {
	if len(sa.FakePath) == 0 {
		return nil
	}
	var out []Literal
	for i, v := range sa.FakePath {
		lit, ok := b.literal(m.Status, v)
		if !ok {
			return nil
		}
		last := i == len(sa.FakePath)-1
		switch {
		case last && !hasLiteral(m.Success, lit):
			b.errs = append(b.errs, descriptor.Errorf(v.Pos, "fakePath ends in %q, which is not a success value of this flow; end it in one of %s",
				v.Value, literalTexts(m.Success)))
			return nil
		case !last && (hasLiteral(m.Success, lit) || hasLiteral(m.Failure, lit)):
			b.errs = append(b.errs, descriptor.Errorf(v.Pos, "fakePath value %q ends the wait, so no poll after it is seen; only the last value may be a success value", v.Value))
			return nil
		}
		out = append(out, lit)
	}
	return out
}

func hasLiteral(ls []Literal, l Literal) bool {
	return slices.ContainsFunc(ls, func(x Literal) bool { return x.Value == l.Value })
}

func literalTexts(ls []Literal) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Value.Text())
	}
	return strings.Join(out, ", ")
}

// assignFakePaths gives each poll API the fakePath of the flows that poll
// it: the fake keeps one task script per poll API, so two flows that poll
// one API and declare different paths are an error.
func (b *builder) assignFakePaths() {
	from := map[*API]*API{}
	for _, s := range b.pkg.Services {
		for _, a := range s.APIs {
			w := a.Async
			if w == nil || w.FakePath == nil {
				continue
			}
			prev := from[w.Poll]
			if prev == nil {
				from[w.Poll], w.Poll.FakePath = a, w.FakePath
				continue
			}
			if !slices.EqualFunc(prev.Async.FakePath, w.FakePath, func(x, y Literal) bool { return x.Value == y.Value }) {
				b.errs = append(b.errs, descriptor.Errorf(b.specs[a].Async.FakePathPos,
					"fakePath of api %s differs from the one of api %s at %s, which polls %s too; the fake keeps one path per poll api, so declare the same path or one of them",
					a.Name, prev.Name, b.specs[prev].Async.FakePathPos, w.Poll.Name))
			}
		}
	}
	b.checkInheritedPaths(from)
}

// checkInheritedPaths requires a flow that takes its poll's fakePath from
// another flow to succeed on the path's last value too.
func (b *builder) checkInheritedPaths(from map[*API]*API) {
	for _, s := range b.pkg.Services {
		for _, a := range s.APIs {
			w := a.Async
			if w == nil || w.FakePath != nil || w.Poll.FakePath == nil {
				continue
			}
			last := w.Poll.FakePath[len(w.Poll.FakePath)-1]
			if !hasLiteral(w.Success, last) {
				b.errs = append(b.errs, descriptor.Errorf(b.specs[a].Async.Pos,
					"api %s polls %s, whose fakePath (declared by api %s at %s) ends in %q, which is not a success value of this flow; end the path in a value every flow polling %s succeeds on",
					a.Name, w.Poll.Name, from[w.Poll].Name, b.specs[from[w.Poll]].Async.FakePathPos, last.Value.Text(), w.Poll.Name))
			}
		}
	}
}
