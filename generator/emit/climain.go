package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

const ivhcliPath = "github.com/ivhgen/ivhgen/runtime/ivhcli"

// RenderCLI renders main.go of command name, a command line for pkg over
// runtime/ivhcli (ivhgen -cli). pkg must have its fake: the command's -fake
// and its API table come from it.
//
//	func main() {
//		os.Exit(ivhcli.Main(ivhcli.App[*apaas.Client]{
//			Name: "greet", Operations: operations(), NewClient: apaas.NewClient, StartFake: startFake,
//		}))
//	}
func RenderCLI(pkg *model.Package, name string) (Output, error) {
	if pkg.Fake == nil {
		return Output{}, fmt.Errorf("the command of package %s needs its fake gateway package", pkg.Name)
	}
	return render(job{"main.go", func() *jen.File { return cliFile(pkg, name) }})
}

// cliLocals are the names main.go declares or imports besides the packages.
var cliLocals = map[string]bool{"main": true, "operations": true, "startFake": true, "ops": true, "op": true,
	"srv": true, "err": true, "os": true, "ivhcli": true}

// cliImport is the name main.go imports a generated package under: its own,
// or with "pkg" appended when that is one of cliLocals.
func cliImport(name string) string {
	if cliLocals[name] {
		return name + "pkg"
	}
	return name
}

func cliFile(pkg *model.Package, name string) *jen.File {
	f := jen.NewFile("main")
	f.HeaderComment(Header(sources(pkg)))
	f.ImportName(ivhcliPath, "ivhcli")
	f.ImportAlias(pkg.ImportPath, cliImport(pkg.Name))
	fakePath := pkg.Fake.ImportPath
	f.ImportAlias(fakePath, cliImport(pkg.Fake.Name))
	f.PackageComment(fmt.Sprintf("Command %s calls the APIs of package %s by name: %s list, %s help <API>, "+
		"%s [-fake] [-wait | -all] <API> -d JSON. Its flags and exit codes are those of runtime/ivhcli "+
		"(%s -h). ivhgen -cli wrote it; regenerate it with the package.", name, pkg.Name, name, name, name, name))
	client := jen.Op("*").Qual(pkg.ImportPath, "Client")
	op := jen.Qual(ivhcliPath, "Operation").Types(client.Clone())
	f.Func().Id("main").Params().Block(
		jen.Qual("os", "Exit").Call(jen.Qual(ivhcliPath, "Main").Call(jen.Qual(ivhcliPath, "App").Types(client.Clone()).Values(jen.Dict{
			jen.Id("Name"):       jen.Lit(name),
			jen.Id("Operations"): jen.Id("operations").Call(),
			jen.Id("NewClient"):  jen.Qual(pkg.ImportPath, "NewClient"),
			jen.Id("StartFake"):  jen.Id("startFake"),
		}))),
	)
	f.Line()
	f.Comment("operations is the package's API table in ivhcli's form.")
	f.Func().Id("operations").Params().Index().Add(op.Clone()).Block(
		jen.Var().Id("ops").Index().Add(op.Clone()),
		jen.For(jen.List(jen.Id("_"), jen.Id("op")).Op(":=").Range().Qual(fakePath, "Operations").Call()).Block(
			jen.Id("ops").Op("=").Append(jen.Id("ops"), op.Clone().Call(jen.Id("op"))),
		),
		jen.Return(jen.Id("ops")),
	)
	f.Line()
	f.Comment("startFake starts the package's fake gateway for -fake.")
	f.Func().Id("startFake").Params().Params(jen.Qual(ivhcliPath, "Fake").Types(client.Clone()), jen.Error()).Block(
		jen.List(jen.Id("srv"), jen.Err()).Op(":=").Qual(fakePath, "Start").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("srv"), jen.Nil()),
	)
	return f
}
