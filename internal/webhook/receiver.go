package webhook

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/helpsite/helpsite/internal/journal"
)

// Recorder stores an article notification durably; journal.Journal is one.
type Recorder interface {
	Append(journal.Record) (journal.Record, error)
}

// Receiver turns a delivered notification into an HTTP status.
type Receiver struct {
	Verifier *Verifier
	Recorder Recorder
	Log      *slog.Logger

	Received, Rejected, Duplicates, Ignored atomic.Int64
}

// Receive handles one delivery: the exact body and its X-Hub-Signature.
// Nothing is recorded unless the signature is right; an article event is
// on disk before Receive returns 200.
func (r *Receiver) Receive(body []byte, signature string) (status int, msg string) {
	if !r.Verifier.Verify(body, signature) {
		r.Rejected.Add(1)
		r.Log.Warn("webhook rejected: bad or missing signature")
		return http.StatusUnauthorized, "invalid signature"
	}
	env, err := Parse(body)
	if err != nil {
		r.Rejected.Add(1)
		r.Log.Warn("webhook rejected", "err", err)
		return http.StatusBadRequest, err.Error()
	}
	r.Received.Add(1)
	switch {
	case env.Topic == "ping":
		return http.StatusOK, "pong"
	case !Topics[env.Topic]:
		r.Ignored.Add(1)
		r.Log.Info("webhook topic ignored", "topic", env.Topic, "id", env.NotificationID())
		return http.StatusOK, "ignored"
	}
	rec, err := r.Recorder.Append(journal.Record{ID: env.NotificationID(), Topic: env.Topic, CreatedAt: env.CreatedAt, Item: env.Data.Item})
	log := r.Log.With("topic", env.Topic, "id", env.NotificationID(), "article", env.ArticleID)
	switch {
	case errors.Is(err, journal.ErrDuplicate):
		r.Duplicates.Add(1)
		return http.StatusOK, "duplicate"
	case err != nil:
		log.Error("webhook not recorded", "err", err)
		return http.StatusServiceUnavailable, "not recorded"
	}
	log.Info("webhook recorded", "seq", rec.Seq)
	return http.StatusOK, "recorded"
}
