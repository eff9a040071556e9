// Package updater keeps a published help site current: it applies the
// webhook notifications recorded in the journal and the changes found by
// polling to the snapshot, rebuilds, publishes, and only then marks the
// notifications applied; the search indexes follow once the notifications
// stop coming. A crash at any point loses nothing: unapplied notifications
// are applied on the next start, and the search indexes are built anew.
package updater

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/journal"
	"github.com/helpsite/helpsite/internal/metrics"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/internal/publish"
	"github.com/helpsite/helpsite/internal/retry"
	"github.com/helpsite/helpsite/internal/server"
	"github.com/helpsite/helpsite/internal/sitehttp"
	"github.com/helpsite/helpsite/internal/snapshot"
	"github.com/helpsite/helpsite/render"
	"github.com/helpsite/helpsite/search"
)

// Config is what an Updater works with.
type Config struct {
	Journal  *journal.Journal
	Store    *snapshot.Store
	Client   *fetch.Client
	Pipeline *pipeline.Pipeline
	Releases *publish.Releases
	// SearchDir holds the server's search index.
	SearchDir string
	// RetiredFile keeps the pages of unpublished and deleted articles,
	// which redirect to their collection.
	RetiredFile string
	// OnPublish is called with each new release directory and the search
	// index, once the release is live.
	OnPublish func(dir string, ix *search.Index)
	// OnChange, if set, is called each time the files of the live release
	// change: after OnPublish, and again once an incremental build's
	// static search indexes are in place. A publish target is pushed from
	// it.
	OnChange func(Change)
	// PollInterval is how often to ask Intercom for changes (default 10m);
	// ReconcileInterval how often to list everything (default 24h).
	PollInterval, ReconcileInterval time.Duration
	// Debounce is how long to wait for more notifications before applying
	// a batch, when they come in a burst (default 100ms); a notification
	// that comes alone is applied at once.
	Debounce time.Duration
	// The search indexes follow the pages once no notification has come
	// for Debounce, or once they are MaxSearchDelay (default 5s) behind.
	MaxSearchDelay time.Duration
	Metrics        *metrics.Registry
	Log            *slog.Logger
}

// A Change is a change to the files of the live release.
type Change struct {
	// Dir is the live release's directory.
	Dir string
	// Full is true when Dir is a new release, any of whose files may
	// differ from the one before; else Written and Removed are the files
	// written and the files and directories removed, as slash paths
	// below Dir.
	Full             bool
	Written, Removed []string
}

// Updater applies changes and republishes. Run it once.
type Updater struct {
	cfg     Config
	rebuild chan bool // true for a full reconcile

	// plan is the published site's, which published holds for other
	// goroutines.
	plan      *render.Plan
	published atomic.Pointer[render.Plan]
	index     *search.Index
	retired   pipeline.Retired
	// mixed says the live release may hold parts of two builds (applying
	// one failed): the next publish makes a whole new release.
	mixed bool
	// search is what the search indexes lack of the published site.
	search searchDebt
	// lastNotified is when the newest notification applied came.
	lastNotified time.Time

	mu     sync.Mutex
	status server.Status

	builds       *metrics.Counter
	incremental  *metrics.Counter
	buildFailed  *metrics.Counter
	buildSeconds metrics.Histogram
	publishBytes metrics.Histogram
	toLive       metrics.Histogram
	degraded     *metrics.Gauges
	imagesLost   *metrics.Counter
}

// New returns an Updater.
func New(cfg Config) *Updater {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 10 * time.Minute
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = 24 * time.Hour
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = 100 * time.Millisecond
	}
	if cfg.MaxSearchDelay <= 0 {
		cfg.MaxSearchDelay = 5 * time.Second
	}
	u := &Updater{cfg: cfg, rebuild: make(chan bool, 1)}
	u.builds = cfg.Metrics.Counter("helpsite_builds_total", "Site builds published.")
	u.incremental = cfg.Metrics.Counter("helpsite_builds_incremental_total", "Builds that rendered only what changed and were applied to the live release.")
	u.buildFailed = cfg.Metrics.Counter("helpsite_build_failures_total", "Site builds that failed; the previous release kept serving.")
	u.imagesLost = cfg.Metrics.Counter("helpsite_images_lost_total", "Images a published build could not fetch, even from a fresh URL, and had no copy of: pages show their alt text (counted at every build they are still missing from).")
	u.buildSeconds = cfg.Metrics.Histogram("helpsite_build_duration_seconds", "Time from the start of a build to its publication.", 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300)
	u.publishBytes = cfg.Metrics.Histogram("helpsite_publish_size_bytes", "Bytes written by a publish: the whole release after a full build, the changed files after an incremental one.",
		1<<14, 1<<16, 1<<18, 1<<20, 1<<22, 1<<24, 1<<26, 1<<28, 1<<30)
	u.toLive = cfg.Metrics.Histogram("helpsite_notification_to_live_seconds", "Time from a webhook notification's receipt to its change being live.", 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)
	u.degraded = cfg.Metrics.Gauges("helpsite_degraded_items", "Items of the live site left out or shown degraded, by kind of warning (skipped, image-lost, image, link, content).", "kind")
	cfg.Metrics.GaugeFunc("helpsite_queue_depth", "Recorded notifications not yet applied.", func() float64 { return float64(len(cfg.Journal.Pending())) })
	cfg.Metrics.GaugeFunc("helpsite_last_publish_timestamp_seconds", "When the live release was published, Unix seconds.", func() float64 {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.status.LastPublish.IsZero() {
			return 0
		}
		return float64(u.status.LastPublish.Unix())
	})
	return u
}

// Rebuild asks for a poll of Intercom now (a full reconcile if full).
func (u *Updater) Rebuild(full bool) {
	select {
	case u.rebuild <- full:
	default: // one is already waiting
	}
}

// Status reports readiness and the last error.
func (u *Updater) Status() server.Status {
	u.mu.Lock()
	defer u.mu.Unlock()
	st := u.status
	st.PendingEvent = len(u.cfg.Journal.Pending())
	return st
}

// Run works until ctx is done.
func (u *Updater) Run(ctx context.Context) error {
	u.cfg.Releases.RemoveStaging()
	for attempt := 0; ; attempt++ {
		err := u.start(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		u.failed(err, backoff(attempt))
		if err := retry.Sleep(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
	poll := time.NewTicker(u.cfg.PollInterval)
	defer poll.Stop()
	reconcile := time.NewTicker(u.cfg.ReconcileInterval)
	defer reconcile.Stop()
	var retryAfter <-chan time.Time
	failures := 0
	// owed is the poll that failed and is tried again with the next retry;
	// a poll that succeeds pays off one no larger than itself.
	const (
		noPoll = iota
		deltaPoll
		fullPoll
	)
	owed := noPoll
	pollNow := func(full bool) error {
		kind := deltaPoll
		if full {
			kind = fullPoll
		}
		err := u.poll(ctx, full)
		switch {
		case err != nil:
			owed = max(owed, kind)
		case kind >= owed:
			owed = noPoll
		}
		return err
	}
	// searchDue fires when the search indexes are to catch up.
	searchDue := time.NewTimer(time.Hour)
	defer searchDue.Stop()
	for {
		var err error
		if u.search.empty() {
			searchDue.Stop()
		} else {
			searchDue.Reset(u.search.wait(time.Now(), u.cfg.Debounce, u.cfg.MaxSearchDelay))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-u.cfg.Journal.Notify():
			if u.search.overdue(time.Now(), u.cfg.MaxSearchDelay) {
				err = u.catchUpSearch(ctx)
			}
			if err == nil {
				err = retry.Sleep(ctx, settle(u.cfg.Journal.Pending(), u.lastNotified, u.cfg.Debounce))
			}
			if err == nil {
				err = u.applyPending(ctx)
			}
		case <-searchDue.C:
			err = u.catchUpSearch(ctx)
		case <-retryAfter:
			err = u.applyPending(ctx)
			if err == nil && owed != noPoll {
				err = pollNow(owed == fullPoll)
			}
			if err == nil {
				err = u.catchUpSearch(ctx)
			}
		case <-poll.C:
			err = pollNow(false)
		case <-reconcile.C:
			err = pollNow(true)
		case full := <-u.rebuild:
			err = pollNow(full)
		}
		retryAfter = nil
		if err != nil && ctx.Err() == nil {
			failures++
			u.failed(err, backoff(failures))
			retryAfter = time.After(backoff(failures))
		} else {
			failures = 0
		}
	}
}

// start loads (or first fetches) the snapshot, opens the search index,
// publishes a release and applies what the journal still holds.
func (u *Updater) start(ctx context.Context) error {
	site, err := u.cfg.Store.Load(ctx)
	if errors.Is(err, snapshot.ErrNotExist) {
		u.cfg.Log.Info("no snapshot yet: fetching the whole Help Center")
		site, _, err = u.cfg.Client.Sync(ctx, nil, fetch.SyncOptions{Full: true})
		if err == nil {
			err = u.cfg.Store.Save(ctx, site)
		}
	}
	if err != nil {
		return err
	}
	plan, err := u.cfg.Pipeline.Plan(site)
	if err != nil {
		return err
	}
	if u.index == nil {
		// The index left by a previous run may be behind the snapshot (a
		// crash between the two): build it anew from the snapshot.
		if err := os.RemoveAll(u.cfg.SearchDir); err != nil {
			return err
		}
		if u.index, err = search.Build(ctx, u.cfg.SearchDir, site, u.cfg.Pipeline.SearchOptions(plan)); err != nil {
			return fmt.Errorf("building the search index: %w", err)
		}
	}
	if u.retired, err = pipeline.LoadRetired(u.cfg.RetiredFile); err != nil {
		return err
	}
	if err := u.publish(ctx, plan, nil, nil); err != nil {
		return err
	}
	u.setPlan(plan)
	if err := u.applyPending(ctx); err != nil {
		return err
	}
	return u.catchUpSearch(ctx)
}

// settle is how long to wait before applying the notifications recs: none
// when the first came at least debounce after the last one applied (it
// came alone, and waiting would only delay it), else debounce, for the
// rest of a burst to come and be applied together.
func settle(recs []journal.Record, lastNotified time.Time, debounce time.Duration) time.Duration {
	if len(recs) == 0 || recs[0].ReceivedAt.IsZero() || recs[0].ReceivedAt.Sub(lastNotified) < debounce {
		return debounce
	}
	return 0
}

// applyPending applies every recorded notification, publishes if anything
// changed and marks them applied.
func (u *Updater) applyPending(ctx context.Context) error {
	recs := u.cfg.Journal.Pending()
	if len(recs) == 0 {
		return nil
	}
	byArticle := map[string][]journal.Record{}
	var order []string
	for _, r := range recs {
		id, err := articleID(r.Item)
		if err == nil && !content.ValidID(id) {
			err = fmt.Errorf("article id %s is not an Intercom id", content.Quote(id))
		}
		if err != nil {
			u.cfg.Log.Warn("skipping a notification without an article id", "seq", r.Seq, "err", err)
			continue
		}
		if _, seen := byArticle[id]; !seen {
			order = append(order, id)
		}
		byArticle[id] = append(byArticle[id], r)
	}
	// Work out each article's new state concurrently (some need the API),
	// then apply them in order.
	results := make([]resolved, len(order))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, id := range order {
		g.Go(func() error {
			var err error
			results[i], err = u.resolve(gctx, u.plan.Site().Article(id), id, byArticle[id])
			if err != nil {
				return fmt.Errorf("applying notifications for article %s: %w", id, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	next := u.plan.Site().Clone()
	var changed []string
	for i, id := range order {
		if results[i].apply(next, id) {
			changed = append(changed, id)
		}
	}
	if len(changed) > 0 {
		if err := u.commit(ctx, next, changed); err != nil {
			return err
		}
	}
	u.cfg.Log.Info("notifications applied", "events", len(recs), "articles", len(order), "changed", len(changed))
	live := time.Now()
	for _, r := range recs {
		if !r.ReceivedAt.IsZero() {
			u.toLive.Observe(live.Sub(r.ReceivedAt).Seconds())
			u.lastNotified = r.ReceivedAt
		}
	}
	return u.cfg.Journal.MarkApplied(recs[len(recs)-1].Seq)
}

// resolved is an article's state after its notifications.
type resolved struct {
	article content.Article
	gone    bool
}

// apply puts r into site and reports whether that changed it. The
// translations of r with a malformed locale are left out and recorded in
// site.Refused.
func (r resolved) apply(site *content.Site, id string) bool {
	if r.gone {
		site.SetRefused(id, nil)
		if a := site.Article(id); a != nil {
			site.RecordDeleted(a) // before it goes: its URLs keep leading to its collection
		}
		return site.RemoveArticle(id)
	}
	skipped, _ := content.CleanArticle(&r.article)
	site.SetRefused(id, skipped)
	if current := site.Article(id); current != nil {
		if _, changed := content.MergeArticle(current, r.article); !changed {
			return false
		}
		content.TrackSlugs(current, &r.article)
	}
	site.PutArticle(r.article)
	return true
}

// resolve folds an article's notifications into current (nil if the
// snapshot lacks it). The payload is used when it is a complete article
// the snapshot already knows; a deletion, a minimal or undecodable
// payload, or an unknown article is checked against the API, which has
// the last word.
func (u *Updater) resolve(ctx context.Context, current *content.Article, id string, recs []journal.Record) (resolved, error) {
	refetch := current == nil
	var merged content.Article
	if current != nil {
		merged = *current
	}
	for _, r := range recs {
		if r.Topic == "article.deleted" {
			refetch = true
			continue
		}
		a, err := fetch.DecodeArticle(r.Item)
		if err != nil {
			refetch = true
			continue
		}
		if !refetch {
			merged, _ = content.MergeArticle(&merged, a)
		}
	}
	if !refetch {
		return resolved{article: merged}, nil
	}
	fresh, err := u.cfg.Client.Article(ctx, id)
	if fetch.IsNotFound(err) {
		return resolved{gone: true}, nil
	}
	if err != nil {
		return resolved{}, err
	}
	merged, _ = content.MergeArticle(current, fresh)
	return resolved{article: merged}, nil
}

// poll asks Intercom for changes (everything when full) and publishes them.
func (u *Updater) poll(ctx context.Context, full bool) error {
	next, report, err := u.cfg.Client.Sync(ctx, u.plan.Site(), fetch.SyncOptions{Full: full})
	if err != nil {
		return fmt.Errorf("polling Intercom: %w", err)
	}
	u.cfg.Log.Info("polled Intercom", "report", report.String())
	if report.HelpCenters.Empty() && report.Collections.Empty() && report.Articles.Empty() {
		return u.cfg.Store.SaveChanges(ctx, next, nil) // keeps the sync time
	}
	changed := slices.Concat(report.Articles.Added, report.Articles.Updated, report.Articles.Removed)
	if !report.Collections.Empty() || !report.HelpCenters.Empty() {
		changed = nil // breadcrumbs and pages of many articles change
		for _, a := range next.Articles {
			changed = append(changed, a.ID)
		}
		for _, id := range u.plan.Site().Articles {
			changed = append(changed, id.ID)
		}
	}
	return u.commit(ctx, next, changed)
}

// commit saves next, publishes it and updates the search index for the
// changed articles.
func (u *Updater) commit(ctx context.Context, next *content.Site, changed []string) error {
	// Retired pages are saved first: after a crash between the two saves,
	// a retired page that is still published is skipped at build time.
	plan, err := u.cfg.Pipeline.Plan(next)
	if err != nil {
		return err
	}
	u.retired.Track(u.plan, plan)
	if err := u.retired.Save(u.cfg.RetiredFile); err != nil {
		return fmt.Errorf("saving the retired pages: %w", err)
	}
	// The snapshot is saved while the site is built; the notifications
	// stay in the journal, and plan is not taken as published, until both
	// are done.
	saved := make(chan error, 1)
	go func() { saved <- u.cfg.Store.SaveChanges(ctx, next, changed) }()
	err = u.publish(ctx, plan, changed, pipeline.ChangedLocales(u.plan.Site(), next, changed))
	if err := <-saved; err != nil {
		return err
	}
	if err != nil {
		return err
	}
	u.setPlan(plan)
	return nil
}

// setPlan takes plan as the published site's.
func (u *Updater) setPlan(plan *render.Plan) {
	u.plan = plan
	u.published.Store(plan)
}

// publish brings the live site to the site of plan. With a live release
// and a renderer that still has the site in memory, it renders only what
// changed and applies that to the live release file by file; otherwise it
// builds a whole new release and switches to it. It leaves the search
// indexes to catchUpSearch: the articles changed (nil: none) to index
// again, and the locales (nil: all) whose static indexes change. The
// caller takes plan as published (setPlan) once all that is done, so that
// after a failure the same changes are found, and published, again.
func (u *Updater) publish(ctx context.Context, plan *render.Plan, changed, locales []string) error {
	start := time.Now()
	live, err := u.cfg.Releases.Current()
	if err != nil {
		return err
	}
	var res *render.Result
	var change Change
	dir, err := u.stage(func(staged string) (err error) {
		if live == "" || u.mixed {
			res, err = u.cfg.Pipeline.Build(ctx, plan, staged, u.retired)
		} else {
			res, err = u.cfg.Pipeline.Update(ctx, plan, live, staged, u.retired)
		}
		if err != nil {
			u.buildFailed.Inc()
			return &buildError{err}
		}
		return nil
	}, func(staged string) (string, error) {
		if res.Full {
			dir, err := u.cfg.Releases.Publish(staged)
			change = Change{Dir: dir, Full: true}
			u.mixed = err != nil
			return dir, err
		}
		c, err := u.apply(live, staged, res.Removed)
		change = c
		return live, err
	})
	if err != nil {
		return err
	}
	if locales == nil {
		locales = plan.Site().PublishedLocales()
	}
	u.search.add(changed, locales, res.Full, time.Now())
	u.searchPending()
	if u.cfg.OnPublish != nil {
		u.cfg.OnPublish(dir, u.index)
	}
	u.changed(change)
	took := time.Since(start)
	kinds, groups := pipeline.WarningsByKind(res)
	counts := map[string]int{ // every kind shows, at zero too
		render.WarnLink: 0, render.WarnImage: 0, render.WarnImageLost: 0, render.WarnContent: 0, render.WarnSkipped: 0,
	}
	for _, k := range kinds {
		counts[k] = len(groups[k])
	}
	u.degraded.Reset(counts)
	u.builds.Inc()
	u.imagesLost.Add(int64(res.LostImages))
	u.buildSeconds.Observe(took.Seconds())
	if !res.Full {
		u.incremental.Inc()
	}
	skipped := plan.Skipped()
	u.mu.Lock()
	before := u.status.Skipped
	u.status.Ready, u.status.LastPublish = true, time.Now().UTC()
	u.status.LastError, u.status.LastErrorAt = "", time.Time{}
	u.status.Degraded, u.status.Skipped = len(skipped) > 0, skipped
	u.mu.Unlock()
	for _, s := range skipped {
		if !slices.Contains(before, s) {
			u.cfg.Log.Warn("left out of the site; fix it in Intercom and it is published", "item", s.String())
		}
	}
	u.cfg.Log.Info("published", "release", dir, "full", res.Full, "changed", len(changed), "took", took,
		"rewritten", res.Rewritten, "prepared", res.Prepared, "pages_written", res.Written, "render", res.Durations["total"], "hugo", res.Durations["hugo"])
	return nil
}

// catchUpSearch brings the search indexes to the published site: the
// server's index for the articles changed since, and the static indexes
// of the locales they changed, applied to the live release.
func (u *Updater) catchUpSearch(ctx context.Context) error {
	if u.search.empty() {
		return nil
	}
	opts := u.cfg.Pipeline.SearchOptions(u.plan)
	if ids := u.search.articleIDs(); len(ids) > 0 {
		if _, err := u.index.Update(ctx, u.plan.Site(), ids, opts); err != nil {
			return fmt.Errorf("updating the search index: %w", err)
		}
		u.search.articles = nil
	}
	if locales := u.search.localeList(); len(locales) > 0 {
		live, err := u.cfg.Releases.Current()
		if err != nil {
			return err
		}
		var change Change
		var stale []string
		_, err = u.stage(func(staged string) (err error) {
			stale, err = u.cfg.Pipeline.StageStaticSearch(ctx, u.plan, staged, live, locales)
			return err
		}, func(staged string) (_ string, err error) {
			change, err = u.apply(live, staged, stale)
			return live, err
		})
		if err != nil {
			return err
		}
		u.changed(change)
	}
	u.search = searchDebt{}
	u.searchPending()
	return nil
}

// searchPending reports the search debt in the status.
func (u *Updater) searchPending() {
	u.mu.Lock()
	u.status.SearchPending = len(u.search.articles)
	u.mu.Unlock()
}

// Published returns the plan of the live site, nil before the first
// publish: what other parts of the server (article feedback) check
// requests against.
func (u *Updater) Published() *render.Plan { return u.published.Load() }

// changed calls OnChange, if set.
func (u *Updater) changed(c Change) {
	if u.cfg.OnChange != nil {
		u.cfg.OnChange(c)
	}
}

// stage makes a staging directory, has build fill it, compresses it and
// has release publish it, returning the live release. A failure discards
// the staging directory.
func (u *Updater) stage(build func(staged string) error, release func(staged string) (string, error)) (string, error) {
	staged, err := u.cfg.Releases.Stage()
	if err != nil {
		return "", err
	}
	if err := build(staged); err != nil {
		publish.Discard(staged)
		return "", err
	}
	// From here on, the renderer has moved on to what staged holds: if it
	// does not go live whole, the next publish makes a whole new release.
	if err := sitehttp.Precompress(staged); err != nil {
		publish.Discard(staged)
		u.mixed = true
		return "", fmt.Errorf("compressing the release: %w", err)
	}
	if size, err := dirSize(staged); err == nil {
		u.publishBytes.Observe(float64(size))
	}
	dir, err := release(staged)
	if err != nil {
		publish.Discard(staged)
		u.mixed = true
		return "", err
	}
	return dir, nil
}

// dirSize is the total size of the files below dir.
func dirSize(dir string) (int64, error) {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			size += info.Size()
		}
		return err
	})
	return size, err
}

// apply applies staged, an incremental build, to the live release, and
// returns the change it made.
func (u *Updater) apply(live, staged string, removed []string) (Change, error) {
	written, err := files(staged)
	if err != nil {
		return Change{}, fmt.Errorf("listing %s: %w", staged, err)
	}
	removed = append(removed, sitehttp.StaleGzip(staged)...)
	err = publish.Apply(live, staged, removed)
	u.mixed = err != nil
	return Change{Dir: live, Written: written, Removed: removed}, err
}

// files lists the files below dir, as slash paths.
func files(dir string) ([]string, error) {
	var list []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		list = append(list, filepath.ToSlash(rel))
		return err
	})
	return list, err
}

// buildError is a failed build: the previous release keeps serving.
type buildError struct{ err error }

func (e *buildError) Error() string {
	return "build failed, the previous release keeps serving: " + e.err.Error()
}
func (e *buildError) Unwrap() error { return e.err }

// failed records err for /readyz and logs it with what to do. Failing to
// reach Intercom, or being refused by it, is expected to happen and to be
// retried, so it is a warning; a failed build is an error, for it needs
// someone to fix a layout or free some disk.
func (u *Updater) failed(err error, retryIn time.Duration) {
	var be *buildError
	switch {
	case errors.As(err, &be):
		u.cfg.Log.Error("build failed; the previous release keeps serving", "err", be.err, "retry_in", retryIn,
			"hint", "check the layout overrides and free disk space; the build is retried until it publishes")
	case fetch.IsUnauthorized(err):
		u.cfg.Log.Warn("Intercom refused the access token; will retry", "err", err, "retry_in", retryIn,
			"hint", "check INTERCOM_ACCESS_TOKEN and the region or API base; the site keeps serving what it has")
	default:
		u.cfg.Log.Warn("update failed; will retry", "err", err, "retry_in", retryIn,
			"hint", "usually Intercom or the network is briefly unavailable; /readyz shows the last error")
	}
	u.mu.Lock()
	u.status.LastError, u.status.LastErrorAt = err.Error(), time.Now().UTC()
	u.mu.Unlock()
}

// backoff is the wait before retry number n: 1s doubling to 5 minutes.
func backoff(n int) time.Duration {
	return min(time.Second<<min(n, 9), 5*time.Minute)
}
