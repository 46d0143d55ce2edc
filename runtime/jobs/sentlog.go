package jobs

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync"
)

// sentLog is the file beside the journal where an armed create's
// RequestID is appended just before the request leaves, with write(2) and
// no fsync: a write that returned survives the crash of this process
// (only the kernel's own crash loses it), and costs microseconds. The boot
// id in the armed record tells a resume whether the kernel restarted in
// between; see resolveGates.
type sentLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

func openSentLog(journal string) (*sentLog, error) {
	path := journal + ".sent"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &sentLog{path: path, f: f}, nil
}

// mark appends rid in one write.
func (s *sentLog) mark(rid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.f.Write([]byte(rid + "\n"))
	return err
}

// read returns the RequestIDs marked so far.
func (s *sentLog) read() (map[string]bool, error) {
	b, err := os.ReadFile(s.path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		out[strings.TrimSpace(sc.Text())] = true
	}
	return out, nil
}

// reset empties the log once no armed record needs it.
func (s *sentLog) reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Truncate(0)
}

func (s *sentLog) close() error { return s.f.Close() }

// bootID names the running kernel's boot (Linux), or "" where unknown.
var bootID = sync.OnceValue(func() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
})
