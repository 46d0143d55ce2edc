package hostile_test

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/internal/hostile"
	"golang.org/x/net/http2"
)

func h2Client(t *testing.T) *http.Client {
	tr := &http.Transport{TLSClientConfig: hostile.ClientTLS(), Protocols: new(http.Protocols)}
	tr.Protocols.SetHTTP2(true)
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// TestH2Server: a stock HTTP/2 client gets the scripted answer, and the
// server counts the complete body under its path.
func TestH2Server(t *testing.T) {
	s := hostile.NewH2(t, func(r hostile.Request) hostile.Action {
		if r.N == 1 {
			return hostile.Action{Status: 201, Body: "made " + string(r.Body)}
		}
		return hostile.Action{Kind: hostile.Reset, Code: http2.ErrCodeRefusedStream}
	})
	resp, err := h2Client(t).Post(s.URL()+"/make?x=1", "text/plain", strings.NewReader("abc"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || string(b) != "made abc" || resp.ProtoMajor != 2 {
		t.Fatalf("got %d %q over %s", resp.StatusCode, b, resp.Proto)
	}
	// A body net/http cannot rewind, so the client does not replay the
	// refused stream with backoff on its own.
	if _, err := h2Client(t).Post(s.URL()+"/make", "text/plain", struct{ io.Reader }{strings.NewReader("abc")}); err == nil {
		t.Fatal("a refused stream is an error")
	}
	reqs := s.Requests()
	if s.Complete("/make") != 2 || len(reqs) != 2 || reqs[0].Query.Get("x") != "1" || reqs[0].Method != "POST" {
		t.Fatalf("complete %d, requests %+v", s.Complete("/make"), reqs)
	}
}

// TestRawServer: the handler's bytes are the answer; a short body is not
// counted as complete.
func TestRawServer(t *testing.T) {
	s := hostile.NewRaw(t, func(_ *hostile.RawServer, _ hostile.Request, c net.Conn) bool {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return true
	})
	resp, err := http.Post(s.URL()+"/p", "text/plain", strings.NewReader("body"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	if string(b) != "ok" || s.Complete("/p") != 1 {
		t.Fatalf("got %q, complete %d", b, s.Complete("/p"))
	}
	c, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(c, "POST /short HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Requests()) < 2 && time.Now().Before(deadline) {
		runtime.Gosched() // the server reads the truncated request after the close
	}
	if s.Complete("/short") != 0 {
		t.Fatal("a truncated body counted as complete")
	}
}
