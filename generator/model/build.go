package model

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/naming"
)

// builder carries the state of one Build.
type builder struct {
	errs        descriptor.ErrorList
	pkg         *Package
	pkgScope    *scope
	types       map[string]*Struct // named types by declared name
	enums       map[string]*Enum
	declared    map[string]descriptor.Pos   // names types and enums share, for references
	badNames    map[string]descriptor.Pos   // declared names that are no Go type name
	dropped     map[*Struct]map[string]bool // fields left out after an error
	badFlow     map[*API]bool               // apis whose async flow had an error
	apis        map[string]*API
	apiNames    []string
	bases       map[string]string // output stem → source
	paths       map[string]origin // full wire path → the api that has it
	chanPaths   map[string]origin // wire path → the channel that has it
	specs       map[*API]*descriptor.API
	chanSpecs   map[*Channel]*descriptor.Channel
	services    map[string]*Service         // by Go name; a service may span files
	serviceDocs map[*Service]descriptor.Pos // where a service's doc is given
	fileOf      map[*descriptor.File]*File
	jsonTexts   []pendingJSON // resolved once every type is defined
}

// generatedNames are identifiers every generated package declares.
var generatedNames = []string{"Client", "NewClient"}

// Build resolves the decoded files into a package named pkgName with import
// path importPath (empty if unknown). The error, if any, is a
// descriptor.ErrorList naming every problem found.
func Build(files []*descriptor.File, pkgName, importPath string) (*Package, error) {
	if err := naming.CheckPackage(pkgName); err != nil {
		return nil, err
	}
	b := &builder{pkg: &Package{Name: pkgName, ImportPath: importPath}, types: map[string]*Struct{}, enums: map[string]*Enum{},
		declared: map[string]descriptor.Pos{}, badNames: map[string]descriptor.Pos{}, dropped: map[*Struct]map[string]bool{},
		badFlow: map[*API]bool{}, apis: map[string]*API{}, bases: map[string]string{}, paths: map[string]origin{}, chanPaths: map[string]origin{}, specs: map[*API]*descriptor.API{},
		chanSpecs: map[*Channel]*descriptor.Channel{}, services: map[string]*Service{}, serviceDocs: map[*Service]descriptor.Pos{},
		fileOf: map[*descriptor.File]*File{}}
	b.pkgScope = newScope(&b.errs, "rename one")
	b.pkgScope.inlineFix = "rename one, or set typeName on the inline object"
	for _, n := range generatedNames {
		b.pkgScope.add(n, origin{what: "the generated " + n})
	}
	for _, n := range reexportedNames {
		b.pkgScope.add(n, origin{what: "the re-exported ivhrt." + n})
	}
	mfiles := make([]*File, len(files))
	for i, f := range files {
		mfiles[i] = b.declare(f)
	}
	b.pkg.Files = mfiles
	for i, f := range files {
		b.define(f, mfiles[i])
	}
	b.defineChannels(files, mfiles)
	b.markRequests()
	b.resolveJSONTexts()
	for _, f := range files {
		for _, a := range f.APIs {
			b.resolveFlows(a)
		}
	}
	b.resolveChannels()
	b.assignFakePaths()
	b.nameClassifiers()
	b.checkServices()
	if importPath != "" && b.errs.Err() == nil {
		b.buildFake()
	}
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	return b.pkg, nil
}

// declare registers the names a file declares, so references between files
// resolve in any order.
func (b *builder) declare(f *descriptor.File) *File {
	mf := &File{Source: f.Name, Base: b.base(f.Name)}
	b.fileOf[f] = mf
	for _, t := range f.Types {
		name, ok := b.goName(t.Name, "type name")
		if !ok {
			b.badNames[t.Name.Value] = t.Name.Pos
		}
		if ok && b.declareRef(t.Name) {
			s := &Struct{Pos: t.Name.Pos, GoIdent: b.ident(name), Doc: t.Doc.Value, Role: RoleNamed, File: mf}
			b.types[t.Name.Value] = s
			b.pkgScope.add(name, origin{t.Name.Pos, fmt.Sprintf("type %q", t.Name.Value)})
		}
	}
	for _, e := range f.Enums {
		b.declareEnum(e, mf)
	}
	if f.Service.Set() {
		b.declareService(f, mf)
	}
	for _, t := range f.ErrorTables {
		b.declareCodes(t, mf)
	}
	return mf
}

// declareRef records a type or enum name in the namespace references use.
func (b *builder) declareRef(s descriptor.String) bool {
	if prev, dup := b.declared[s.Value]; dup {
		b.errs = append(b.errs, descriptor.Errorf(s.Pos, "%q is already declared at %s", s.Value, prev))
		return false
	}
	b.declared[s.Value] = s.Pos
	return true
}

// base derives the output file stem from a descriptor name: lower-case
// letters and digits only, so no stem can read as a build constraint
// (_linux) or a test file (_test).
func (b *builder) base(name string) string {
	stem := strings.TrimSuffix(path.Base(strings.ReplaceAll(name, "\\", "/")), path.Ext(name))
	stem = strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToLower(r)
		}
		return -1
	}, stem)
	pos := descriptor.Pos{File: name, Line: 1, Col: 1}
	switch {
	case stem == "":
		b.errs = append(b.errs, descriptor.Errorf(pos, "cannot derive an output file name from %q; use ASCII letters or digits", name))
	case b.bases[stem] != "":
		b.errs = append(b.errs, descriptor.Errorf(pos, "descriptors %s and %s both map to output files %s_*.go; rename one", b.bases[stem], name, stem))
	case stem == "client":
		b.errs = append(b.errs, descriptor.Errorf(pos, "descriptor name %q is reserved for the generated client.go; rename the file", name))
	default:
		b.bases[stem] = name
	}
	return stem
}

// ident returns the GoIdent of name in the generated package.
func (b *builder) ident(name string) GoIdent {
	return GoIdent{GoName: name, GoImportPath: b.pkg.ImportPath}
}

// goName checks that a declared name is an exported Go identifier.
func (b *builder) goName(s descriptor.String, what string) (string, bool) {
	if err := naming.CheckExported(s.Value); err != nil {
		hint := ""
		if alt, err := naming.Exported(s.Value); err == nil {
			hint = fmt.Sprintf("; did you mean %q?", alt)
		}
		b.errs = append(b.errs, descriptor.Errorf(s.Pos, "%s %v%s", what, err, hint))
		return "", false
	}
	return s.Value, true
}

func (b *builder) declareEnum(e *descriptor.EnumDecl, mf *File) {
	name, ok := b.goName(e.Name, "enum name")
	if !ok {
		b.badNames[e.Name.Value] = e.Name.Pos
	}
	if !ok || !b.declareRef(e.Name) {
		return
	}
	me := &Enum{Pos: e.Name.Pos, GoIdent: b.ident(name), Doc: e.Doc.Value, IsInt: e.Type.Value == "int", File: mf, Open: e.Open.Value}
	b.pkgScope.add(name, origin{e.Name.Pos, fmt.Sprintf("enum %q", e.Name.Value)})
	seen := map[string]descriptor.Pos{}
	for _, v := range e.Values {
		if prev, dup := seen[v.Value.Value]; dup {
			b.errs = append(b.errs, descriptor.Errorf(v.Value.Pos, "enum %s lists value %q twice (first at %s)", name, v.Value.Value, prev))
			continue
		}
		seen[v.Value.Value] = v.Value.Pos
		b.enumValue(me, v)
	}
	b.enums[e.Name.Value] = me
	mf.Enums = append(mf.Enums, me)
}

func (b *builder) enumValue(me *Enum, v *descriptor.EnumValue) {
	src, pos := v.Value.Value, v.Value.Pos
	if v.Name.Set() {
		src, pos = v.Name.Value, v.Name.Pos
	}
	c, err := naming.Join(me.GoIdent.GoName, src)
	if v.Name.Set() {
		c, err = me.GoIdent.GoName+src, checkEnumName(src)
	}
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(pos, "enum %s value: %v", me.GoIdent.GoName, err))
		return
	}
	what := fmt.Sprintf("enum %s value %q", me.GoIdent.GoName, v.Value.Value)
	val, err := valueOf(v.Value, me.IsInt)
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(v.Value.Pos, "%s: %v", what, err))
		return
	}
	if b.pkgScope.add(c, origin{pos, what}) {
		me.Values = append(me.Values, &EnumValue{Pos: v.Pos, GoIdent: b.ident(c), Value: val, Doc: v.Doc.Value})
	}
}

// checkEnumName accepts an explicit enum value name, which is used as
// given: it must be an identifier starting with an upper-case letter.
func checkEnumName(name string) error {
	err := naming.CheckExported(name)
	if err == nil {
		return nil
	}
	hint := "write it as a Go identifier starting with an upper-case letter"
	if alt := identifierLike(name); naming.CheckExported(alt) == nil {
		hint += fmt.Sprintf(", e.g. %q", alt)
	}
	return fmt.Errorf("name %v; the name is used as given, so %s", err, hint)
}

// identifierLike drops what cannot be in an identifier and capitalises the
// first letter, keeping the writer's case elsewhere: en-US → EnUS.
func identifierLike(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			if b.Len() == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// declareService declares the file's service, or adds the file to the
// service another file declared already: a service may span files.
func (b *builder) declareService(f *descriptor.File, mf *File) {
	name, ok := b.goName(f.Service, "service name")
	if !ok {
		return
	}
	if name == "Close" {
		b.errs = append(b.errs, descriptor.Errorf(f.Service.Pos, "service name Close would be a field of Client beside its Close method; rename the service"))
		return
	}
	s := b.services[name]
	if s == nil {
		s = &Service{Pos: f.Service.Pos, Name: name, ClientType: name + "Client", Interface: name + "API", File: mf}
		b.pkgScope.add(s.ClientType, origin{f.Service.Pos, fmt.Sprintf("service %q client type", name)})
		b.pkgScope.add(s.Interface, origin{f.Service.Pos, fmt.Sprintf("service %q interface", name)})
		b.services[name] = s
		b.pkg.Services = append(b.pkg.Services, s)
	}
	b.serviceDoc(s, f, mf)
	mf.Service = s
	s.Files = append(s.Files, mf)
	for _, a := range f.APIs {
		b.declareAPI(f, s, a)
	}
}

// serviceDoc takes the service's doc from the one file that gives it,
// which becomes the home file; a second, different doc is an error.
func (b *builder) serviceDoc(s *Service, f *descriptor.File, mf *File) {
	if !f.Doc.Set() {
		return
	}
	prev, given := b.serviceDocs[s]
	switch {
	case !given:
		s.Doc, s.File, b.serviceDocs[s] = f.Doc.Value, mf, f.Doc.Pos
	case s.Doc != f.Doc.Value:
		b.errs = append(b.errs, descriptor.Errorf(f.Doc.Pos, "service %s has another doc at %s; a service that spans files takes its doc from one of them, so drop one",
			s.Name, prev))
	}
}

func (b *builder) declareAPI(f *descriptor.File, s *Service, a *descriptor.API) {
	name, ok := b.goName(a.Name, "api name")
	if !ok {
		return
	}
	if prev, dup := b.apis[a.Name.Value]; dup {
		b.errs = append(b.errs, descriptor.Errorf(a.Name.Pos, "api %q is already declared at %s", name, prev.Pos))
		return
	}
	m := &API{Pos: a.Name.Pos, Name: name, Path: f.PathPrefix.Value + a.Path.Value, Method: a.Method.Value,
		Doc: a.Doc.Value, Deprecated: a.Deprecated.Value || a.ReplacedBy.Set(), DeprecatedNote: a.DeprecatedNote.Value,
		Idempotent: a.Idempotent.Value, OpVar: "op" + name, Service: s, File: b.fileOf[f]}
	if m.Method == "" {
		m.Method = "POST"
	}
	if prev, dup := b.paths[m.Path]; dup {
		b.errs = append(b.errs, descriptor.Errorf(a.Path.Pos, "api %q has wire path %s, which api %s at %s has already; each api needs its own path",
			name, m.Path, prev.what, prev.pos))
		return
	}
	b.paths[m.Path] = origin{a.Path.Pos, fmt.Sprintf("%q", name)}
	for _, suffix := range []string{"Request", "Response"} {
		b.pkgScope.add(name+suffix, origin{a.Name.Pos, fmt.Sprintf("api %q %s type", name, strings.ToLower(suffix))})
	}
	b.apis[a.Name.Value] = m
	b.apiNames = append(b.apiNames, a.Name.Value)
	b.specs[m] = a
	s.APIs = append(s.APIs, m)
	m.File.APIs = append(m.File.APIs, m)
}

func (b *builder) declareCodes(t *descriptor.ErrorTable, mf *File) {
	name, ok := b.goName(t.Table, "error table name")
	if !ok {
		return
	}
	ct := &CodeTable{Pos: t.Table.Pos, Name: name, Doc: t.Doc.Value, Task: t.Kind.Value == "task", Var: "codes" + name, File: mf}
	b.pkgScope.add(ct.Var, origin{t.Table.Pos, fmt.Sprintf("error table %q", name)})
	prefix := "Err"
	if ct.Task {
		prefix = "Fail"
	}
	seen := map[int64]descriptor.Pos{}
	for _, c := range t.Codes {
		if prev, dup := seen[c.Code.Value]; dup {
			b.errs = append(b.errs, descriptor.Errorf(c.Code.Pos, "code %d is listed twice in table %s (first at %s)", c.Code.Value, name, prev))
			continue
		}
		seen[c.Code.Value] = c.Code.Pos
		b.code(ct, c, prefix)
	}
	mf.CodeTables = append(mf.CodeTables, ct)
	b.pkg.CodeTables = append(b.pkg.CodeTables, ct)
}

func (b *builder) code(ct *CodeTable, c *descriptor.Code, prefix string) {
	cn, err := naming.Join(prefix, c.Name.Value)
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(c.Name.Pos, "code name: %v", err))
		return
	}
	if b.pkgScope.add(cn, origin{c.Name.Pos, fmt.Sprintf("code %q", c.Name.Value)}) {
		ct.Codes = append(ct.Codes, &Code{Pos: c.Pos, Value: c.Code.Value, Const: cn, Name: c.Name.Value,
			Category: c.Category.Value, Doc: c.Doc.Value})
	}
}

// checkServices checks the Go method names of each service in one scope:
// its APIs, their waiters and page iterators, and its channels' Open and
// Run methods.
func (b *builder) checkServices() {
	scopes := map[*Service]*scope{}
	for _, f := range b.pkg.Files {
		s := f.Service
		if s == nil {
			continue
		}
		if scopes[s] == nil {
			scopes[s] = newScope(&b.errs, "rename the api or the channel")
			b.addAPIMethods(scopes[s], s)
		}
		for _, c := range f.Channels {
			b.addChannelMethods(scopes[s], c)
		}
	}
}

func (b *builder) addAPIMethods(sc *scope, s *Service) {
	for _, a := range s.APIs {
		sc.add(a.Name, origin{a.Pos, fmt.Sprintf("api %q", a.Name)})
	}
	for _, a := range s.APIs {
		if a.Async != nil {
			pos := b.specs[a].Async.Pos
			sc.add(a.Async.Waiter, origin{pos, fmt.Sprintf("the waiter of api %q", a.Name)})
			sc.add(a.Name+"Handle", origin{pos, fmt.Sprintf("the handle method of api %q", a.Name)})
			if len(a.Async.Copies) == 0 {
				sc.add(a.Async.Waiter+"Handle", origin{pos, fmt.Sprintf("the handle waiter of api %q", a.Name)})
			}
		}
		if a.Paging != nil {
			sc.add(a.Paging.Method, origin{b.specs[a].Paging.Pos, fmt.Sprintf("the page iterator of api %q", a.Name)})
		}
	}
}

func (b *builder) addChannelMethods(sc *scope, c *Channel) {
	sc.add(c.Open, origin{c.Pos, fmt.Sprintf("the open method of channel %q", c.Name)})
	if c.Session != nil {
		for _, r := range c.Session.Runs {
			sc.add(r.Method, origin{b.chanSpecs[c].Session.Pos, fmt.Sprintf("the Run method of session create api %q", r.Create.Name)})
		}
	}
}
