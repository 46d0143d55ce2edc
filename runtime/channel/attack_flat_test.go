package channel_test

// Hostile gateways written from scratch (raw TCP, a hand-written HTTP
// upgrade and hand-written WebSocket frames) against a flat channel.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// rawPeer is one accepted connection of a rawServer, after its request.
type rawPeer struct {
	conn  net.Conn
	br    *bufio.Reader
	query url.Values
	raw   string // the request line's target
	key   string // Sec-WebSocket-Key
}

// accept101 writes a valid 101 answer.
func (p *rawPeer) accept101() {
	h := sha1.Sum([]byte(p.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	fmt.Fprintf(p.conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(h[:]))
}

// frame writes one unmasked server frame.
func (p *rawPeer) frame(fin bool, op byte, payload []byte) {
	p.conn.Write(frameBytes(fin, op, payload, uint64(len(payload))))
}

func frameBytes(fin bool, op byte, payload []byte, n uint64) []byte {
	var b bytes.Buffer
	b0 := op
	if fin {
		b0 |= 0x80
	}
	b.WriteByte(b0)
	switch {
	case n < 126:
		b.WriteByte(byte(n))
	case n <= 0xffff:
		b.WriteByte(126)
		binary.Write(&b, binary.BigEndian, uint16(n))
	default:
		b.WriteByte(127)
		binary.Write(&b, binary.BigEndian, n)
	}
	b.Write(payload)
	return b.Bytes()
}

func closePayload(code uint16, reason string) []byte {
	b := binary.BigEndian.AppendUint16(nil, code)
	return append(b, reason...)
}

// rawServer serves each connection with fn after reading its request.
// fn may leave the connection open; it is closed when the test ends.
func rawServer(t *testing.T, fn func(p *rawPeer)) (string, *sync.WaitGroup) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				br := bufio.NewReader(c)
				req, err := http.ReadRequest(br)
				if err != nil {
					c.Close()
					return
				}
				fn(&rawPeer{conn: c, br: br, query: req.URL.Query(), raw: req.RequestURI, key: req.Header.Get("Sec-WebSocket-Key")})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String(), &wg
}

func hostileConfig(base string, logs io.Writer) channel.Config {
	cfg := channel.Config{BaseURL: base, AppKey: appKey, AccessToken: token, Flat: true, FreshParams: []string{"requestid"},
		DialTimeout: 3 * time.Second, PeerTimeout: 2 * time.Second}
	if logs != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg
}

// secretsOf lists every form of the handshake's secrets a leak would take.
func secretsOf(q url.Values, raw string) []string {
	sig := q.Get("signature")
	out := []string{token, url.QueryEscape(token), sig, url.QueryEscape(sig), base64.StdEncoding.EncodeToString([]byte(token))}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		out = append(out, raw[i+1:])
	}
	return out
}

func atkNoSecret(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s leaks secret %q:\n%s", where, s, text)
		}
	}
}

// recvEnd reads until the channel ends, collecting every error text.
func recvEnd(t *testing.T, c *channel.Conn, within time.Duration) (texts []string, terminal error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		_, err := c.Recv(ctx)
		if err == nil {
			continue
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		var fe *channel.FrameError
		if errors.As(err, &fe) {
			continue
		}
		if ctx.Err() != nil {
			t.Fatalf("channel did not end within %s: %v", within, err)
		}
		return texts, err
	}
}

// TestAttackFlatCloseReasonEchoesSecrets: the gateway closes with a reason
// quoting the handshake (token, signature, the whole query). The terminal
// error, the log and the event must not carry them.
func TestAttackFlatCloseReasonEchoesSecrets(t *testing.T) {
	for _, form := range []string{"token", "signature", "query", "signature-escaped"} {
		t.Run(form, func(t *testing.T) {
			var secrets []string
			var smu sync.Mutex
			base, _ := rawServer(t, func(p *rawPeer) {
				smu.Lock()
				secrets = secretsOf(p.query, p.raw)
				smu.Unlock()
				p.accept101()
				var reason string
				switch form {
				case "token":
					reason = "bad " + token
				case "signature":
					reason = "bad sig " + p.query.Get("signature")
				case "query":
					reason = p.raw[strings.IndexByte(p.raw, '?')+1:]
				case "signature-escaped":
					reason = "sig:" + url.QueryEscape(p.query.Get("signature"))
				}
				if len(reason) > 123 {
					reason = reason[:123]
				}
				p.frame(true, 0x1, []byte(`{"Type":1,"Note":"`+token+`"}`))
				p.frame(true, 0x8, closePayload(4001, reason))
				io.Copy(io.Discard, p.conn)
			})
			var logs bytes.Buffer
			var lmu sync.Mutex
			cfg := hostileConfig(base, &lockedWriter{w: &logs, mu: &lmu})
			var events []string
			cfg.OnEvent = func(e channel.Event) {
				if e.Err != nil {
					events = append(events, e.Err.Error())
				}
			}
			c, err := channel.Dial(ctx(t), cfg)
			if err != nil {
				t.Fatal(err)
			}
			texts, term := recvEnd(t, c, 5*time.Second)
			c.Close()
			if !errors.Is(term, channel.ErrConnectionLost) {
				t.Errorf("terminal error %v, want ErrConnectionLost", term)
			}
			smu.Lock()
			defer smu.Unlock()
			// reasons are cut at 123 bytes: check the prefix of the query too
			for _, s := range texts {
				atkNoSecret(t, "error", s, secrets)
			}
			for _, s := range events {
				atkNoSecret(t, "event", s, secrets)
			}
			lmu.Lock()
			atkNoSecret(t, "log", logs.String(), secrets)
			lmu.Unlock()
		})
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestAttackFlatRefusedHandshakeEchoesSecrets: a 200 (or 4xx, or redirect)
// instead of 101, whose body and headers quote the signed query.
func TestAttackFlatRefusedHandshakeEchoesSecrets(t *testing.T) {
	for _, status := range []string{"200 OK", "403 Forbidden", "302 Found", "500 Internal Server Error"} {
		t.Run(status, func(t *testing.T) {
			var secrets []string
			var smu sync.Mutex
			base, _ := rawServer(t, func(p *rawPeer) {
				smu.Lock()
				secrets = secretsOf(p.query, p.raw)
				smu.Unlock()
				body := fmt.Sprintf(`{"Header":{"Code":"110001","Message":"token %s sig %s url %s"}}`, token, p.query.Get("signature"), p.raw)
				fmt.Fprintf(p.conn, "HTTP/1.1 %s\r\nLocation: http://evil.example%s\r\nX-Echo: %s\r\nContent-Length: %d\r\n\r\n%s",
					status, p.raw, p.query.Get("signature"), len(body), body)
				p.conn.Close()
			})
			_, err := channel.Dial(ctx(t), hostileConfig(base, nil))
			var de *channel.DialError
			if !errors.As(err, &de) {
				t.Fatalf("Dial: %v, want a *DialError", err)
			}
			smu.Lock()
			defer smu.Unlock()
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", de.Err), de.Message, de.URL} {
				atkNoSecret(t, "DialError", s, secrets)
			}
		})
	}
}

// TestAttackFlatGarbageAfter101: a 101 followed by bytes that are no
// WebSocket frame ends the channel promptly, never hangs or panics.
func TestAttackFlatGarbageAfter101(t *testing.T) {
	cases := map[string]func(p *rawPeer){
		"garbage":        func(p *rawPeer) { p.conn.Write([]byte("HTTP/1.1 200 OK\r\n\r\nhello world\xff\xfe")) },
		"reserved bits":  func(p *rawPeer) { p.conn.Write([]byte{0xf1, 0x01, 'x'}) },
		"masked server":  func(p *rawPeer) { p.conn.Write([]byte{0x81, 0x81, 1, 2, 3, 4, 'x'}) },
		"bad opcode":     func(p *rawPeer) { p.conn.Write([]byte{0x83, 0x00}) },
		"orphan cont":    func(p *rawPeer) { p.frame(true, 0x0, []byte("{}")) },
		"huge length":    func(p *rawPeer) { p.conn.Write(frameBytes(true, 0x1, nil, 1<<62)) },
		"negative len":   func(p *rawPeer) { p.conn.Write(frameBytes(true, 0x1, nil, 1<<63)) },
		"over readlimit": func(p *rawPeer) { p.frame(true, 0x1, bytes.Repeat([]byte("a"), 2<<20)) },
		"fragmented ping": func(p *rawPeer) {
			p.frame(false, 0x9, []byte("x"))
		},
		"oversized control": func(p *rawPeer) { p.frame(true, 0x9, bytes.Repeat([]byte("p"), 200)) },
		"close 1 byte":      func(p *rawPeer) { p.frame(true, 0x8, []byte{3}) },
		"close 1005":        func(p *rawPeer) { p.frame(true, 0x8, closePayload(1005, "")) },
		"close 0":           func(p *rawPeer) { p.frame(true, 0x8, closePayload(0, "zero")) },
		"close 65535":       func(p *rawPeer) { p.frame(true, 0x8, closePayload(65535, "max")) },
		"close bad utf8":    func(p *rawPeer) { p.frame(true, 0x8, closePayload(4000, "\xff\xfe\x1b[31m")) },
		"text then eof":     func(p *rawPeer) { p.frame(false, 0x1, []byte(`{"Type":`)) },
		"eof mid header":    func(p *rawPeer) { p.conn.Write([]byte{0x81, 127, 0, 0}) },
		"interleaved text": func(p *rawPeer) {
			p.frame(false, 0x1, []byte(`{"Ty`))
			p.frame(true, 0x1, []byte(`{}`))
		},
	}
	for name, hostile := range cases {
		t.Run(name, func(t *testing.T) {
			base, _ := rawServer(t, func(p *rawPeer) {
				p.accept101()
				hostile(p)
				time.Sleep(100 * time.Millisecond)
				p.conn.Close()
			})
			c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
			if err != nil {
				if strings.Contains(name, "garbage") {
					return // a client may refuse it at the handshake
				}
				t.Fatal(err)
			}
			defer c.Close()
			_, term := recvEnd(t, c, 5*time.Second)
			if !errors.Is(term, channel.ErrConnectionLost) {
				t.Errorf("terminal error %v, want ErrConnectionLost", term)
			}
		})
	}
}

// TestAttackFlatNeverEndingFrame: a frame whose header promises 1 MiB
// and whose body never comes. The watchdog must end the channel.
func TestAttackFlatNeverEndingFrame(t *testing.T) {
	base, _ := rawServer(t, func(p *rawPeer) {
		p.accept101()
		p.conn.Write(frameBytes(true, 0x1, []byte(`{"Type":1,"x":"`), 1<<20-1))
		io.Copy(io.Discard, p.conn) // never answers pings either
	})
	c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	_, term := recvEnd(t, c, 8*time.Second)
	if !errors.Is(term, channel.ErrConnectionLost) || time.Since(start) > 5*time.Second {
		t.Errorf("terminal error %v after %s", term, time.Since(start))
	}
}

// TestAttackFlatPingFloodAndFragments: thousands of pings, interleaved with
// a fragmented text frame, then a binary frame and a valid frame: the
// message assembles, the binary one is a FrameError, nothing is lost.
func TestAttackFlatPingFloodAndFragments(t *testing.T) {
	base, _ := rawServer(t, func(p *rawPeer) {
		p.accept101()
		go io.Copy(io.Discard, p.conn)
		var b bytes.Buffer
		for range 5000 {
			b.Write(frameBytes(true, 0x9, []byte("flood"), 5))
		}
		p.conn.Write(b.Bytes())
		p.frame(false, 0x1, []byte(`{"Type":`))
		p.frame(true, 0x9, []byte("mid"))
		p.frame(false, 0x0, []byte(`3,"ReqId":`))
		p.frame(true, 0x0, []byte(`"r"}`))
		p.frame(true, 0x2, []byte{0, 1, 2})
		p.frame(true, 0x1, []byte(`{"Type":"4","ReqId":12345678901234567890,"Seq":"7"}`))
		time.Sleep(3 * time.Second)
	})
	c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, err := c.Recv(ctx(t))
	if err != nil || m.Type != 3 || m.ReqID != "r" {
		t.Fatalf("fragmented message %+v, %v", m, err)
	}
	_, err = c.Recv(ctx(t))
	var fe *channel.FrameError
	if !errors.As(err, &fe) {
		t.Fatalf("binary frame: %v, want a FrameError", err)
	}
	m, err = c.Recv(ctx(t))
	if err != nil || m.Type != 4 || m.Seq != 7 {
		t.Fatalf("third message %+v, %v", m, err)
	}
}

// TestAttackFlatHostileJSON: downstream frames with the wrong kinds, huge
// numbers, deep nesting and invalid UTF-8: each is a message or a
// FrameError, never a crash, and the channel goes on.
func TestAttackFlatHostileJSON(t *testing.T) {
	frames := []string{
		`{"Type":1e400}`,
		`{"Type":99999999999999999999999999}`,
		`{"Type":-1,"Seq":1.5}`,
		`{"Type":true,"ReqId":{"a":1}}`,
		`{"Type":[1],"SessionId":[]}`,
		`{"Type":"NaN"}`,
		`{"Type":3,"ReqId":"\xff\xfe","Text":"\xc0\xaf"}`,
		strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000),
		`{"Payload":` + strings.Repeat("[", 50000) + strings.Repeat("]", 50000) + `}`,
		`null`, `"str"`, `123`, ``, `{}`, `{"Type":3}{"Type":4}`,
		`{"Type":9,"ErrorCode":"x","ErrorMessage":12}`,
	}
	base, _ := rawServer(t, func(p *rawPeer) {
		p.accept101()
		go io.Copy(io.Discard, p.conn)
		for _, f := range frames {
			p.frame(true, 0x1, []byte(f))
		}
		p.frame(true, 0x1, []byte(`{"Type":2,"ReqId":"last"}`))
		time.Sleep(3 * time.Second)
	})
	c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range len(frames) + 1 {
		m, err := c.Recv(ctx(t))
		var fe *channel.FrameError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("frame %d: terminal %v", i, err)
		}
		if err == nil {
			_ = m.Err()
			m.Downstream()
		}
		if i == len(frames) && (err != nil || m.ReqID != "last") {
			t.Fatalf("last frame %+v, %v", m, err)
		}
	}
}

// TestAttackFlatSlowLorisHandshake: a server that never answers, or
// dribbles its headers forever, is bounded by DialTimeout.
func TestAttackFlatSlowLorisHandshake(t *testing.T) {
	for _, mode := range []string{"silent", "dribble", "101 dribble"} {
		t.Run(mode, func(t *testing.T) {
			base, _ := rawServer(t, func(p *rawPeer) {
				switch mode {
				case "silent":
				case "dribble":
					p.conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\n"))
					for range 100 {
						if _, err := p.conn.Write([]byte("X-A: b\r\n")); err != nil {
							return
						}
						time.Sleep(100 * time.Millisecond)
					}
				case "101 dribble":
					for _, b := range []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") {
						if _, err := p.conn.Write([]byte{b}); err != nil {
							return
						}
						time.Sleep(200 * time.Millisecond)
					}
				}
				io.Copy(io.Discard, p.conn)
			})
			cfg := hostileConfig(base, nil)
			cfg.DialTimeout = time.Second
			start := time.Now()
			_, err := channel.Dial(ctx(t), cfg)
			var de *channel.DialError
			if !errors.As(err, &de) || time.Since(start) > 3*time.Second {
				t.Fatalf("Dial: %v after %s", err, time.Since(start))
			}
		})
	}
}

// TestAttackFlatBadTLSCert: a TLS gateway with an untrusted certificate
// is refused with a *DialError that carries no secret.
func TestAttackFlatBadTLSCert(t *testing.T) {
	var q url.Values
	var raw string
	var mu sync.Mutex
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		q, raw = r.URL.Query(), r.RequestURI
		mu.Unlock()
	}))
	defer srv.Close()
	srv.Config.ErrorLog = nil
	_, err := channel.Dial(ctx(t), hostileConfig(srv.URL, nil))
	var de *channel.DialError
	if !errors.As(err, &de) || de.StatusCode != 0 {
		t.Fatalf("Dial: %v, want a *DialError without status", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if q != nil {
		t.Fatalf("the request reached the server through a bad certificate: %s", raw)
	}
	atkNoSecret(t, "DialError", err.Error(), []string{token, "signature="})
}

// TestAttackFlatHandshakeSignature recomputes, independently, the
// signature of several handshakes: HMAC-SHA256 keyed by the token over the
// sorted parameters but signature, base64; and each requestid is fresh.
func TestAttackFlatHandshakeSignature(t *testing.T) {
	var mu sync.Mutex
	var seen []url.Values
	base, _ := rawServer(t, func(p *rawPeer) {
		mu.Lock()
		seen = append(seen, p.query)
		mu.Unlock()
		p.accept101()
		p.frame(true, 0x8, closePayload(1000, ""))
		io.Copy(io.Discard, p.conn)
	})
	for range 5 {
		c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
		if err != nil {
			t.Fatal(err)
		}
		recvEnd(t, c, 5*time.Second)
		c.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	ids := map[string]bool{}
	for _, q := range seen {
		if got := independentSign(token, q); got != q.Get("signature") {
			t.Errorf("signature %q, recomputed %q over %v", q.Get("signature"), got, q)
		}
		id := q.Get("requestid")
		if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" || ids[id] {
			t.Errorf("requestid %q not fresh 32 hex", id)
		}
		ids[id] = true
		if len(q) != 4 {
			t.Errorf("query %v: want exactly appkey, requestid, timestamp, signature", q)
		}
	}
}

// TestAttackFlatSendFrameReqIdAnyCase: a frame whose own key spells ReqId
// in another case would sit beside the channel's and win in a
// case-insensitive decoder; it is refused before the wire.
func TestAttackFlatSendFrameReqIdAnyCase(t *testing.T) {
	base, _ := rawServer(t, func(p *rawPeer) {
		p.accept101()
		io.Copy(io.Discard, p.conn)
	})
	c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, k := range []string{"reqid", "REQID", "reqId", "ReqID"} {
		var se *channel.SendError
		if err := c.SendFrame(ctx(t), channel.NewReqID(), map[string]string{k: "x"}); !errors.As(err, &se) {
			t.Errorf("frame with key %s: %v", k, err)
		}
	}
	if err := c.SendFrame(ctx(t), channel.NewReqID(), json.RawMessage(`{"Req\u0049d":"x"}`)); err == nil {
		t.Error("frame with an escaped ReqId key was sent")
	}
}

// TestAttackFlatFreshParamsReserved: FreshParams naming a parameter the
// channel signs itself (or none) is a ConfigError, not a silently
// overwritten or empty-keyed query parameter.
func TestAttackFlatFreshParamsReserved(t *testing.T) {
	for _, p := range []string{"", "signature", "Signature", "appkey", "timestamp"} {
		cfg := hostileConfig("http://127.0.0.1:1", nil)
		cfg.FreshParams = []string{"requestid", p}
		var ce *channel.ConfigError
		if _, err := channel.Dial(ctx(t), cfg); !errors.As(err, &ce) || ce.Field != "FreshParams" {
			t.Errorf("FreshParams %q: %v", p, err)
		}
	}
}

// TestAttackFlatFrameErrorEchoesSecrets: downstream frames that quote the
// token or signature where a number is expected: the FrameError text
// (which apps log) must not carry them.
func TestAttackFlatFrameErrorEchoesSecrets(t *testing.T) {
	var secrets []string
	var smu sync.Mutex
	base, _ := rawServer(t, func(p *rawPeer) {
		smu.Lock()
		secrets = secretsOf(p.query, p.raw)
		smu.Unlock()
		p.accept101()
		go io.Copy(io.Discard, p.conn)
		sig := p.query.Get("signature")
		for _, f := range []string{`{"Type":"` + token + `"}`, `{"Seq":"` + sig + `"}`, `{"Type":3,"ReqId":{"` + token + `":1}}`,
			`{"Type":"` + url.QueryEscape(sig) + `"}`, `{"` + token + `"}`, `{"Type":` + token + `}`} {
			p.frame(true, 0x1, []byte(f))
		}
		time.Sleep(3 * time.Second)
	})
	c, err := channel.Dial(ctx(t), hostileConfig(base, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 6 {
		m, err := c.Recv(ctx(t))
		var fe *channel.FrameError
		if err == nil {
			_, err = m.Downstream()
		}
		if !errors.As(err, &fe) {
			t.Logf("frame %d decoded: %+v", i, m)
			continue
		}
		smu.Lock()
		atkNoSecret(t, fmt.Sprintf("FrameError %d", i), err.Error(), secrets)
		smu.Unlock()
	}
}
