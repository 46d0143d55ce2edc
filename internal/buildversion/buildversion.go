// Package buildversion reports the version of the running ivhgen binary
// (ivhgen, ivh, or a generated CLI) from the build information the go
// command embeds, so -version never goes stale.
package buildversion

import (
	"runtime/debug"
	"strings"
)

// Module is ivhgen's module path.
const Module = "github.com/ivhgen/ivhgen"

// Fallback is reported when the binary carries no build information (built
// with -buildvcs=false outside a module, or stripped).
const Fallback = "(devel)"

// String is the version of module Module in the running binary: the module
// version when the binary was installed or required at a version
// (go install ...@v1.2.0, go get -tool ...@v1.2.0), otherwise "(devel)"
// followed by the VCS revision and "+dirty" when the go command recorded
// them (go build in a checkout).
func String() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Fallback
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) string {
	v := ""
	if bi.Main.Path == Module {
		v = bi.Main.Version
	} else {
		for _, d := range bi.Deps {
			if d.Path == Module {
				if d.Replace != nil {
					v = d.Replace.Version // empty for a directory replacement
				} else {
					v = d.Version
				}
				break
			}
		}
	}
	if v != "" && v != "(devel)" {
		return v
	}
	v = Fallback
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if bi.Main.Path == Module && rev != "" {
		v += " " + shortRev(rev) + dirty
	}
	return v
}

func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return strings.TrimSpace(rev)
}
