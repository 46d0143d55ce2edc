// Ivh is the ivh command (see github.com/ivhgen/ivhgen/cmd/ivh) built with
// OpenTelemetry, which adds -trace FILE: the spans of the run, written to
// FILE as JSON by the OpenTelemetry stdout exporter. It lives in the
// ivhotel module so that the main module never depends on OpenTelemetry.
//
//	go install github.com/ivhgen/ivhgen/runtime/ivhotel/cmd/ivh@latest
//	ivh -fake -wait -trace spans.json VideoMake -d @req.json
package main

import (
	"os"

	"github.com/ivhgen/ivhgen/internal/ivhcli"
	"github.com/ivhgen/ivhgen/runtime/ivhotel"
)

func main() { os.Exit(ivhcli.Main(ivhcli.Extension{Trace: ivhotel.TraceToFile})) }
