package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// row is one line of the report: what is measured, our figure, the
// comparison's figure, their ratio, the target and whether it is met.
type row struct {
	item, measure, ours, other, ratio, target, met string
}

var header = row{"#", "measure", "ivhgen", "comparison", "ratio", "target", "met"}

// writeTable prints rows as a Markdown table, columns padded so that it
// also reads well in a terminal.
func writeTable(w io.Writer, rows []row) error {
	all := append([]row{header}, rows...)
	width := make([]int, len(header.cells()))
	for _, r := range all {
		for i, c := range r.cells() {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for n, r := range all {
		writeLine(&b, r.cells(), width)
		if n == 0 {
			sep := make([]string, len(width))
			for i, wd := range width {
				sep[i] = strings.Repeat("-", wd)
			}
			writeLine(&b, sep, width)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r row) cells() []string {
	return []string{r.item, r.measure, r.ours, r.other, r.ratio, r.target, r.met}
}

func writeLine(b *strings.Builder, cells []string, width []int) {
	b.WriteString("|")
	for i, c := range cells {
		b.WriteString(" " + c + strings.Repeat(" ", width[i]-len([]rune(c))) + " |")
	}
	b.WriteString("\n")
}

// fmtRatio prints a ratio as 0.42x; n/a when it is not a number.
func fmtRatio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", r)
}

// verdict is "yes" or "NO" (upper case so a miss stands out).
func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}

// fmtSeconds prints a duration in seconds with a unit that keeps three
// significant digits: 812 µs, 61.2 ms, 2.31 s.
func fmtSeconds(s float64) string {
	switch {
	case math.IsNaN(s):
		return "n/a"
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	case s >= 1e-3:
		return fmt.Sprintf("%.1f ms", s*1e3)
	default:
		return fmt.Sprintf("%.1f µs", s*1e6)
	}
}

// fmtMB prints bytes as MB (10^6).
func fmtMB(b float64) string { return fmt.Sprintf("%.0f MB", b/1e6) }
