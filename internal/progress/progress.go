// Package progress shows how far long work has got, on one rewritten line of
// a terminal: each stage with its count, total and rate. It prints nothing
// when the output is not a terminal, where structured logs tell the story
// instead. Other output to the terminal goes through Line.Writer, which
// clears the line first and draws it again after, so that a log message
// never lands on the end of the line.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// Line is a progress line. A nil *Line prints nothing.
type Line struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	last  time.Time // when the line was last drawn
	msg   string    // what it shows
	width int       // how many columns of it are on the terminal

	stage      string
	stageStart time.Time
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// New returns a Line on f if f is a terminal, else nil, which prints
// nothing.
func New(f *os.File) *Line {
	if !IsTerminal(f) {
		return nil
	}
	return NewWriter(f, time.Now)
}

// NewWriter returns a Line on w, whatever it is, with a clock: for tests.
func NewWriter(w io.Writer, now func() time.Time) *Line {
	return &Line{w: w, now: now}
}

// Update shows "stage done/total" and the stage's rate per second, at most
// ten times a second but always the final count. A new stage restarts the
// rate.
func (l *Line) Update(stage string, done, total int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if stage != l.stage {
		l.stage, l.stageStart = stage, now
	} else if now.Sub(l.last) < 100*time.Millisecond && done < total {
		return
	}
	l.last = now
	msg := fmt.Sprintf("%s %d/%d", stage, done, total)
	if secs := now.Sub(l.stageStart).Seconds(); secs >= 0.5 && done > 0 {
		msg += fmt.Sprintf(" (%.0f/s)", float64(done)/secs)
	}
	l.draw(msg)
}

// draw replaces what the line shows with msg; l.mu is held.
func (l *Line) draw(msg string) {
	pad := max(l.width-len(msg), 0)
	fmt.Fprintf(l.w, "\r%s%*s", msg, pad, "")
	l.msg, l.width = msg, len(msg)
}

// erase blanks the line on the terminal, keeping what it shows; l.mu is
// held.
func (l *Line) erase() {
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r%*s\r", l.width, "")
		l.width = 0
	}
}

// Clear erases the line for good, before other output.
func (l *Line) Clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	l.msg, l.stage = "", ""
}

// Writer returns a writer for other output to the line's terminal (out
// when l is nil): each write erases the line, is written whole, and the
// line is drawn again below it.
func (l *Line) Writer(out io.Writer) io.Writer {
	if l == nil {
		return out
	}
	return above{l}
}

type above struct{ l *Line }

func (a above) Write(p []byte) (int, error) {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	n, err := l.w.Write(p)
	if l.msg != "" {
		l.draw(l.msg)
	}
	return n, err
}
