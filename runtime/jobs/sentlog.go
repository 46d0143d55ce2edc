package jobs

import (
	"crypto/rand"
	"errors"
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
//
// Its first line names the log ("log <random id>"); an armed record
// carries that id with the boot id (stamp), so a journal resumed beside
// another log (copied without it, say) proves nothing from it.
type sentLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
	id   string
}

func openSentLog(journal string) (*sentLog, error) {
	path := journal + ".sent"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	s := &sentLog{path: path, f: f}
	b, err := os.ReadFile(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	head, _, _ := strings.Cut(string(b), "\n")
	if id, ok := strings.CutPrefix(head, "log "); ok && id != "" {
		s.id = id
		return s, nil
	}
	s.id = rand.Text()
	if err := s.rewrite(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// rewrite empties the log down to its header.
func (s *sentLog) rewrite() error {
	if err := s.f.Truncate(0); err != nil {
		return err
	}
	_, err := s.f.Write([]byte("log " + s.id + "\n"))
	return err
}

// stamp is what an armed record carries: the boot id and the log's id, or
// "" where the boot id is unknown.
func (s *sentLog) stamp() string {
	if bootID() == "" {
		return ""
	}
	return bootID() + " " + s.id
}

// mark appends rid in one write, on a line of its own even after a torn
// last line.
func (s *sentLog) mark(rid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.f.Write([]byte("\n" + rid + "\n"))
	return err
}

// read returns the RequestIDs marked so far.
func (s *sentLog) read() (map[string]bool, error) {
	b, err := os.ReadFile(s.path)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		// Each mark is one write(2) of a whole line, which a process crash
		// does not tear: a torn last line means the log lost data.
		return nil, errors.New("jobs: sent log " + s.path + ": torn last line")
	}
	out := map[string]bool{}
	for l := range strings.Lines(string(b)) { // no line length limit: every mark is read
		if line := strings.TrimSpace(l); line != "" && !strings.HasPrefix(line, "log ") {
			out[line] = true
		}
	}
	return out, nil
}

// reset empties the log once no armed record needs it.
func (s *sentLog) reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rewrite()
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
