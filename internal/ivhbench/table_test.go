package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteTableAlignsMarkdown(t *testing.T) {
	var buf bytes.Buffer
	rows := []row{
		{"1", "generation time", "61.2 ms", "oapi-codegen 320.0 ms", "0.19x", "≤ 0.5x", "yes"},
		{"2", "scale", "2.31 s, 172 MB", "—", "—", "< 4 s, < 500 MB", "NO"},
	}
	if err := writeTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want header, separator and 2 rows:\n%s", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[0], "| # | measure ") || !strings.HasPrefix(lines[1], "| - | ---") {
		t.Errorf("header or separator wrong:\n%s", buf.String())
	}
	width := len([]rune(lines[0]))
	for _, l := range lines {
		if len([]rune(l)) != width {
			t.Errorf("line width %d, want %d (columns not aligned):\n%s", len([]rune(l)), width, buf.String())
		}
		if strings.Count(l, "|") != 8 {
			t.Errorf("line has %d cell borders, want 8: %q", strings.Count(l, "|"), l)
		}
	}
	if !strings.Contains(lines[3], "| < 4 s, < 500 MB | NO  |") {
		t.Errorf("row not rendered as given: %q", lines[3])
	}
}

func TestFormatters(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{fmtRatio(0.4249), "0.42x"},
		{fmtRatio(math.NaN()), "n/a"},
		{fmtRatio(math.Inf(1)), "n/a"},
		{fmtSeconds(2.314), "2.31 s"},
		{fmtSeconds(0.0612), "61.2 ms"},
		{fmtSeconds(0.000812), "812.0 µs"},
		{fmtSeconds(math.NaN()), "n/a"},
		{fmtMB(172.4e6), "172 MB"},
		{verdict(true), "yes"},
		{verdict(false), "NO"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestWriteReportNamesMachineRoundsAndCommand(t *testing.T) {
	var buf bytes.Buffer
	if err := writeReport(&buf, "Machine: test box", 7, []row{{item: "1", measure: "m"}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Machine: test box", "Medians of 7 runs", "| 1 | m ", "Reproduce: make bench"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestCPUModel(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cpuinfo")
	os.WriteFile(p, []byte("processor\t: 0\nvendor_id\t: X\nmodel name\t: Test CPU @ 2.0GHz\nmodel name\t: second\n"), 0o644)
	if got := cpuModel(p); got != "Test CPU @ 2.0GHz" {
		t.Errorf("cpuModel = %q", got)
	}
	if got := cpuModel(filepath.Join(t.TempDir(), "none")); got != "unknown CPU" {
		t.Errorf("cpuModel of a missing file = %q", got)
	}
}
