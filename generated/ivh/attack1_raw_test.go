package ivh_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// rawServer reads each request whole, counts it, and writes reply verbatim
// before closing the connection.
func rawServer(t *testing.T, reply string) (url string, bodies *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	bodies = new(atomic.Int32)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				if _, err := io.ReadAll(req.Body); err == nil {
					bodies.Add(1)
				}
				io.WriteString(conn, reply)
			}()
		}
	}()
	return "http://" + ln.Addr().String(), bodies
}

// A response whose status line reads like a transport error message must
// not make a create count as "not sent": the body was delivered.
func TestAttackCreateNotResentOnErrorLookalikeResponse(t *testing.T) {
	for _, reply := range []string{"TLS handshake timeout\r\n\r\n", "HTTP/1.1 200 OK\r\nTLS handshake timeout\r\n\r\n", "HTTP/1.1 200 OK\r\nX: net/http: TLS handshake timeout\r\nContent-Length: 5\r\n\r\n{", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{\"Header\"", "dial tcp: connection refused\r\n\r\n"} {
		url, bodies := rawServer(t, reply)
		c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(url), ivh.WithTimeout(2*time.Second),
			ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
		if n := bodies.Load(); n != 1 || !errors.Is(err, ivh.ErrOutcomeUnknown) {
			t.Errorf("reply %q: create delivered %d times, err %v", reply, n, err)
		}
	}
}

// net/http's own TLS handshake timeout still proves nothing was sent: a
// silent TLS peer is tried MaxAttempts times.
func TestAttackRealHandshakeTimeoutIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			defer conn.Close() // silent: never answers the ClientHello
		}
	}()
	tr := ivh.NewTransport()
	tr.TLSHandshakeTimeout = 20 * time.Millisecond
	c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL("https://"+ln.Addr().String()),
		ivh.WithHTTPClient(&http.Client{Transport: tr}),
		ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
	var re *ivh.RetryError
	if !errors.As(err, &re) || re.Attempts != 3 || errors.Is(err, ivh.ErrOutcomeUnknown) {
		t.Fatalf("err %v (%d connections)", err, conns.Load())
	}
}
