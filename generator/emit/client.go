package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// clientFile is client.go: the Client that groups the services, NewClient
// and the compile-time check against the runtime.
func clientFile(pkg *model.Package) *jen.File {
	f := newFile(pkg, sources(pkg))
	f.Add(docComment("A compile error on this line means the runtime package is older or newer than the " +
		"contract this package was generated against; regenerate it with the ivhgen of the same module version."))
	f.Const().Id("_").Op("=").Add(rt("SupportsGeneratedV4"))
	f.Line()
	emitClientStruct(f, pkg)
	emitNewClient(f, pkg)
	if len(apiTables(pkg)) > 0 {
		emitAllCodes(f, pkg)
	}
	return f
}

// emitClientStruct writes the Client type.
//
//	type Client struct {
//		Video *VideoClient
//	}
func emitClientStruct(f *jen.File, pkg *model.Package) {
	f.Add(docComment("Client calls the aPaaS APIs. Its fields group them by service; each field's type " +
		"implements the service's interface, so code can depend on the interface and tests on a fake."))
	f.Type().Id("Client").StructFunc(func(g *jen.Group) {
		for i, s := range pkg.Services {
			if i > 0 {
				g.Line()
			}
			g.Add(docComment(fmt.Sprintf("%s calls the %s APIs.", s.Name, s.Name), firstParagraph(s.Doc)))
			g.Id(s.Name).Op("*").Id(s.ClientType)
		}
		g.Line()
		g.Id("rt").Op("*").Add(rt("Client"))
	})
	f.Line()
	f.Add(docComment("Close makes later calls of c fail with ErrClientClosed and releases the idle connections " +
		"of a transport the client owns. Calls in flight finish. It is idempotent and returns nil."))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("Close").Params().Error().Block(
		jen.If(jen.Id("c").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Id("c").Dot("rt").Dot("Close").Call()),
	)
	f.Line()
}

// emitNewClient writes the constructor.
//
//	func NewClient(appKey, accessToken string, opts ...ivhrt.Option) (*Client, error) {
//		core, err := ivhrt.NewClient(appKey, accessToken, append([]ivhrt.Option{ivhimpl.WithCodes(allCodes)}, opts...)...)
//		if err != nil { return nil, err }
//		return &Client{Video: &VideoClient{rt: core}}, nil
//	}
func emitNewClient(f *jen.File, pkg *model.Package) {
	f.Add(docComment("NewClient returns a client that signs its calls with appKey and accessToken. Options " +
		"re-exported from package ivhrt set the gateway (WithBaseURL), the HTTP client, retries, logging and " +
		"validation. The documented result codes are registered, so errors carry their category."))
	optsArg := jen.Id("opts").Op("...")
	if len(apiTables(pkg)) > 0 {
		optsArg = jen.Append(jen.Index().Add(rt("Option")).Values(rt("WithCodes").Call(jen.Id("allCodes"))), jen.Id("opts").Op("...")).Op("...")
	}
	var services []jen.Code
	for _, s := range pkg.Services {
		services = append(services, kv(s.Name, jen.Op("&").Id(s.ClientType).Values(kv("rt", jen.Id("core")))))
	}
	services = append(services, kv("rt", jen.Id("core")))
	core := jen.Id("core")
	f.Func().Id("NewClient").Params(jen.List(jen.Id("appKey"), jen.Id("accessToken")).String(), jen.Id("opts").Op("...").Add(rt("Option"))).
		Params(jen.Op("*").Id("Client"), jen.Error()).Block(
		jen.List(core, jen.Err()).Op(":=").Add(rt("NewClient")).Call(jen.Id("appKey"), jen.Id("accessToken"), optsArg),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id("Client").Custom(multiline, services...), jen.Nil()),
	)
	f.Line()
}

// emitAllCodes writes the union of the code tables; one table is used as is.
//
//	var allCodes = slices.Concat(codesVideoAPI, codesSessionAPI)
//	var allCodes = codesAPICodes
func emitAllCodes(f *jen.File, pkg *model.Package) {
	var vars []jen.Code
	for _, t := range apiTables(pkg) {
		vars = append(vars, jen.Id(t.Var))
	}
	union := jen.Qual(slicesPath, "Concat").Call(vars...)
	if len(vars) == 1 {
		union = jen.Add(vars[0])
	}
	f.Add(docComment("allCodes is every documented code of API responses, registered by NewClient. Task fail " +
		"codes are left out: they share numbers with API codes but not their categories."))
	f.Var().Id("allCodes").Op("=").Add(union)
	f.Line()
}

// apiTables are the code tables of kind api: only they set the categories
// of *APIError codes.
func apiTables(pkg *model.Package) []*model.CodeTable {
	var out []*model.CodeTable
	for _, t := range pkg.CodeTables {
		if !t.Task {
			out = append(out, t)
		}
	}
	return out
}
