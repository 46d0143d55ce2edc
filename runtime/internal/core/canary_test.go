package core_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
)

// canary plants distinct secrets (LOG-3) and collects every place they
// could leak: logs, err.Error(), %+v, and the signatures the server saw.
type canary struct {
	token  string
	s3URL  string
	s3Sig  string
	header string
	proxy  *forwardProxy
	logs   logBuffer
	hooks  recorder // every hook argument, in full
	errs   []string
	sigs   []string
}

const proxySecret = "PROXYPASS-CANARY-3f9a"

func newCanary(t *testing.T) *canary {
	return &canary{
		token:  "TOKEN-CANARY-91c2d7",
		s3Sig:  "S3SIG-CANARY-77ab",
		s3URL:  "https://bucket.example/out.mp4?X-Amz-Signature=S3SIG-CANARY-77ab",
		header: "HEADER-CANARY-5e1f",
		proxy:  newForwardProxy(t),
	}
}

func (c *canary) proxyURL() *url.URL {
	u, _ := url.Parse(c.proxy.srv.URL)
	u.User = url.UserPassword("proxyuser", proxySecret)
	return u
}

// options adds the logger, the custom header and (unless the scenario
// brings its own transport) the proxy.
func (c *canary) options(ownTransport bool) []core.Option {
	opts := []core.Option{core.WithLogger(c.logs.logger()), core.WithHooks(c.hooks.hooks()), core.WithHeader("X-Custom-Secret", c.header)}
	if !ownTransport {
		opts = append(opts, core.WithProxy(c.proxyURL().String()))
	}
	return opts
}

// collect keeps what could leak from one call: its error in every
// format and the signatures the server received, and checks that the
// requests reached the server unchanged.
func (c *canary) collect(t *testing.T, err error, reqs []captured) {
	if err != nil {
		c.errs = append(c.errs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	for _, r := range reqs {
		c.sigs = append(c.sigs, r.Query.Get("signature"), url.QueryEscape(r.Query.Get("signature")))
		assert.Contains(t, string(r.Body), c.s3URL)
		assert.Equal(t, c.header, r.Header.Get("X-Custom-Secret"))
	}
}

func (c *canary) secrets() []string {
	auth := base64.StdEncoding.EncodeToString([]byte("proxyuser:" + proxySecret))
	return append([]string{c.token, c.s3Sig, c.header, proxySecret, auth, "signature="}, c.sigs...)
}

// TestLOG3_Canary runs every FAULT scenario with secrets planted and
// Debug logging and hooks on; none may show up in logs, hook arguments or
// errors.
func TestLOG3_Canary(t *testing.T) {
	c := newCanary(t)
	for _, sc := range scenarios() {
		for _, op := range []*core.Operation{idemOp, createOp} {
			t.Run(sc.id+"_"+op.Name, func(t *testing.T) { sc.run(t, op, nil, c) })
		}
	}
	t.Run("F13", func(t *testing.T) { cancelDuringBackoff(t, c) })
	t.Run("F20", func(t *testing.T) { connectionReuse(t, c, false) })
	assert.NotZero(t, c.proxy.hits.Load(), "proxy used")
	assert.NotEmpty(t, c.sigs)
	out := c.logs.String() + strings.Join(c.errs, "\n") + c.hooks.dump.String()
	assert.Contains(t, c.logs.String(), "apaas attempt", "logging was on")
	assert.Contains(t, c.hooks.dump.String(), "Attempt:", "hooks were on")
	assert.NotContains(t, c.hooks.dump.String(), "?", "no query string reaches a hook")
	for _, s := range c.secrets() {
		if s != "" {
			assert.NotContains(t, out, s)
		}
	}
}
