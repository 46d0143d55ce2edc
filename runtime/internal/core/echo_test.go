package core_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/internal/hostile"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Secrets the echo tests plant, one per place a secret enters a call.
const (
	echoToken  = "TOKEN+ECHO/9f3a=c1"
	echoHeader = "HEADER-ECHO-7d2b"
	echoS3Sig  = "S3SIG-ECHO-4e8c"
	echoS3URL  = "https://bucket.example/out.mp4?X-Amz-Signature=" + echoS3Sig
)

// leakCheck gathers every text a user could see from a client and its
// errors; check asserts no planted or sent secret is in any of them.
type leakCheck struct {
	t    *testing.T
	logs logBuffer
	out  []string
}

func (l *leakCheck) client(t *testing.T, base string) *core.Client {
	c, err := core.NewClient("ak-echo", echoToken, core.WithBaseURL(base), core.WithLogger(l.logs.logger()),
		core.WithHeader("X-Custom-Secret", echoHeader), core.WithSleeper(newFakeClock()))
	require.NoError(t, err)
	return c
}

// addErr keeps err in every form fmt gives.
func (l *leakCheck) addErr(err error) {
	l.out = append(l.out, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
}

// addClient keeps c and *c as fmt and testify's diff print them.
func (l *leakCheck) addClient(c, other *core.Client) {
	v := reflect.ValueOf(c).Elem().Interface() // a copy, as a user's %+v of a value makes
	l.out = append(l.out, fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprintf("%v %+v %#v", v, v, v))
	rec := &recordT{}
	assert.Equal(rec, v, reflect.ValueOf(other).Elem().Interface())
	assert.Equal(rec, c, other)
	l.out = append(l.out, rec.msgs...)
}

func (l *leakCheck) check(t *testing.T, sigs []string) {
	all := append([]string{l.logs.String()}, l.out...)
	secrets := []string{echoToken, echoHeader, echoS3Sig}
	secrets = append(secrets, sigs...)
	require.NotEmpty(t, sigs, "the server saw signatures")
	for _, text := range all {
		for _, s := range secrets {
			for _, f := range hostile.Forms(s) {
				if !assert.NotContains(t, text, f, "secret %q leaked as %q", s, f) {
					return
				}
			}
		}
	}
}

// checkErrText asserts an error string is one bounded, printable line.
func checkErrText(t *testing.T, err error) {
	s := err.Error()
	assert.Less(t, len(s), 4096, "message length is capped")
	assert.NotContains(t, s, "\x1b")
	assert.NotContains(t, s, "\n")
	assert.NotContains(t, s, "\a")
}

type recordT struct{ msgs []string }

func (r *recordT) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func echoEnvelope(code int, msg string) string {
	return `{"Header":{"Code":` + fmt.Sprint(code) + `,"Message":"` + msg + `","RequestID":"` + msg[:200] + `","Echo":"` + msg + `"},"Payload":{}}`
}

// An echo-everything gateway (issue 11, item 6): every field it controls
// carries the token, the custom header, the payload's URL query and every
// signature sent so far, in every encoding. No error, log or printed client
// may show any of them, and error text is one capped line.
func TestLOG3_EchoEverything(t *testing.T) {
	script := func(path string, n int, echo string) hostile.Reply {
		switch {
		case strings.HasSuffix(path, "getprogress") && n == 1:
			return hostile.Reply{Status: 503, Body: echoEnvelope(100000, echo)} // retried
		case strings.HasSuffix(path, "getprogress") && n == 2:
			return hostile.Reply{Status: 429, RetryAfter: echo[:300], Body: "<html>" + echo}
		case strings.HasSuffix(path, "getprogress"):
			return hostile.Reply{Status: 200, Body: echoEnvelope(100002, echo)} // holds earlier attempts' signatures
		case strings.HasSuffix(path, "videomake"):
			return hostile.Reply{Status: 503, Body: "<html>" + echo}
		case strings.HasSuffix(path, "poll"):
			return hostile.Reply{Status: 200, Body: `{"Header":{"Code":0,"RequestID":"r"},"Payload":{"Status":"FAIL","FailMessage":"` + echo + `","TaskId":"` + echo + `"}}`}
		}
		return hostile.Reply{Status: 200, Body: `{"Header":{"Code":"` + echo + `"}}`}
	}
	srv := hostile.NewEcho(t, script, echoToken)
	lc := &leakCheck{t: t}
	c := lc.client(t, srv.URL)
	ctx := context.Background()
	req := &makeReq{Text: "hi", VideoStorageS3Url: echoS3URL}

	_, err := core.Do[makeReq, makeResp](ctx, c, idemOp, req)
	var ae *core.APIError
	require.ErrorAs(t, err, &ae)
	lc.addErr(err)
	lc.addErr(ae)
	checkErrText(t, ae)

	_, err = core.Do[makeReq, makeResp](ctx, c, createOp, req)
	require.ErrorIs(t, err, core.ErrOutcomeUnknown)
	lc.addErr(err)
	checkErrText(t, err)

	_, err = core.Do[makeReq, makeResp](ctx, c, &core.Operation{Name: "Proto", Path: "/proto", Idempotent: true}, req)
	var pe *core.ProtocolError
	require.ErrorAs(t, err, &pe)
	lc.addErr(err)

	resp, err := waitEcho(ctx, c, req)
	var tf *core.TaskFailedError
	require.ErrorAs(t, err, &tf)
	lc.addErr(err)
	checkErrText(t, err)
	lc.out = append(lc.out, fmt.Sprintf("%+v", resp))

	other := lc.client(t, srv.URL)
	lc.addClient(c, other)
	lc.check(t, srv.Signatures())
}

type pollResp struct {
	Status      string
	FailMessage string
	TaskId      string
}

// waitEcho polls as a generated waiter does and builds the same error.
func waitEcho(ctx context.Context, c *core.Client, req *makeReq) (*pollResp, error) {
	op := &core.Operation{Name: "Poll", Path: "/poll", Idempotent: true}
	poll := func(ctx context.Context) (*pollResp, error) { return core.Do[makeReq, pollResp](ctx, c, op, req) }
	classify := func(r *pollResp) (core.TaskState, error) {
		return core.TaskFailed, &core.TaskFailedError{Op: "Poll", ID: r.TaskId, Status: r.Status, FailMessage: r.FailMessage}
	}
	return core.Wait(ctx, poll, classify)
}

// A raw TCP gateway that answers with a header line holding the request
// line it read, query included, and the token: the transport's error text
// quotes it, and none of it may reach the user.
func TestLOG3_RawEchoTransport(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	lines := make(chan string, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			line, _ := bufio.NewReader(conn).ReadString('\n')
			lines <- strings.TrimSpace(line)
			fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nno colon %s %s\r\n\r\n", strings.TrimSpace(line), echoToken)
			conn.Close()
		}
	}()
	lc := &leakCheck{t: t}
	c := lc.client(t, "http://"+ln.Addr().String())
	_, err = core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{Text: "hi"})
	require.Error(t, err)
	lc.addErr(err)
	checkErrText(t, err)
	line := <-lines
	_, query, _ := strings.Cut(strings.Fields(line)[1], "?")
	sig := strings.TrimPrefix(query[strings.Index(query, "signature="):], "signature=")
	lc.check(t, []string{unescape(t, sig)})
}

func unescape(t *testing.T, s string) string {
	v, err := url.QueryUnescape(s)
	require.NoError(t, err)
	return v
}
