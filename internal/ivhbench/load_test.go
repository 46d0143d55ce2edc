package main

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadCountsCallsAndErrors(t *testing.T) {
	var n atomic.Int64
	r := load(func() (string, error) {
		switch n.Add(1) % 10 {
		case 0:
			return "", errors.New("boom")
		case 5:
			return "wrong id", nil
		}
		time.Sleep(time.Microsecond)
		return "t-1", nil
	}, 200, 8)
	if n.Load() != 200 {
		t.Errorf("%d calls, want 200", n.Load())
	}
	if r.errors != 40 {
		t.Errorf("%d errors, want 40 (failures and wrong answers)", r.errors)
	}
	if r.perSec <= 0 || r.p50 <= 0 || r.p99 < r.p50 {
		t.Errorf("bad figures: %+v", r)
	}
}

func TestSettleCountsGoroutinesLeftBehind(t *testing.T) {
	// Let goroutines of earlier tests finish first.
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			break
		}
		n = m
	}
	stop := make(chan struct{})
	go func() { <-stop }()
	if left := settle(n, 50*time.Millisecond); left != 1 {
		t.Errorf("settle = %d with one goroutine blocked, want 1", left)
	}
	close(stop)
	if left := settle(n, 2*time.Second); left != 0 {
		t.Errorf("settle = %d after the goroutine ended, want 0", left)
	}
}

func TestCountOperations(t *testing.T) {
	p := filepath.Join(t.TempDir(), "doc.json")
	os.WriteFile(p, []byte(`{"paths":{"/a":{"post":{},"parameters":[]},"/b":{"get":{},"post":{}}},"webhooks":{"X":{"post":{}}}}`), 0o644)
	if n, err := countOperations(p); n != 3 || err != nil {
		t.Errorf("countOperations = %d, %v; want 3 (webhooks and parameters are not operations)", n, err)
	}
	os.WriteFile(p, []byte(`{"paths":{}}`), 0o644)
	if _, err := countOperations(p); err == nil {
		t.Error("a document without operations was accepted")
	}
}

// TestCallProgramParses checks the template ivhbench writes into the
// temporary module; compiling it needs oapi-codegen, which only make bench
// fetches.
func TestCallProgramParses(t *testing.T) {
	if _, err := parser.ParseFile(token.NewFileSet(), "callprog.tmpl", callProgram, parser.AllErrors); err != nil {
		t.Fatal(err)
	}
}
