package hostile

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// RawHandler answers one HTTP/1.1 request with whatever bytes it writes to
// c. It returns true to read another request from the same connection.
type RawHandler func(s *RawServer, r Request, c net.Conn) (keep bool)

// RawServer is a plain TCP server that parses HTTP/1.1 requests itself and
// lets the handler write raw bytes: malformed status lines, 1xx floods, a
// 101 upgrade that then holds the socket.
type RawServer struct {
	base
	handle RawHandler
}

// NewRaw starts a raw HTTP/1.1 server on loopback; it stops at cleanup.
func NewRaw(t testing.TB, h RawHandler) *RawServer {
	s := &RawServer{handle: h}
	s.start(t, false, nil, s.serve)
	return s
}

// URL returns the server's base URL.
func (s *RawServer) URL() string { return "http://" + s.Addr() }

func (s *RawServer) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, err := io.ReadAll(req.Body)
		r := s.add(Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header,
			Body: body, Complete: err == nil})
		if !s.handle(s, r, c) {
			return
		}
	}
}

// Hold keeps c open without writing until the client closes it or the
// server shuts down.
func (s *RawServer) Hold(c net.Conn) {
	go func() {
		<-s.done
		_ = c.Close()
	}()
	_, _ = io.Copy(io.Discard, c)
}

// Flood1xx writes status line every tick until the client goes away or
// the server shuts down, e.g. "HTTP/1.1 102 Processing".
func (s *RawServer) Flood1xx(c net.Conn, status string, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := io.WriteString(c, status+"\r\n\r\n"); err != nil {
			return
		}
		select {
		case <-s.done:
			return
		case <-t.C:
		}
	}
}

// Reset closes c so the client sees a TCP RST.
func (s *RawServer) Reset(c net.Conn) { resetTCP(c) }
