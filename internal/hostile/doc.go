// Package hostile holds test servers written from scratch to attack HTTP
// clients the way a misbehaving gateway or middlebox would: an HTTP/2
// server speaking raw frames over TLS (ALPN h2) that resets streams and
// sends GOAWAY on a script, and a raw TCP server that writes whatever bytes
// a test wants. Both count the complete request bodies they received per
// path, so tests assert what reached the server, not what the client
// believes it sent. It is for tests only.
package hostile
