package deploy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/helpsite/helpsite/internal/purge"
	"github.com/helpsite/helpsite/internal/retry"
)

// A Purger drops changed URLs from a CDN's cache (purge.Cloudflare,
// purge.CloudFront, purge.Webhook).
type Purger interface {
	Purge(ctx context.Context, urls []string) error
}

// SyncStatus is what a Syncer reports, for /readyz and the metrics.
type SyncStatus struct {
	Target      string    `json:"target"`
	LastPush    time.Time `json:"last_push,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	// Failed is true while the last push failed: the target lags behind
	// the local site until a push succeeds.
	Failed bool `json:"failed"`
	// Uploaded and Deleted count objects since the process started;
	// Purged counts URLs.
	Uploaded int64 `json:"uploaded"`
	Deleted  int64 `json:"deleted"`
	Purged   int64 `json:"purged"`
}

// A Syncer pushes each new local site to a Target, then purges the URLs
// that changed. The webhook server notifies it after each local publish;
// sitegen build calls Push once.
type Syncer struct {
	target  *Target
	baseURL string
	purger  Purger
	log     *slog.Logger

	next chan string // the newest site directory not yet pushed

	mu       sync.Mutex
	status   SyncStatus
	unpurged []string // keys changed on the target whose URLs are not purged yet
}

// NewSyncer returns a Syncer to t of the site served at baseURL, purging
// through purger (nil for no CDN to purge).
func NewSyncer(t *Target, baseURL string, purger Purger, log *slog.Logger) *Syncer {
	if log == nil {
		log = slog.Default()
	}
	return &Syncer{target: t, baseURL: baseURL, purger: purger, log: log,
		next: make(chan string, 1), status: SyncStatus{Target: t.String()}}
}

// Status returns the state of the pushes.
func (s *Syncer) Status() SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Notify asks Run to push dir, replacing a directory that waits: only the
// newest site matters, and the manifest makes the push incremental.
func (s *Syncer) Notify(dir string) {
	for {
		select {
		case s.next <- dir:
			return
		default:
		}
		select {
		case <-s.next:
		default:
		}
	}
}

// Run pushes each notified directory until ctx ends. A failed push is
// tried again with backoff, unless a newer directory comes first.
func (s *Syncer) Run(ctx context.Context) error {
	var dir string
	failures := 0
	for {
		var retryIn <-chan time.Time
		if failures > 0 {
			retryIn = time.After(min(retry.Backoff(time.Second, failures), 5*time.Minute))
		}
		select {
		case <-ctx.Done():
			return nil
		case dir = <-s.next:
		case <-retryIn:
		}
		if err := s.Push(ctx, dir); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			failures++
			s.log.Error("push to the publish target failed; retrying", "target", s.target.String(), "err", err, "failures", failures)
			continue
		}
		failures = 0
	}
}

// Push publishes dir to the target and purges what changed, also what an
// earlier push changed but could not purge.
func (s *Syncer) Push(ctx context.Context, dir string) error {
	rep, err := s.target.Publish(ctx, dir)
	s.mu.Lock()
	// What went up is live even when the push failed part way: the next
	// push will not name it again, so it is purged now.
	if rep != nil && !(rep.Initial && err == nil) {
		s.unpurged = append(s.unpurged, rep.Changed()...)
	}
	if rep != nil {
		s.status.Uploaded += int64(len(rep.Uploaded))
		s.status.Deleted += int64(len(rep.Deleted))
	}
	keys := slices.Clone(s.unpurged)
	s.mu.Unlock()

	var perr error
	if s.purger != nil && len(keys) > 0 {
		urls := purge.URLs(s.baseURL, keys)
		if perr = s.purger.Purge(ctx, urls); perr == nil {
			s.mu.Lock()
			s.unpurged = s.unpurged[len(keys):]
			s.status.Purged += int64(len(urls))
			s.mu.Unlock()
		} else {
			perr = fmt.Errorf("purging the CDN: %w", perr)
		}
	} else {
		s.mu.Lock()
		s.unpurged = s.unpurged[len(keys):]
		s.mu.Unlock()
	}
	err = errors.Join(err, perr)

	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.status.Failed, s.status.LastError, s.status.LastErrorAt = true, err.Error(), time.Now().UTC()
		return err
	}
	s.status.Failed, s.status.LastPush = false, time.Now().UTC()
	return nil
}
