// Package progress shows how far long work has got, on one rewritten line of
// a terminal. It prints nothing when the output is not a terminal, where
// structured logs tell the story instead.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// Line is a progress line. The zero value and a nil *Line print nothing.
type Line struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	width int
}

// New returns a Line on f if f is a terminal, else one that prints nothing.
func New(f *os.File) *Line {
	if !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &Line{w: f}
}

// Update shows "label done/total", at most ten times a second but always the
// final count.
func (l *Line) Update(label string, done, total int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.last) < 100*time.Millisecond && done < total {
		return
	}
	l.last = now
	msg := fmt.Sprintf("%s %d/%d", label, done, total)
	pad := max(l.width-len(msg), 0)
	fmt.Fprintf(l.w, "\r%s%*s", msg, pad, "")
	l.width = len(msg)
}

// Clear erases the line, before other output.
func (l *Line) Clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r%*s\r", l.width, "")
		l.width = 0
	}
}
