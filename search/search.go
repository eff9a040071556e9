// Package search finds articles of a mirrored help center: a bleve index
// per locale behind a JSON API for a site served by helpsite's server, and a
// static index per locale with a small JavaScript engine for a site on a
// plain static host or opened from file://.
//
// Both are built from the same content model as the pages, hold only
// published translations, and analyze text with the same bleve analyzers:
// the language's stemming analyzer for matching, a plain one (lowercased,
// accent-folded, unstemmed) for typo-tolerant and prefix matching.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/publish"
)

// Options tell search what the rendered site looks like.
type Options struct {
	// URL returns the page URL of an article in a locale, as the renderer
	// writes it (/{locale}/articles/{id}-{slug}/). Required.
	URL func(a *content.Article, locale string) string
	// Breadcrumb returns the names of the collections above an article, top
	// first. By default they are those of the article's primary collection
	// and its ancestors.
	Breadcrumb func(a *content.Article, locale string) []string
	// Logger receives progress and problems; by default slog.Default().
	Logger *slog.Logger
	// Progress, if set, is told how many documents of the total a static
	// index build has analyzed or kept, as it goes.
	Progress func(done, total int)
}

func (o Options) check() error {
	if o.URL == nil {
		return errors.New("search: Options.URL is required")
	}
	return nil
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// An Index is the server-side search index of a site: one bleve index per
// locale in subdirectories of one directory. Its methods are safe for
// concurrent use.
type Index struct {
	dir  string
	opts Options

	mu      sync.RWMutex
	locales map[string]bleve.Index
}

// builderBatch is how many documents bleve's builder puts in a segment
// before it merges them.
const builderBatch = 1000

// validLocale matches the locale codes that may name a directory.
var validLocale = regexp.MustCompile(`^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$`)

// Build indexes the published articles of site into dir. It builds beside
// dir and swaps the result in only when every locale succeeded, so a failed
// build leaves the index that was there; close an Index open on dir first.
func Build(ctx context.Context, dir string, site *content.Site, opts Options) (*Index, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	staged, err := publish.Stage(dir)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Bleve's offline builder analyzes on one goroutine and writes one
	// merged segment per locale, which queries read fastest: build the
	// locales side by side.
	src := newSource(site, opts)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, locale := range site.PublishedLocales() {
		g.Go(func() error { return buildLocale(gctx, staged, src, locale) })
	}
	if err := g.Wait(); err != nil {
		publish.Discard(staged)
		return nil, err
	}
	if err := publish.Swap(staged, dir); err != nil {
		publish.Discard(staged)
		return nil, fmt.Errorf("search: %w", err)
	}
	return Open(dir, opts)
}

// buildLocale writes the index of one locale into staged/locale. Bleve's
// builder keeps its temporary files in staged too: they are gone with it
// if the build fails, and stay on the index's file system.
func buildLocale(ctx context.Context, staged string, src source, locale string) error {
	if !validLocale.MatchString(locale) {
		return fmt.Errorf("search: locale %q cannot be indexed", locale)
	}
	config := map[string]any{"batchSize": builderBatch, "buildPathPrefix": staged}
	b, err := bleve.NewBuilder(filepath.Join(staged, locale), indexMapping(languageOf(locale)), config)
	if err != nil {
		return fmt.Errorf("search: creating the %s index: %w", locale, err)
	}
	// On failure the builder is dropped, not closed: closing merges what
	// it holds.
	ids, docs := src.documents(locale)
	for i, id := range ids {
		if i%builderBatch == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := b.Index(id, docs[i]); err != nil {
			return fmt.Errorf("search: indexing article %s (%s): %w", id, locale, err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("search: writing the %s index: %w", locale, err)
	}
	src.opts.logger().Info("search index built", "locale", locale, "articles", len(ids))
	return nil
}

// create makes a new, empty bleve index for locale and adds it to ix.
func (ix *Index) create(locale string) (bleve.Index, error) {
	if !validLocale.MatchString(locale) {
		return nil, fmt.Errorf("search: locale %q cannot be indexed", locale)
	}
	idx, err := bleve.New(filepath.Join(ix.dir, locale), indexMapping(languageOf(locale)))
	if err != nil {
		return nil, fmt.Errorf("search: creating the %s index: %w", locale, err)
	}
	ix.mu.Lock()
	ix.locales[locale] = idx
	ix.mu.Unlock()
	return idx, nil
}

// Open opens the index Build wrote in dir.
func Open(dir string, opts Options) (*Index, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ix := &Index{dir: dir, opts: opts, locales: map[string]bleve.Index{}}
	for _, e := range entries {
		if !e.IsDir() || !validLocale.MatchString(e.Name()) {
			continue
		}
		idx, err := bleve.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			ix.Close()
			return nil, fmt.Errorf("search: opening the %s index: %w", e.Name(), err)
		}
		ix.locales[e.Name()] = idx
	}
	return ix, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var errs []error
	for _, idx := range ix.locales {
		errs = append(errs, idx.Close())
	}
	clear(ix.locales)
	return errors.Join(errs...)
}

// Locales returns the indexed locales, sorted.
func (ix *Index) Locales() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	locales := make([]string, 0, len(ix.locales))
	for l := range ix.locales {
		locales = append(locales, l)
	}
	slices.Sort(locales)
	return locales
}

// locale returns the bleve index of locale.
func (ix *Index) locale(locale string) (bleve.Index, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	idx, ok := ix.locales[locale]
	return idx, ok
}

// Update brings the index up to date with site for the articles whose ids
// are given: it indexes their published translations that changed and
// removes the others (drafts, deleted articles), one batch per locale. It
// returns the locales whose index changed, sorted and never nil: the static
// indexes to rewrite (see WriteStaticFiles). opts give the articles' URLs
// and breadcrumbs in the new site: a retitled or new article's differ from
// those the index was built with.
func (ix *Index) Update(ctx context.Context, site *content.Site, ids []string, opts Options) ([]string, error) {
	src := newSource(site, opts)
	locales := ix.Locales()
	for _, id := range ids {
		if a := site.Article(id); a != nil {
			for _, l := range a.PublishedLocales() {
				if !slices.Contains(locales, l) {
					locales = append(locales, l)
				}
			}
		}
	}
	changed := []string{}
	for _, locale := range locales {
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		n, err := ix.updateLocale(src, locale, ids)
		if err != nil {
			return changed, err
		}
		if n > 0 {
			changed = append(changed, locale)
		}
	}
	slices.Sort(changed)
	ix.opts.logger().Info("search index updated", "articles", len(ids), "locales", changed)
	return changed, nil
}

// updateLocale updates the index of one locale, creating it if needed, and
// returns how many documents it added, replaced or removed.
func (ix *Index) updateLocale(src source, locale string, ids []string) (int, error) {
	idx, ok := ix.locale(locale)
	if !ok {
		var err error
		if idx, err = ix.create(locale); err != nil {
			return 0, err
		}
	}
	b := idx.NewBatch()
	for _, id := range ids {
		old, err := storedHash(idx, id)
		if err != nil {
			return 0, fmt.Errorf("search: looking up article %s (%s): %w", id, locale, err)
		}
		var d document
		published := false
		if a := src.site.Article(id); a != nil {
			d, published = src.document(a, locale)
		}
		switch {
		case published && d.Hash != old:
			if err := b.Index(id, d); err != nil {
				return 0, fmt.Errorf("search: indexing article %s (%s): %w", id, locale, err)
			}
		case !published && old != "":
			b.Delete(id)
		}
	}
	if b.Size() == 0 {
		return 0, nil
	}
	if err := idx.Batch(b); err != nil {
		return 0, fmt.Errorf("search: updating %s: %w", locale, err)
	}
	return b.Size(), nil
}

// storedHash returns the Hash of the document stored under id, or "".
func storedHash(idx bleve.Index, id string) (string, error) {
	doc, err := idx.Document(id)
	if doc == nil || err != nil {
		return "", err
	}
	var hash string
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fieldHash {
			hash = string(f.Value())
		}
	})
	return hash, nil
}

// Field names. Title, headings and body have a *_plain twin analyzed
// without stemming, for fuzzy and prefix queries, in languages whose
// analyzer stems or drops stop words. The description is the body's first
// line: a separate field would weaken the title (see matchQuery).
// Breadcrumb, url and hash are only stored.
const (
	fieldTitle       = "title"
	fieldHeadings    = "headings"
	fieldBody        = "body"
	fieldBreadcrumb  = "breadcrumb"
	fieldURL         = "url"
	fieldCollections = "collections"
	fieldHash        = "hash"
	plainSuffix      = "_plain"
)

// indexMapping returns the bleve mapping of a locale's index. Only what
// results show is stored; term vectors are kept where snippets come from.
// Nothing is in the _all field and nothing has doc values: neither is used.
func indexMapping(lang language) *mapping.IndexMappingImpl {
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []struct {
		name           string
		store, vectors bool
	}{
		{fieldTitle, true, false},
		{fieldHeadings, false, false},
		{fieldBody, true, true},
	} {
		fields := []*mapping.FieldMapping{text(lang.analyzer, f.store, f.vectors)}
		if lang.hasPlainFields() {
			plain := text(lang.plain, false, f.vectors)
			plain.Name = f.name + plainSuffix
			fields = append(fields, plain)
		}
		doc.AddFieldMappingsAt(f.name, fields...)
	}
	for _, name := range []string{fieldBreadcrumb, fieldURL, fieldHash} {
		stored := text(keyword.Name, true, false)
		stored.Index = false
		doc.AddFieldMappingsAt(name, stored)
	}
	doc.AddFieldMappingsAt(fieldCollections, text(keyword.Name, false, false))

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = lang.analyzer
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}
