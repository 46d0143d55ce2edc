package ivhcli

import (
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// startFake starts the in-process fake gateway and returns a client of it;
// done prints what the gateway received and stops it.
func startFake(env environment, o *options, obs []ivhrt.Option) (*ivh.Client, func(), error) {
	srv, err := ivhtest.Start()
	if err != nil {
		return nil, nil, fmt.Errorf("starting the fake gateway: %w", err)
	}
	if o.fakeFault != 0 {
		srv.InjectGlobal(fakegw.CodeFault(ivh.Code(o.fakeFault), "scripted by -fake-fault"))
	}
	if o.poll == 0 {
		o.poll = 100 * time.Millisecond
	}
	fmt.Fprintf(env.stderr, "ivh: -fake: fake gateway at %s (appkey %s)\n", srv.URL(), srv.AppKey())
	// The fake's requests are answered in turn; one attempt keeps a scripted
	// fault from being retried away.
	c := srv.Client(append([]ivhrt.Option{ivhrt.WithRetryPolicy(ivhrt.RetryPolicy{MaxAttempts: 1})}, obs...)...)
	done := func() {
		printTrace(env.stderr, srv.Requests())
		srv.Close()
	}
	return c, done, nil
}

// printTrace shows on stderr each request the fake gateway checked: the
// signed query, with the signature redacted like every other log of
// ivhgen, and the code it answered with.
func printTrace(w io.Writer, recs []fakegw.Recorded) {
	for _, r := range recs {
		q := url.Values{}
		for _, k := range []string{"appkey", "timestamp"} {
			q.Set(k, r.Query.Get(k))
		}
		if r.Query.Get("signature") != "" {
			q.Set("signature", "REDACTED") // checked by the fake; shown by no log
		}
		fmt.Fprintf(w, "ivh: -fake: %s %s?%s -> code %d request_id=%s\n", r.Method, r.Path, q.Encode(), r.Code, r.RequestID)
	}
}
