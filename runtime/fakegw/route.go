package fakegw

import (
	"net/http"
	"strings"
)

// Handle routes POST requests for path to h, replacing any handler set
// before. Generated code registers defaults this way and users override
// them the same way. An empty path, a path without a leading "/" or a nil
// handler is a programming error: it fails the test (or panics without one).
func (s *Server) Handle(path string, h Handler) {
	if !strings.HasPrefix(path, "/") || h == nil {
		s.misuse("Handle(%q): want a path starting with / and a non-nil handler", path)
		return
	}
	s.mu.Lock()
	s.handlers[path] = h
	s.mu.Unlock()
}

// Mount registers a plain http.Handler for pattern (see http.ServeMux),
// bypassing the envelope checks, faults and recording. It is the hook for
// endpoints that are not JSON calls, such as a WebSocket channel; such a
// handler calls Authenticate itself. A pattern for the whole tree ("/")
// would hide every API and is refused, as is one that conflicts with an
// earlier Mount.
func (s *Server) Mount(pattern string, h http.Handler) {
	if wholeTree(pattern) {
		s.misuse("Mount(%q): the pattern would hide every API path", pattern)
		return
	}
	defer func() {
		if r := recover(); r != nil {
			s.misuse("Mount(%q): %v", pattern, r)
		}
	}()
	s.mux.Handle(pattern, h)
}

// wholeTree reports whether a ServeMux pattern ("[METHOD ][HOST]/PATH")
// has the path "/", which matches everything.
func wholeTree(pattern string) bool {
	p := pattern[strings.LastIndexByte(pattern, ' ')+1:]
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[i:]
	}
	return p == "/"
}

// route sends requests matching a mounted pattern to the mux and all others
// to the API pipeline, which matches paths exactly (no ServeMux cleaning or
// redirects, which the real gateway does not do either).
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if h, pattern := s.mux.Handler(r); pattern != "" {
		h.ServeHTTP(w, r)
		return
	}
	s.serveAPI(w, r)
}

func (s *Server) handler(path string) Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handlers[path]
}
