package ivhotel

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/ivhgen/ivhgen/runtime/ivhotel"

// Option configures Hooks.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets where spans go (default: the global provider).
func WithTracerProvider(tp trace.TracerProvider) Option { return func(c *config) { c.tp = tp } }

// WithMeterProvider sets where metrics go (default: the global provider).
func WithMeterProvider(mp metric.MeterProvider) Option { return func(c *config) { c.mp = mp } }

// Hooks returns the hooks that trace and measure a client; pass them to
// ivh.WithHooks. One set may serve many clients.
func Hooks(opts ...Option) (ivhrt.Hooks, error) {
	c := config{tp: otel.GetTracerProvider(), mp: otel.GetMeterProvider()}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	m, err := newMeters(c.mp.Meter(ScopeName))
	if err != nil {
		return ivhrt.Hooks{}, err
	}
	t := &tracer{t: c.tp.Tracer(ScopeName), m: m}
	return ivhrt.Hooks{
		CallStart: t.callStart, CallEnd: t.callEnd,
		AttemptStart: t.attemptStart, AttemptEnd: t.attemptEnd,
		WaitStart: t.waitStart, Poll: t.poll, WaitEnd: t.waitEnd,
		Session: t.session,
	}, nil
}
