package model

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// resolveFlows resolves replacedBy, async and paging of one API.
func (b *builder) resolveFlows(sa *descriptor.API) {
	a := b.apis[sa.Name.Value]
	if a == nil || b.specs[a] != sa {
		return // not declared; reported already
	}
	if sa.ReplacedBy.Set() {
		a.ReplacedBy = b.apiRef(sa.ReplacedBy, "replacedBy")
	}
	if sa.Async != nil {
		n := len(b.errs)
		a.Async = b.async(a, sa.Async)
		b.badFlow[a] = len(b.errs) > n
	}
	if sa.Paging != nil {
		a.Paging = b.paging(a, sa.Paging)
	}
}

// apiRef resolves a reference to an API by name.
func (b *builder) apiRef(s descriptor.String, what string) *API {
	if a := b.apis[s.Value]; a != nil {
		return a
	}
	b.errs = append(b.errs, descriptor.Errorf(s.Pos, "%s names unknown api %q%s", what, s.Value, descriptor.Suggest(s.Value, b.apiNames)))
	return nil
}

// fieldRef resolves a reference by wire name to a field of s.
func (b *builder) fieldRef(ref descriptor.String, s *Struct, what string, kinds ...Kind) *Field {
	var names []string
	for _, f := range s.Fields {
		if f.Wire == ref.Value {
			if len(kinds) > 0 && !slices.Contains(kinds, f.Type.Base()) {
				b.errs = append(b.errs, descriptor.Errorf(ref.Pos, "%s %q of %s has type %s; it needs %s", what, ref.Value, s.GoIdent.GoName, typeText(f.Type), kindList(kinds)))
				return nil
			}
			return f
		}
		names = append(names, f.Wire)
	}
	if b.dropped[s][ref.Value] {
		return nil // left out after an error reported at the field
	}
	b.errs = append(b.errs, descriptor.Errorf(ref.Pos, "%s %q is not a field of %s%s", what, ref.Value, s.GoIdent.GoName, descriptor.Suggest(ref.Value, names)))
	return nil
}

// kindList names the kinds a reference accepts: "string or int".
func kindList(kinds []Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		if k == Array {
			names[i] = "an array" // typeText needs the element type
		} else {
			names[i] = typeText(&Type{Kind: k})
		}
	}
	return strings.Join(names, " or ")
}

func (b *builder) async(a *API, sa *descriptor.Async) *Async {
	poll := b.apiRef(sa.Poll, "async poll")
	if poll == nil {
		return nil
	}
	if poll == a {
		b.errs = append(b.errs, descriptor.Errorf(sa.Poll.Pos, "api %s cannot poll itself", a.Name))
		return nil
	}
	m := &Async{Poll: poll, Waiter: "Wait" + a.Name}
	m.ID = b.fieldRef(sa.ID, a.Response, "async id", String, Int, Int64)
	pollID := sa.PollID
	if !pollID.Set() {
		pollID = descriptor.String{Value: sa.ID.Value, Pos: sa.ID.Pos}
	}
	if m.ID != nil || sa.PollID.Set() { // else the id is reported once, above
		m.PollID = b.fieldRef(pollID, poll.Request, "async pollId", String, Int, Int64)
	}
	if m.ID != nil && m.PollID != nil {
		b.sameType(pollID.Pos, m.ID, a.Response, m.PollID, poll.Request)
	}
	m.Status = b.fieldRef(sa.Status, poll.Response, "async status", String, Int)
	if sa.FailCode.Set() {
		m.FailCode = b.fieldRef(sa.FailCode, poll.Response, "async failCode", Int, Int64)
		if m.FailCode != nil && m.FailCode.Type.Kind == Int {
			m.FailCode.Type = failCodeType
		}
	}
	if sa.FailMessage.Set() {
		m.FailMessage = b.plainRef(sa.FailMessage, poll.Response, "async failMessage", String)
	}
	if sa.Progress.Set() {
		m.Progress = b.fieldRef(sa.Progress, poll.Response, "async progress", Int)
	}
	if sa.Queue.Set() {
		m.Queue = b.fieldRef(sa.Queue, poll.Response, "async queue", Int)
	}
	if m.Status != nil {
		seen := map[string]descriptor.Pos{}
		m.Success = b.literals(m.Status, sa.Success, seen)
		m.Failure = b.literals(m.Status, sa.Failure, seen)
		m.FakePath = b.fakePath(m, sa)
	}
	m.Copies = b.copies(a, poll, sa, m.PollID)
	if m.PollID != nil {
		b.pollFilled(sa, poll, m)
	}
	return m
}

// pollFilled rejects a required poll request field that the waiter leaves
// empty: every poll would be invalid, so the wait could never succeed.
func (b *builder) pollFilled(sa *descriptor.Async, poll *API, m *Async) {
	filled := map[*Field]bool{m.PollID: true}
	for _, c := range m.Copies {
		filled[c.To] = true
	}
	for _, f := range poll.Request.Fields {
		if f.Required && !f.Autofill && !filled[f] {
			b.errs = append(b.errs, descriptor.Errorf(sa.Poll.Pos, "poll request field %q of %s is required, but the waiter fills only the id and the pollFields; add it to pollFields or make it optional",
				f.Wire, poll.Request.GoIdent.GoName))
		}
	}
}

// plainRef is fieldRef for a field that must have one of kinds itself, not
// an enum over it: the generated code uses it as a plain value.
func (b *builder) plainRef(ref descriptor.String, s *Struct, what string, kinds ...Kind) *Field {
	f := b.fieldRef(ref, s, what, kinds...)
	if f != nil && f.Type.Kind == EnumKind {
		b.errs = append(b.errs, descriptor.Errorf(ref.Pos, "%s %q of %s has enum type %s; it needs plain %s", what, ref.Value, s.GoIdent.GoName, f.Type.Enum.GoIdent.GoName, kindList(kinds)))
		return nil
	}
	return f
}

// sameType requires two fields to hold the same Go type, Opt aside.
func (b *builder) sameType(pos descriptor.Pos, from *Field, fromOwner *Struct, to *Field, toOwner *Struct) {
	if typeText(from.Type) != typeText(to.Type) {
		b.errs = append(b.errs, descriptor.Errorf(pos, "field %q of %s has type %s but field %q of %s has type %s; they must match",
			from.Wire, fromOwner.GoIdent.GoName, typeText(from.Type), to.Wire, toOwner.GoIdent.GoName, typeText(to.Type)))
	}
}

// literals checks status values against the status field's type.
func (b *builder) literals(status *Field, vals []descriptor.Scalar, seen map[string]descriptor.Pos) []Literal {
	var out []Literal
	for _, v := range vals {
		if prev, dup := seen[v.Value]; dup {
			b.errs = append(b.errs, descriptor.Errorf(v.Pos, "status value %q is listed twice (first at %s)", v.Value, prev))
			continue
		}
		seen[v.Value] = v.Pos
		if lit, ok := b.literal(status, v); ok {
			out = append(out, lit)
		}
	}
	return out
}

// enumLiteral is the constant of e whose value reads v; what names v in
// the error when there is none.
func (b *builder) enumLiteral(e *Enum, v descriptor.Scalar, what string) (Literal, bool) {
	var names []string
	for _, ev := range e.Values {
		if ev.Value.Text() == v.Value {
			return Literal{Enum: ev, Value: ev.Value}, true
		}
		names = append(names, ev.Value.Text())
	}
	b.errs = append(b.errs, descriptor.Errorf(v.Pos, "%s %q is not a value of enum %s%s", what, v.Value, e.GoIdent.GoName, descriptor.Suggest(v.Value, names)))
	return Literal{}, false
}

func (b *builder) literal(status *Field, v descriptor.Scalar) (Literal, bool) {
	if !b.literalKind(status, v) {
		return Literal{}, false
	}
	if e := status.Type.Enum; e != nil {
		return b.enumLiteral(e, v, "status value")
	}
	val, err := valueOf(v, v.IsInt)
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "status value %s: %v", v.Value, err))
		return Literal{}, false
	}
	return Literal{Value: val}, true
}

// literalKind holds status values to the rule enum declarations follow: an
// int is written unquoted, a string quoted when it looks like a number.
func (b *builder) literalKind(status *Field, v descriptor.Scalar) bool {
	wantInt := status.Type.Base() == Int
	switch {
	case wantInt && !v.IsInt:
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "status value %q does not fit field %q of type %s; write an int unquoted", v.Value, status.Wire, typeText(status.Type)))
	case !wantInt && v.IsInt:
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "status value %s does not fit field %q of type %s; quote it", v.Value, status.Wire, typeText(status.Type)))
	case wantInt && !descriptor.FitsInt(v.Value):
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "status value %s is out of range of int on 32-bit platforms (%s)", v.Value, descriptor.IntRange))
	default:
		return true
	}
	return false
}

// copies resolves pollFields: fields of the same wire name in both requests.
func (b *builder) copies(a, poll *API, sa *descriptor.Async, pollID *Field) []Copy {
	var out []Copy
	seen := map[string]descriptor.Pos{}
	for _, pf := range sa.PollFields {
		if prev, dup := seen[pf.Value]; dup {
			b.errs = append(b.errs, descriptor.Errorf(pf.Pos, "pollField %q is listed twice (first at %s)", pf.Value, prev))
			continue
		}
		seen[pf.Value] = pf.Pos
		from := b.fieldRef(pf, a.Request, "async pollField")
		to := b.fieldRef(pf, poll.Request, "async pollField")
		switch {
		case from == nil || to == nil:
		case to == pollID:
			b.errs = append(b.errs, descriptor.Errorf(pf.Pos, "pollField %q is the poll id already", pf.Value))
		default:
			b.sameType(pf.Pos, from, a.Request, to, poll.Request)
			out = append(out, Copy{From: from, To: to})
		}
	}
	return out
}

func (b *builder) paging(a *API, sp *descriptor.Paging) *Paging {
	p := &Paging{Method: a.Name + "All"}
	p.Index = b.plainRef(sp.Index, a.Request, "paging index", Int, Int64)
	p.Size = b.plainRef(sp.Size, a.Request, "paging size", Int, Int64)
	p.Total = b.plainRef(sp.Total, a.Response, "paging total", Int, Int64)
	p.Items = b.fieldRef(sp.Items, a.Response, "paging items", Array)
	if p.Index == nil || p.Size == nil || p.Total == nil || p.Items == nil {
		return nil
	}
	if p.Index == p.Size {
		b.errs = append(b.errs, descriptor.Errorf(sp.Size.Pos, "paging index and size must be different fields"))
		return nil
	}
	b.createdBy(a, p, sp)
	return p
}

// createdBy resolves the APIs that create a list's items: each once, not
// the list itself, and the items must be structs for the fake to fill.
func (b *builder) createdBy(a *API, p *Paging, sp *descriptor.Paging) {
	if len(sp.CreatedBy) > 0 && p.Items.Type.Elem.Kind != StructKind {
		b.errs = append(b.errs, descriptor.Errorf(sp.CreatedBy[0].Pos, "createdBy needs items of a struct type, not %s: the fake fills each item from what was created",
			typeText(p.Items.Type)))
		return
	}
	seen := map[string]descriptor.Pos{}
	for _, ref := range sp.CreatedBy {
		if prev, dup := seen[ref.Value]; dup {
			b.errs = append(b.errs, descriptor.Errorf(ref.Pos, "createdBy lists api %q twice (first at %s)", ref.Value, prev))
			continue
		}
		seen[ref.Value] = ref.Pos
		c := b.apiRef(ref, "createdBy")
		switch {
		case c == nil:
		case c == a:
			b.errs = append(b.errs, descriptor.Errorf(ref.Pos, "createdBy names the list api %s itself; name the api that creates its items", a.Name))
		default:
			p.CreatedBy = append(p.CreatedBy, c)
			c.Feeds = append(c.Feeds, a)
		}
	}
}

// nameClassifiers gives each distinct poll shape one classify func, named
// after its poll API; a second shape on the same poll gets a number.
func (b *builder) nameClassifiers() {
	byShape, taken := map[string]string{}, map[string]bool{}
	for _, s := range b.pkg.Services {
		for _, a := range s.APIs {
			w := a.Async
			if w == nil || w.Status == nil {
				continue
			}
			key := classifyShape(w)
			if name, ok := byShape[key]; ok {
				w.Classify = name
				continue
			}
			name := "classify" + w.Poll.Name
			for n := 2; taken[name]; n++ {
				name = "classify" + w.Poll.Name + strconv.Itoa(n)
			}
			byShape[key], taken[name] = name, true
			w.Classify, w.ClassifyOwner = name, true
		}
	}
}

// classifyShape is what a classify func depends on.
func classifyShape(w *Async) string {
	field := func(f *Field) string {
		if f == nil {
			return ""
		}
		return f.Name
	}
	texts := func(ls []Literal) string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Value.Text())
		}
		return strings.Join(out, "\x00")
	}
	return strings.Join([]string{w.Poll.Name, field(w.Status), texts(w.Success), texts(w.Failure), field(w.FailCode), field(w.FailMessage)}, "\x01")
}
