package progress

import (
	"strings"
	"testing"
	"time"
)

// screen interprets carriage returns as a terminal does, returning the
// lines shown.
func screen(out string) []string {
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		var cur []rune
		col := 0
		for _, r := range line {
			if r == '\r' {
				col = 0
				continue
			}
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
		lines = append(lines, strings.TrimRight(string(cur), " "))
	}
	return lines
}

func TestRateAndLogsAboveTheLine(t *testing.T) {
	var out strings.Builder
	now := time.Unix(0, 0)
	l := NewWriter(&out, func() time.Time { return now })
	l.Update("pages", 0, 1000)
	now = now.Add(2 * time.Second)
	l.Update("pages", 400, 1000)
	if got := screen(out.String()); got[len(got)-1] != "pages 400/1000 (200/s)" {
		t.Fatalf("line shows %q", got[len(got)-1])
	}
	w := l.Writer(nil)
	w.Write([]byte("level=WARN msg=\"image not fetched\"\n"))
	got := screen(out.String())
	if len(got) != 2 || got[0] != `level=WARN msg="image not fetched"` || got[1] != "pages 400/1000 (200/s)" {
		t.Fatalf("a log line broke the progress line: %q", got)
	}
	l.Clear()
	if got := screen(out.String()); got[len(got)-1] != "" {
		t.Errorf("Clear left %q", got[len(got)-1])
	}
}

func TestNilLinePassesOutputThrough(t *testing.T) {
	var l *Line
	l.Update("x", 1, 2)
	l.Clear()
	var out strings.Builder
	l.Writer(&out).Write([]byte("log\n"))
	if out.String() != "log\n" {
		t.Errorf("got %q", out.String())
	}
}
