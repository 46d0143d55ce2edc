package ivhotel

import (
	"context"
	"errors"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// TraceToFile returns hooks whose spans the OpenTelemetry stdout exporter
// writes to the file at path as JSON, one span after another, and a flush
// that ends the trace and closes the file. The ivh command's -trace uses it.
func TraceToFile(path string) (ivhrt.Hooks, func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return ivhrt.Hooks{}, nil, err
	}
	exp, err := stdouttrace.New(stdouttrace.WithWriter(f), stdouttrace.WithPrettyPrint())
	if err != nil {
		f.Close()
		return ivhrt.Hooks{}, nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	h, err := Hooks(WithTracerProvider(tp))
	if err != nil {
		f.Close()
		return ivhrt.Hooks{}, nil, err
	}
	flush := func() error { return errors.Join(tp.Shutdown(context.Background()), f.Close()) }
	return h, flush, nil
}
