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
	// Hashed the site's files read to compare them with the manifest
	// (Report.Hashed); Purged counts URLs.
	Uploaded int64 `json:"uploaded"`
	Deleted  int64 `json:"deleted"`
	Hashed   int64 `json:"hashed"`
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

	wake chan struct{} // next has something to push

	mu       sync.Mutex
	next     pending // what changed since the last push began
	status   SyncStatus
	unpurged []string // keys changed on the target whose URLs are not purged yet
}

// pending is what a Syncer has to push: the site in dir, all of it or the
// files written and removed since the last push.
type pending struct {
	dir              string
	all              bool
	written, removed []string
}

// add merges p and a later change to the site in dir.
func (p pending) add(dir string, all bool, written, removed []string) pending {
	if p.dir != "" && p.dir != dir {
		all = true // another release: any file may differ
	}
	if all || p.all {
		return pending{dir: dir, all: true}
	}
	return pending{dir: dir, written: append(p.written, written...), removed: append(p.removed, removed...)}
}

// NewSyncer returns a Syncer to t of the site served at baseURL, purging
// through purger (nil for no CDN to purge).
func NewSyncer(t *Target, baseURL string, purger Purger, log *slog.Logger) *Syncer {
	if log == nil {
		log = slog.Default()
	}
	return &Syncer{target: t, baseURL: baseURL, purger: purger, log: log,
		wake: make(chan struct{}, 1), status: SyncStatus{Target: t.String()}}
}

// Status returns the state of the pushes.
func (s *Syncer) Status() SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Notify asks Run to push the site in dir, all of it: a new release.
func (s *Syncer) Notify(dir string) { s.notify(dir, true, nil, nil) }

// NotifyFiles asks Run to push the files written and removed (slash paths
// below dir; a removed one may be a directory) in the site in dir, which
// Run pushed or was asked to push before.
func (s *Syncer) NotifyFiles(dir string, written, removed []string) {
	s.notify(dir, false, written, removed)
}

// notify adds a change to what Run pushes next: pushes are incremental,
// so changes made while one runs go together in the next.
func (s *Syncer) notify(dir string, all bool, written, removed []string) {
	s.mu.Lock()
	s.next = s.next.add(dir, all, written, removed)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// ShutdownGrace is how long a push may go on once Run's context ends: a
// push under way, or one notified before, is finished rather than left to
// the re-sync of the next start.
const ShutdownGrace = 30 * time.Second

// Run pushes what it is notified of until ctx ends, and then what was
// notified before, within ShutdownGrace. A failed push is tried again with
// backoff, with whatever came since; the target makes it a push of the
// whole site when what the failed one left out is not known
// (Target.PublishFiles).
func (s *Syncer) Run(ctx context.Context) error {
	// Pushes outlive ctx by ShutdownGrace.
	pushCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(ShutdownGrace, cancel) })
	defer stop()
	var last string // the site of the last push
	failures := 0
	for {
		var retryIn <-chan time.Time
		if failures > 0 {
			retryIn = time.After(min(retry.Backoff(time.Second, failures), 5*time.Minute))
		}
		done := false
		select {
		case <-ctx.Done():
			done = true
		case <-s.wake:
		case <-retryIn:
		}
		s.mu.Lock()
		p := s.next
		s.next = pending{}
		s.mu.Unlock()
		if p.dir == "" {
			if done {
				return nil
			}
			if failures == 0 {
				continue
			}
			p.dir = last // nothing new: try the failed push again
		}
		last = p.dir
		err := s.push(pushCtx, p)
		if done || pushCtx.Err() != nil {
			if err != nil {
				s.log.Warn("the push at shutdown was left unfinished; the next start re-syncs the target", "target", s.target.String(), "err", err)
			}
			return nil
		}
		if err != nil {
			failures++
			s.log.Error("push to the publish target failed; retrying", "target", s.target.String(), "err", err, "failures", failures)
			continue
		}
		failures = 0
	}
}

// Push publishes the site in dir to the target and purges what changed,
// also what an earlier push changed but could not purge.
func (s *Syncer) Push(ctx context.Context, dir string) error {
	return s.push(ctx, pending{dir: dir, all: true})
}

// push publishes p and purges what changed.
func (s *Syncer) push(ctx context.Context, p pending) error {
	var rep *Report
	var err error
	if p.all {
		rep, err = s.target.Publish(ctx, p.dir)
	} else {
		rep, err = s.target.PublishFiles(ctx, p.dir, p.written, p.removed)
	}
	s.mu.Lock()
	// What went up is live even when the push failed part way: the next
	// push will not name it again, so it is purged now.
	if rep != nil && !(rep.Initial && err == nil) {
		s.unpurged = append(s.unpurged, rep.Changed()...)
	}
	if rep != nil {
		s.status.Uploaded += int64(len(rep.Uploaded))
		s.status.Deleted += int64(len(rep.Deleted))
		s.status.Hashed += int64(rep.Hashed)
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
