package model

import (
	"fmt"
	"strconv"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// Fake names the typed fake gateway package generated next to the client
// when its import path is known. Every name the fake declares or imports
// is fixed here, so emit never builds one.
type Fake struct {
	Name       string // package name and directory: <pkg>test
	ImportPath string
	// Client is the name the fake imports the client package under: the
	// package's own name, or, when that would clash with a name the fake
	// declares or imports (FakeReserved), the first of name1, name2, ...
	// that does not. Renaming the import, not the fake's identifiers,
	// keeps the fake's API the same for every -package.
	Client string
}

// FakeImports are the packages a fake may import, by import name.
var FakeImports = []string{"context", "fmt", "iter", "strconv", "fakegw", "channeltest", "ivhrt"}

// FakeLocals are the identifiers a fake declares at package scope, as
// parameters or as locals. The client import must not take one of them:
// a parameter named like the import shadows it.
var FakeLocals = []string{
	"Server", "New", "Start", "serve", "Operation", "Operations",
	"s", "f", "c", "r", "t", "id", "tb", "ctx", "req", "resp", "opts", "store", "sess", "failCode", "message",
	"status", "poll", "h", "requestID", "items", "total",
}

// FakeReserved reports whether the fake declares or imports name.
func FakeReserved(name string) bool {
	for _, list := range [][]string{FakeImports, FakeLocals} {
		for _, n := range list {
			if n == name {
				return true
			}
		}
	}
	return false
}

// FakeName is the name and directory of the fake of package pkg.
func FakeName(pkg string) string { return pkg + "test" }

// buildFake names the fake and its methods, and checks them.
func (b *builder) buildFake() {
	p := b.pkg
	name := FakeName(p.Name)
	if err := CheckFakeName(p.Name); err != nil {
		b.errs = append(b.errs, descriptor.Errorf(descriptor.Pos{}, "%v", err))
		return
	}
	p.Fake = &Fake{Name: name, ImportPath: p.ImportPath + "/" + name, Client: p.Name}
	for i := 1; FakeReserved(p.Fake.Client); i++ {
		p.Fake.Client = p.Name + strconv.Itoa(i)
	}
	// A generated method may shadow one promoted from *fakegw.Fake (a
	// channel named Channel gives ServeChannel): that compiles, generated
	// code reaches the base through s.Server, and the base stays reachable
	// for users the same way. Only the fake's own names may not clash.
	methods := newScope(&b.errs, "rename the api or the channel")
	for _, n := range []string{"Client", "Fake", "Server"} {
		methods.add(n, origin{what: "the fake's " + n})
	}
	for _, s := range p.Services {
		b.fakeMethods(methods, s)
	}
}

// fakeMethods names the fake methods of one service's APIs and channels.
func (b *builder) fakeMethods(sc *scope, s *Service) {
	s.FakeServe = "serve" + s.Name
	sc.add(s.FakeServe, origin{s.Pos, fmt.Sprintf("the fake's defaults of service %q", s.Name)})
	for _, a := range s.APIs {
		a.Handle = "Handle" + a.Name
		sc.add(a.Handle, origin{a.Pos, fmt.Sprintf("the fake's handler setter of api %q", a.Name)})
		if a.Async != nil && len(a.Async.Failure) > 0 {
			a.FailNext = "FailNext" + a.Name
			sc.add(a.FailNext, origin{a.Pos, fmt.Sprintf("the fake's failure script of api %q", a.Name)})
		}
	}
	for _, c := range s.Channels() {
		if c.Session != nil || c.Flat {
			c.Serve = "Serve" + c.Name
			sc.add(c.Serve, origin{c.Pos, fmt.Sprintf("the fake's server of channel %q", c.Name)})
		}
	}
}

// CheckFakeName returns an error unless the fake of package pkg has a name
// that can be an import path element.
func CheckFakeName(pkg string) error {
	if name := FakeName(pkg); !asciiIdent(name) {
		return fmt.Errorf("package name %q gives the fake gateway directory %s, which is not a valid import path element; use an ASCII package name or -fake=false", pkg, name)
	}
	return nil
}

// asciiIdent reports whether name is an identifier of ASCII letters,
// digits and underscores, which an import path element may hold.
func asciiIdent(name string) bool {
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return name != ""
}
