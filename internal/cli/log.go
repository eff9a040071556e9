package cli

import (
	"context"
	"io"
	"log/slog"
)

// NewLogger returns a logger writing to w in format, "text" or "json",
// from level up. An unknown format is a usage error.
func NewLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, Usagef("--log-format %q: use text or json", format)
}

// Without returns a logger that drops the records of l with message msg:
// on a terminal, warnings a command summarizes at the end would only
// repeat it.
func Without(l *slog.Logger, msg string) *slog.Logger {
	return slog.New(dropHandler{Handler: l.Handler(), msg: msg})
}

type dropHandler struct {
	slog.Handler
	msg string
}

func (h dropHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h dropHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return dropHandler{Handler: h.Handler.WithAttrs(attrs), msg: h.msg}
}

func (h dropHandler) WithGroup(name string) slog.Handler {
	return dropHandler{Handler: h.Handler.WithGroup(name), msg: h.msg}
}
