package fetch

import (
	"context"
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
)

// SyncOptions says how much to fetch.
type SyncOptions struct {
	// Full lists everything again, which is the only way to see deletions
	// and edits that did not move an item's top-level updated_at (such as a
	// translation-only edit). Without it, and given a previous snapshot
	// fetched with the same API version, only what changed since is fetched.
	Full bool
	// HelpCenterID, if set, keeps only that help center and its content.
	HelpCenterID string
}

// Report says what a sync changed.
type Report struct {
	Full        bool
	HelpCenters Diff
	Collections Diff
	Articles    Diff
	Calls       int64
	// Refused are the items left out because they were malformed or had
	// an id or locale that cannot be published safely (content.Clean),
	// those of earlier syncs that this one did not see again included.
	Refused []content.Skipped
}

// Diff lists the ids of added, updated and removed objects of one type.
type Diff struct {
	Added, Updated, Removed []string
}

// Empty reports whether nothing changed.
func (d Diff) Empty() bool { return len(d.Added)+len(d.Updated)+len(d.Removed) == 0 }

func (d Diff) String() string {
	return fmt.Sprintf("%d added, %d updated, %d removed", len(d.Added), len(d.Updated), len(d.Removed))
}

// String is a one-line summary of the report.
func (r *Report) String() string {
	kind := "delta"
	if r.Full {
		kind = "full"
	}
	s := fmt.Sprintf("%s sync in %d calls: help centers %s; collections %s; articles %s",
		kind, r.Calls, r.HelpCenters, r.Collections, r.Articles)
	if len(r.Refused) > 0 {
		s += fmt.Sprintf("; %d items refused", len(r.Refused))
	}
	return s
}

// HelpCenterNotFoundError says the requested help center does not exist.
type HelpCenterNotFoundError struct {
	ID        string
	Available []content.HelpCenter
}

func (e *HelpCenterNotFoundError) Error() string {
	var names []string
	for _, h := range e.Available {
		names = append(names, fmt.Sprintf("%s (%s)", h.ID, h.Identifier))
	}
	return fmt.Sprintf("help center %s does not exist in this workspace; its help centers are: %s",
		e.ID, strings.Join(names, ", "))
}

// Sync brings prev (nil for none) up to date and reports what changed.
// prev is not modified.
func (c *Client) Sync(ctx context.Context, prev *content.Site, opts SyncOptions) (*content.Site, *Report, error) {
	start := c.Calls()
	full := opts.Full || prev == nil || prev.APIVersion != c.version
	if !full && len(prev.Articles) == 0 && len(prev.Collections) == 0 {
		full = true
	}
	if prev == nil {
		prev = &content.Site{}
	}

	var (
		helpCenters []content.HelpCenter
		cols, secs  []content.Collection
		articles    []content.Article
	)
	refused := &refusals{}
	colWatermark, articleWatermark := time.Time{}, time.Time{}
	if !full {
		colWatermark = newest(prev.Collections, func(c *content.Collection) time.Time { return c.UpdatedAt })
		articleWatermark = newest(prev.Articles, func(a *content.Article) time.Time { return a.UpdatedAt })
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		helpCenters, err = listAll(gctx, c, "/help_center/help_centers", (*apiHelpCenter).content, refused)
		return err
	})
	g.Go(func() (err error) {
		cols, err = c.list(gctx, "/help_center/collections", colWatermark, refused)
		return err
	})
	if c.hasSections() {
		g.Go(func() (err error) {
			secs, err = c.list(gctx, "/help_center/sections", colWatermark, refused)
			return err
		})
	}
	g.Go(func() (err error) {
		if full {
			articles, err = listAll(gctx, c, "/articles", (*apiArticle).content, refused)
		} else {
			articles, err = listSince(gctx, c, "/articles", articleWatermark, (*apiArticle).content, articleUpdated, refused)
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}

	next := &content.Site{APIVersion: c.version, HelpCenters: helpCenters}
	fetchedCols := dedupe(append(cols, secs...), collectionID)
	fetchedArticles := dedupe(articles, articleID)
	if full {
		next.Collections, next.Articles = fetchedCols, fetchedArticles
		if err := c.confirmMissing(ctx, prev, next, refused); err != nil {
			return nil, nil, err
		}
	} else {
		next.Collections = merge(prev.Collections, fetchedCols, collectionID)
		next.Articles = merge(prev.Articles, fetchedArticles, articleID)
	}
	inheritHelpCenters(next.Collections)
	if opts.HelpCenterID != "" {
		if err := keepHelpCenter(next, opts.HelpCenterID); err != nil {
			return nil, nil, err
		}
	}
	refused.add(next.Clean()...)
	next.Refused = refused.list
	if !full {
		next.Refused = append(next.Refused, unseen(prev.Refused, fetchedCols, fetchedArticles)...)
	}
	next.Sort()
	// The API knows only current slugs: the snapshot keeps the former
	// ones, so that old URLs keep leading to their pages.
	next.TrackSlugs(prev)
	next.SyncedAt = time.Now().UTC().Truncate(time.Second)

	report := &Report{
		Full:        full,
		HelpCenters: diff(prev.HelpCenters, next.HelpCenters, helpCenterID, sameValue[content.HelpCenter]),
		Collections: diff(prev.Collections, next.Collections, collectionID, sameValue[content.Collection]),
		Articles:    diff(prev.Articles, next.Articles, articleID, sameArticle),
		Calls:       c.Calls() - start,
		Refused:     next.Refused,
	}
	return next, report, nil
}

// unseen returns the refusals of an earlier sync about items that a delta
// sync did not fetch again, and so still stand.
func unseen(refused []content.Skipped, cols []content.Collection, articles []content.Article) []content.Skipped {
	seen := map[string]bool{}
	for _, c := range cols {
		seen[c.ID] = true
	}
	for _, a := range articles {
		seen[a.ID] = true
	}
	var out []content.Skipped
	for _, r := range refused {
		if !seen[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// list fetches a collection-like list whole, or since a watermark.
func (c *Client) list(ctx context.Context, path string, since time.Time, refused *refusals) ([]content.Collection, error) {
	if since.IsZero() {
		return listAll(ctx, c, path, (*apiCollection).content, refused)
	}
	return listSince(ctx, c, path, since, (*apiCollection).content, func(c *content.Collection) time.Time { return c.UpdatedAt }, refused)
}

// confirmMissing asks for each object that a full listing no longer holds
// whether it is really gone: an object updated while the pages were being
// read can move from a page not yet read to one already read.
func (c *Client) confirmMissing(ctx context.Context, prev, next *content.Site, refused *refusals) error {
	paths := func(id string) []string { return []string{"/articles/" + id} }
	found, err := refetch(ctx, c, missing(prev.Articles, next.Articles, articleID), paths, (*apiArticle).content, refused)
	if err != nil {
		return err
	}
	next.Articles = append(next.Articles, found...)

	paths = func(id string) []string {
		if c.hasSections() {
			return []string{"/help_center/collections/" + id, "/help_center/sections/" + id}
		}
		return []string{"/help_center/collections/" + id}
	}
	cols, err := refetch(ctx, c, missing(prev.Collections, next.Collections, collectionID), paths, (*apiCollection).content, refused)
	next.Collections = append(next.Collections, cols...)
	return err
}

// refetch gets each id from the first of its paths that has it, and leaves
// out ids that none has.
func refetch[A, C any](ctx context.Context, c *Client, ids []string, paths func(id string) []string, convert func(*A) (C, error), refused *refusals) ([]C, error) {
	var (
		mu    sync.Mutex
		found []C
	)
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error {
			for _, p := range paths(id) {
				var raw A
				err := c.get(gctx, p, nil, &raw)
				if IsNotFound(err) {
					continue
				}
				if err != nil {
					return fmt.Errorf("checking whether %s was deleted: %w", p, err)
				}
				v, err := convert(&raw)
				if err != nil {
					refused.add(content.Skipped{Kind: itemKind(path.Dir(p)), ID: id, Reason: "the API sent it malformed: " + err.Error()})
					return nil
				}
				mu.Lock()
				found = append(found, v)
				mu.Unlock()
				return nil
			}
			return nil
		})
	}
	err := g.Wait()
	return found, err
}

// keepHelpCenter drops every help center, collection and article parent
// that is not id's.
func keepHelpCenter(s *content.Site, id string) error {
	i := slices.IndexFunc(s.HelpCenters, func(h content.HelpCenter) bool { return h.ID == id })
	if i < 0 {
		return &HelpCenterNotFoundError{ID: id, Available: s.HelpCenters}
	}
	s.HelpCenters = []content.HelpCenter{s.HelpCenters[i]}
	s.Collections = slices.DeleteFunc(s.Collections, func(c content.Collection) bool { return c.HelpCenterID != id })
	kept := make(map[string]bool, len(s.Collections))
	for _, c := range s.Collections {
		kept[c.ID] = true
	}
	s.Articles = slices.DeleteFunc(s.Articles, func(a content.Article) bool {
		return !slices.ContainsFunc(a.ParentIDs, func(p string) bool { return kept[p] })
	})
	for i := range s.Articles {
		a := &s.Articles[i]
		a.ParentIDs = slices.DeleteFunc(slices.Clone(a.ParentIDs), func(p string) bool { return !kept[p] })
	}
	return nil
}

// dedupe drops repeated objects: a list read while it changes can hold an
// item twice.
func dedupe[T any](items []T, id func(*T) string) []T {
	seen := make(map[string]bool, len(items))
	return slices.DeleteFunc(items, func(v T) bool {
		k := id(&v)
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

// merge returns base with every object of changed put in place of the one
// with its id, or added.
func merge[T any](base, changed []T, id func(*T) string) []T {
	out := slices.Clone(base)
	index := make(map[string]int, len(out))
	for i := range out {
		index[id(&out[i])] = i
	}
	for _, c := range changed {
		if i, ok := index[id(&c)]; ok {
			out[i] = c
		} else {
			index[id(&c)] = len(out)
			out = append(out, c)
		}
	}
	return out
}

// missing lists the ids in old that are not in new.
func missing[T any](old, new []T, id func(*T) string) []string {
	have := make(map[string]bool, len(new))
	for i := range new {
		have[id(&new[i])] = true
	}
	var out []string
	for i := range old {
		if !have[id(&old[i])] {
			out = append(out, id(&old[i]))
		}
	}
	return out
}

func diff[T any](old, new []T, id func(*T) string, same func(a, b *T) bool) Diff {
	before := make(map[string]*T, len(old))
	for i := range old {
		before[id(&old[i])] = &old[i]
	}
	var d Diff
	for i := range new {
		n := &new[i]
		o, ok := before[id(n)]
		switch {
		case !ok:
			d.Added = append(d.Added, id(n))
		case !same(o, n):
			d.Updated = append(d.Updated, id(n))
		}
		delete(before, id(n))
	}
	d.Removed = slices.Sorted(maps.Keys(before))
	return d
}

func sameValue[T any](a, b *T) bool { return reflect.DeepEqual(a, b) }

// sameArticle compares articles by what Intercom stamps on a change: the
// parents and each locale's state and updated_at. Bodies are not compared,
// since their image URLs carry signatures that change on every fetch.
func sameArticle(a, b *content.Article) bool {
	if !slices.Equal(a.ParentIDs, b.ParentIDs) || !a.UpdatedAt.Equal(b.UpdatedAt) || len(a.Translations) != len(b.Translations) {
		return false
	}
	for locale, ta := range a.Translations {
		tb, ok := b.Translations[locale]
		if !ok || ta.State != tb.State || !ta.UpdatedAt.Equal(tb.UpdatedAt) {
			return false
		}
	}
	return true
}

func newest[T any](items []T, updated func(*T) time.Time) time.Time {
	var max time.Time
	for i := range items {
		if t := updated(&items[i]); t.After(max) {
			max = t
		}
	}
	return max
}

func articleID(a *content.Article) string         { return a.ID }
func articleUpdated(a *content.Article) time.Time { return a.UpdatedAt }
func collectionID(c *content.Collection) string   { return c.ID }
func helpCenterID(h *content.HelpCenter) string   { return h.ID }
