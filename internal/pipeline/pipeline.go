// Package pipeline runs helpsite's stages after the snapshot — render the
// pages, write the static search indexes, publish atomically — the same way
// for the command line and for the server.
package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/publish"
	"github.com/helpsite/helpsite/render"
	"github.com/helpsite/helpsite/search"
)

// SearchDir is where in a built site the static search files live.
const SearchDir = "search"

// Pipeline renders and publishes sites. It keeps a render.Renderer and a
// search.StaticIndexer, so a long-lived process rebuilds faster after a
// change. It is not safe for concurrent use.
type Pipeline struct {
	opts     render.Options
	renderer *render.Renderer
	static   search.StaticIndexer
	log      *slog.Logger
}

// New returns a Pipeline that renders with opts.
func New(opts render.Options) (*Pipeline, error) {
	opts.StaticSearch = true
	r, err := render.New(opts)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Pipeline{opts: opts, renderer: r, log: log}, nil
}

// Plan works out the plan of site, which the other methods take: a
// long-lived process makes it once per version of its site.
func (p *Pipeline) Plan(site *content.Site) (*render.Plan, error) {
	return p.renderer.Plan(site)
}

// SearchOptions are the search options that agree with the URLs and
// breadcrumbs of plan's pages.
func (p *Pipeline) SearchOptions(plan *render.Plan) search.Options {
	url := plan.ArticleURL
	if p.opts.Relative {
		// A bundle's index names pages from its root, for the pages to
		// resolve against their data-root.
		url = func(a *content.Article, locale string) string {
			return render.BundlePath(plan.ArticleURL(a, locale))
		}
	}
	opts := search.Options{URL: url, Breadcrumb: plan.Breadcrumb, Logger: p.log}
	if p.opts.Progress != nil {
		opts.Progress = func(done, total int) { p.opts.Progress("search documents", done, total) }
	}
	return opts
}

// Publish builds site into a staging directory beside out and, only if
// every stage succeeds, swaps it in at out. A failed build leaves out as
// it was.
func (p *Pipeline) Publish(ctx context.Context, site *content.Site, out string) (*render.Result, error) {
	staged, err := publish.Stage(out)
	if err != nil {
		return nil, err
	}
	plan, err := p.Plan(site)
	if err != nil {
		return nil, err
	}
	res, err := p.Build(ctx, plan, staged, nil)
	if err != nil {
		publish.Discard(staged)
		return nil, fmt.Errorf("%w (the site in %s is unchanged)", err, out)
	}
	if err := publish.Swap(staged, out); err != nil {
		publish.Discard(staged)
		return nil, err
	}
	return res, nil
}

// Build renders the site of plan and its static search indexes into dir,
// which must be empty, with redirects for the retired pages (nil for none).
func (p *Pipeline) Build(ctx context.Context, plan *render.Plan, dir string, retired Retired) (*render.Result, error) {
	res, err := p.renderer.Build(ctx, plan, dir)
	if err != nil {
		return nil, err
	}
	return res, p.finish(ctx, plan, dir, retired, nil)
}

// Update renders the changes to the site of plan since the last Build or
// Update into staged, which must be empty: with a Live renderer, the pages
// they touch and the redirect files; Result.Removed lists what live no
// longer has, and publish.Apply makes live the new site. The static search
// indexes are left to WriteStaticSearch, for the pages to go live first.
// When Result.Full, staged holds the whole site instead, as Build makes
// it. live is only read.
func (p *Pipeline) Update(ctx context.Context, plan *render.Plan, live, staged string, retired Retired) (*render.Result, error) {
	res, err := p.renderer.Update(ctx, plan, staged, live)
	if err != nil {
		return nil, err
	}
	locales := []string{}
	if res.Full {
		locales = nil
	}
	return res, p.finish(ctx, plan, staged, retired, locales)
}

// WriteStaticSearch writes the static search indexes of locales of the
// site of plan into the search directory of dir.
func (p *Pipeline) WriteStaticSearch(ctx context.Context, plan *render.Plan, dir string, locales []string) error {
	if err := p.static.WriteFiles(ctx, filepath.Join(dir, SearchDir), plan.Site(), locales, p.SearchOptions(plan)); err != nil {
		return fmt.Errorf("writing the static search index: %w", err)
	}
	return nil
}

// StageStaticSearch writes into the search directory of staged, empty
// before, what changes in the static search indexes of locales of the site
// of plan from those of the live site (see search.StaticIndexer.WriteChanges),
// and returns the slash paths below staged's root of the live files to
// remove when staged is applied: stale chunks with their precompressed
// copies.
func (p *Pipeline) StageStaticSearch(ctx context.Context, plan *render.Plan, staged, live string, locales []string) ([]string, error) {
	names, err := p.static.WriteChanges(ctx, filepath.Join(staged, SearchDir), filepath.Join(live, SearchDir), plan.Site(), locales, p.SearchOptions(plan))
	if err != nil {
		return nil, fmt.Errorf("writing the static search index: %w", err)
	}
	var stale []string
	for _, name := range names {
		stale = append(stale, SearchDir+"/"+name, SearchDir+"/"+name+".gz")
	}
	return stale, nil
}

// finish writes the static search indexes of locales (all if nil, none if
// empty) and the redirects for the retired pages into dir, where the
// renderer wrote.
func (p *Pipeline) finish(ctx context.Context, plan *render.Plan, dir string, retired Retired, locales []string) error {
	if locales == nil || len(locales) > 0 {
		if err := p.WriteStaticSearch(ctx, plan, dir, locales); err != nil {
			return err
		}
	}
	if err := retired.appendRedirects(dir, plan); err != nil {
		return fmt.Errorf("writing redirects for retired pages: %w", err)
	}
	return nil
}

// ChangedLocales returns the locales whose static search index changes
// from old to next with the articles ids: those of the translations that
// differ, and all of an article's when it moves.
func ChangedLocales(old, next *content.Site, ids []string) []string {
	locales := []string{}
	add := func(l string) {
		if !slices.Contains(locales, l) {
			locales = append(locales, l)
		}
	}
	for _, id := range ids {
		a, b := old.Article(id), next.Article(id)
		if a == nil || b == nil || !slices.Equal(a.ParentIDs, b.ParentIDs) {
			for _, x := range []*content.Article{a, b} {
				if x != nil {
					for l := range x.Translations {
						add(l)
					}
				}
			}
			continue
		}
		for l, t := range a.Translations {
			if t != b.Translations[l] {
				add(l)
			}
		}
		for l := range b.Translations {
			if _, ok := a.Translations[l]; !ok {
				add(l)
			}
		}
	}
	slices.Sort(locales)
	return locales
}
