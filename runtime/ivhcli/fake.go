package ivhcli

import (
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// startFake starts the in-process fake gateway and returns a client of it;
// done prints what the gateway received and stops it.
func (r *cli[C]) startFake(o *options, obs []ivhrt.Option) (C, func(), error) {
	var zero C
	if r.app.StartFake == nil {
		return zero, nil, fail(ExitUsage, "-fake: %s has no fake gateway", r.app.Name)
	}
	srv, err := r.app.StartFake()
	if err != nil {
		return zero, nil, fmt.Errorf("starting the fake gateway: %w", err)
	}
	if o.fakeFault != 0 {
		srv.InjectGlobal(fakegw.CodeFault(ivhrt.Code(o.fakeFault), "scripted by -fake-fault"))
	}
	if o.poll == 0 {
		o.poll = 100 * time.Millisecond
	}
	r.env.Printf("-fake: fake gateway at %s (appkey %s)", srv.URL(), srv.AppKey())
	// The fake's requests are answered in turn; one attempt keeps a scripted
	// fault from being retried away.
	c := srv.Client(append([]ivhrt.Option{ivhrt.WithRetryPolicy(ivhrt.RetryPolicy{MaxAttempts: 1})}, obs...)...)
	done := func() {
		printTrace(r.env.Stderr, r.app.Name, srv.Requests())
		srv.Close()
	}
	return c, done, nil
}

// printTrace shows on stderr each request the fake gateway checked: the
// signed query, with the signature redacted like every other log of
// ivhgen, and the code it answered with.
func printTrace(w io.Writer, name string, recs []fakegw.Recorded) {
	for _, r := range recs {
		q := url.Values{}
		for _, k := range []string{"appkey", "timestamp"} {
			q.Set(k, r.Query.Get(k))
		}
		if r.Query.Get("signature") != "" {
			q.Set("signature", "REDACTED") // checked by the fake; shown by no log
		}
		fmt.Fprintf(w, "%s: -fake: %s %s?%s -> code %d request_id=%s\n", name, r.Method, r.Path, q.Encode(), r.Code, r.RequestID)
	}
}
