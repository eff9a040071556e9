// Package render turns a snapshot of a Help Center into a static help site:
// a page per published article and collection in every published locale,
// home, search and 404 pages, redirects from every URL Intercom used, and
// sitemaps, built with Hugo as a library.
//
// Build writes the snapshot as a Hugo content tree into a working
// directory, next to the theme embedded in the binary (packages templates
// and static) and the user's layout overrides, and runs Hugo in-process to
// publish into the output directory. Only this package imports Hugo.
//
// Page URLs are Intercom's: /{locale}/articles/{id}-{slug}/ and
// /{locale}/collections/{id}-{slug}/, the locale as Intercom writes it
// ("pt-BR", see URLLocale) and the slug as Intercom makes it (package
// internal/slug). The bare /{locale}/articles/{id}/, the slug of the title,
// every former slug the snapshot records and the URLs of pages no longer
// published have redirect pages (aliases.go), / leads to the default
// locale, and the files _redirects and redirects.map list the same
// redirects, Intercom's own URLs and the lower-case spelling of locales
// for servers.
//
// The content tree has a bundle per page, named by its id
// (content/{locale}/articles/{id}/index.html), and gives the templates what
// they need as front matter (JSON): title, description, dates, url,
// translationKey (which links the translations of a page), and under params
// the id, the author, the table of contents, the paths that redirect to
// the page, its translations, and the pages around it (breadcrumbs, child
// collections, articles, related, prev and next) with the titles, URLs and
// descriptions the page shows: pages do not read one another (see
// pageLink), so any set of pages renders alike on its own. Hugo renders
// the site in shards, a Hugo project of a few thousand pages at a time
// (see shard), so that memory holds one shard's pages.
//
// A Live Renderer keeps the project, not Hugo, between builds, with a
// record of what each page was made of (dirty.go): Update makes the
// content files only of the pages a change may touch and renders those
// that differ, as a small site of their own, so that its cost follows the
// size of the change. A user's layouts directory can
// override any theme file: layouts/_default/baseof.html, the page layouts
// (index.html, articles/single.html, collections/single.html,
// _default/search.html, 404.html) and the partials in layouts/partials.
package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/spf13/afero"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/csp"
)

// Options say how to render a site. Only BaseURL is required.
type Options struct {
	// BaseURL is where the site is served, like "https://help.example.com/".
	BaseURL string
	// Title is the site's name in the header and page titles; by default
	// the help center's display name.
	Title string
	// LogoFile is a local image file shown in the header; it is copied to
	// the site. LogoURL is used instead when LogoFile is empty.
	LogoFile, LogoURL string
	// Colors are the theme's colours as #rrggbb; empty keeps the theme's.
	Colors Colors
	// DefaultLocale is where / leads; by default the locale most articles
	// are written in.
	DefaultLocale string
	// Locales limits the published locales that get pages; empty means all.
	Locales []string
	// LayoutsDir is a directory of Hugo layouts that override the theme's
	// files of the same name.
	LayoutsDir string
	// IntercomHosts are the hosts of the help center on Intercom
	// ("intercom.help/acme", a custom domain): links in articles to pages
	// there are rewritten to the local pages.
	IntercomHosts []string
	// FooterLinks are shown in every page's footer, in order.
	FooterLinks []Link
	// Images downloads article images so the site serves local copies.
	// Nil leaves images pointing at Intercom.
	Images ImageStore
	// Reread reads an article again from the API when the signed URLs of
	// its images have expired, for fresh ones to download. Nil (a build
	// from a snapshot alone) shows only the images downloaded or cached.
	Reread ArticleReader
	// Authors maps an author id to the name shown on articles.
	Authors map[string]string
	// SearchAPI is the path of the search API (search.Handler) that serves
	// the site, like "/api/search". Pages search through it, or, when it is
	// empty or does not answer, in the static search index.
	SearchAPI string
	// StaticSearch says the site will have the static search index in
	// search/ (package pipeline writes it; render writes no search file):
	// the search results page preloads its engine and the locale's
	// manifest, unless the site has a SearchAPI.
	StaticSearch bool
	// Messenger adds Intercom's Messenger launcher to every page, loaded
	// once the page is interactive, unless AppID is empty or the site is
	// Relative.
	Messenger Messenger
	// FeedbackEndpoint is where article pages send reactions ("Did this
	// answer your question?"): a URL or a root-relative path, like
	// "/api/feedback". Empty leaves the widget out; Relative sites never
	// have it.
	FeedbackEndpoint string
	// HeadHTMLFile is a file of HTML that every page has in its <head>, as
	// it is: trusted input (analytics, verification tags). Relative sites
	// leave it out, as they load nothing from elsewhere.
	HeadHTMLFile string
	// CSPExtra are sources the pages' Content-Security-Policy allows
	// besides the site's own, for what HeadHTMLFile loads.
	CSPExtra csp.Extra
	// Relative asks for a site that works from file:// (offline bundles):
	// every link relative and naming index.html, no link to BaseURL, no
	// request outside the site (videos become links, images that are not
	// local their alt text), a root page listing the locales, a printable
	// page per collection, and the snapshot's time on every page. It has
	// no redirects, sitemaps, robots.txt or 404 page.
	Relative bool
	// Live keeps the Hugo project and what was rewritten of articles
	// between the builds of a Renderer, for Update to render only what
	// changed: for a long-lived process.
	Live bool
	// WorkDir, if set, is a directory of the Renderer's own where it keeps
	// the Hugo project (the content files of every page), rather than in
	// memory: a long-lived process's memory then holds no copy of the
	// site's pages. New empties it.
	WorkDir string
	// Logger receives warnings and progress; by default slog.Default().
	Logger *slog.Logger
	// Progress, if set, is called as the stages of a build advance, one
	// call at a time, with done growing within a stage.
	Progress func(stage string, done, total int)
}

// Messenger is Intercom's Messenger on every page.
type Messenger struct {
	// AppID is the Intercom workspace's app id; empty turns it off.
	AppID string
	// Region is where the workspace is hosted: "us" (or empty), "eu", "au".
	Region string
}

// Link is a link of the footer; URL is an absolute URL or a root-relative
// path on the site.
type Link struct {
	Title, URL string
}

// Colors are the theme's main colours.
type Colors struct {
	// Primary is the header's and buttons' colour; Accent that of links
	// and focus rings.
	Primary, Accent string
}

func (o *Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

func (o *Options) progress(stage string, done, total int) {
	if o.Progress != nil {
		o.Progress(stage, done, total)
	}
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Result tells what a build made.
type Result struct {
	// Pages counts the pages written per locale: home, collections,
	// articles, search and 404.
	Pages map[string]int
	// Warnings are problems that did not stop the build: links to missing
	// or unpublished pages, images that could not be fetched.
	Warnings []Warning
	// Skipped are the articles, translations and collections left out of
	// the site because they could not be rendered safely: a bad id or
	// locale, or a page that failed to render. The rest of the site is
	// built without them.
	Skipped []Skipped
	// Images is the number of images written.
	Images int
	// LostImages is the number of images (distinct URLs) that pages show
	// nowhere because they could not be downloaded, even from a fresh
	// URL, and no copy was cached: each has a WarnImageLost warning on
	// every page that shows it. Images refused by the download policy are
	// warned about (WarnImage) but not counted.
	LostImages int
	// Rewritten counts the article bodies sanitized and rewritten: all in
	// a full build, those that changed or link to what changed in an
	// Update of a Live Renderer.
	Rewritten int
	// Prepared counts the article pages whose front matter was made: all
	// in a full build; in an Update of a Live Renderer those a change may
	// touch (see dirtyArticles), the others being as the last build made
	// them.
	Prepared int
	// Written counts the files Hugo wrote: every page in a full build,
	// those the changes touched in a partial Update.
	Written int
	// Full says the output holds the whole site. After a partial Update
	// it holds only the files that changed, and Removed lists the files
	// and directories of the live site, slash paths, that are gone.
	Full    bool
	Removed []string
	// Durations of the stages: "prepare" (articles and images), "hugo"
	// and "total".
	Durations map[string]time.Duration
}

// TotalPages is the number of pages in every locale.
func (r *Result) TotalPages() int {
	n := 0
	for _, c := range r.Pages {
		n += c
	}
	return n
}

// A Warning is a problem with one page.
type Warning struct {
	// Kind groups warnings for summaries: one of the Warn* constants.
	Kind    string
	Locale  string
	Article string // the article id, empty if the warning is not about one
	Message string
}

// The kinds of Warning.
const (
	// WarnLink is a link to a missing or unpublished page.
	WarnLink = "link"
	// WarnImage is an image that could not be fetched or was refused.
	WarnImage = "image"
	// WarnImageLost is an image that a page shows nowhere because every
	// attempt to fetch it failed and no earlier copy was kept.
	WarnImageLost = "image-lost"
	// WarnContent is content that was changed to be shown safely: a
	// missing alt text, a title cut short.
	WarnContent = "content"
	// WarnSkipped is an item left out of the site (see Result.Skipped).
	WarnSkipped = "skipped"
)

// Skipped is an item left out of a build.
type Skipped = content.Skipped

func (w Warning) String() string {
	if w.Article == "" {
		return w.Message
	}
	return fmt.Sprintf("article %s (%s): %s", w.Article, w.Locale, w.Message)
}

// A Renderer builds sites. It keeps the Hugo project it writes, in memory,
// between builds, so that a long-lived process rebuilding after a change
// rewrites only the content files that changed. A Renderer is not safe for
// concurrent builds.
type Renderer struct {
	opts Options
	// work holds the Hugo project: theme, layouts, content.
	work *tree
	// hugoConfig is the Hugo configuration of the last build, as JSON:
	// nil before the first and after a failed one, when an Update renders
	// the whole site.
	hugoConfig []byte
	// records are what the last build did for each page, if it succeeded
	// (see dirtyArticles), and what it found rewriting article bodies.
	records *pageRecords
	// last are the pages of the last build's output, with the last good
	// pages it kept of items it left out (see listRemoved).
	last siteOutputs
	// warnings is how many warnings the last build gave.
	warnings int
	// broken is the content that failed to render, left out of later
	// plans until it changes.
	broken map[pageKey]brokenPage
	// lastPlan is the last plan made, whose unchanged article pages the
	// next takes (newPlan); slugified are the slugs made of titles and
	// former slugs (memo).
	lastPlan  *Plan
	slugified memo[string, string]
	// redirectBuffers are the builds' (writeRedirects).
	redirectBuffers redirectBuffers
	// plans counts the plans made (Plan.seq); built is the seq of the
	// plan of the last build, whose records are records, 0 if none.
	plans, built uint64
	// redirectPaths are the URLs of redirects parsed (redirects).
	redirectPaths memo[string, redirectPath]
	// pagesPerSitemap is sitemapChunkURLs but in tests.
	pagesPerSitemap int
}

// workDir is where the Hugo project lies in Renderer.work.
const workDir = "/helpsite"

// New returns a Renderer.
func New(opts Options) (*Renderer, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("render: a base URL is required")
	}
	for _, c := range []string{opts.Colors.Primary, opts.Colors.Accent} {
		if c != "" && !hexColor.MatchString(c) {
			return nil, fmt.Errorf("render: colour %q is not #rrggbb", c)
		}
	}
	fsys := afero.NewMemMapFs()
	if opts.WorkDir != "" {
		if err := os.RemoveAll(opts.WorkDir); err != nil {
			return nil, fmt.Errorf("render: emptying the work directory: %w", err)
		}
		if err := os.MkdirAll(opts.WorkDir, 0o755); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		fsys = afero.NewBasePathFs(afero.NewOsFs(), opts.WorkDir)
	}
	return &Renderer{opts: opts, work: newTree(fsys, workDir), broken: map[pageKey]brokenPage{}, pagesPerSitemap: sitemapChunkURLs}, nil
}

// Close releases the memory the Renderer holds. It must not be used after.
func (r *Renderer) Close() error {
	r.work, r.hugoConfig, r.lastPlan, r.redirectBuffers = nil, nil, nil, redirectBuffers{}
	r.forget()
	return nil
}

// forget makes the next build render the whole site: after a failure, some
// changes may not have reached the output.
func (r *Renderer) forget() {
	r.hugoConfig = nil
	r.records, r.last, r.built = nil, siteOutputs{}, 0
}

// Plan works out the plan of site with the Renderer's options, for Build
// and Update to render. A long-lived process that needs a site's plan for
// more than rendering (URLs for search, redirects) makes it once here.
func (r *Renderer) Plan(site *content.Site) (*Plan, error) {
	last := r.lastPlan
	p, err := newPlan(site, r.opts, r.stillBroken(site), last)
	if p != nil {
		r.plans++
		p.renderer, p.seq = r, r.plans
		if last != nil && slices.Equal(last.locales, p.locales) && last.defaultLocale == p.defaultLocale {
			p.base = last.seq
		}
		r.lastPlan = p
	}
	return p, err
}

// Build renders site into outDir, which must be empty or not exist.
func Build(ctx context.Context, site *content.Site, outDir string, opts Options) (*Result, error) {
	r, err := New(opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	plan, err := r.Plan(site)
	if err != nil {
		return nil, err
	}
	return r.Build(ctx, plan, outDir)
}

// Build renders the site of plan, which r.Plan made, into outDir, which
// must be empty or not exist.
func (r *Renderer) Build(ctx context.Context, plan *Plan, outDir string) (*Result, error) {
	return r.build(ctx, plan, outDir, "")
}

// Update renders the changes to the site of plan, which r.Plan made, since
// this Renderer's last build. live is that build's output, with any
// Updates since applied; outDir must be empty or not exist. A Live
// Renderer renders only the pages whose content files the changes touch
// (see shard): outDir receives the files that differ from live, and
// Result.Removed lists what live has and the site no longer has. live
// applied those (see publish.Apply) is the site Build would make. Without
// Live, after a failed build, when Hugo's configuration changes (the
// locales, the title) or a layout override is added or removed, Update
// makes the whole site, as Build does, and says so in Result.Full. live is
// only read.
func (r *Renderer) Update(ctx context.Context, plan *Plan, outDir, live string) (*Result, error) {
	if live == "" || r.opts.Relative {
		return nil, errors.New("render: Update needs the live output, and Relative sites have none")
	}
	return r.build(ctx, plan, outDir, live)
}

// build renders plan, leaving out, one by one, the items whose pages fail
// to render (see ItemError). The plan loses those items.
func (r *Renderer) build(ctx context.Context, plan *Plan, outDir, live string) (*Result, error) {
	for excluded := 0; ; excluded++ {
		res, err := r.buildOnce(ctx, plan, outDir, live)
		if err == nil {
			if res.Full && live != "" && len(plan.excluded) > 0 {
				var kept []string
				if kept, err = keepLivePages(plan, live, outDir); err != nil {
					r.forget()
					return nil, err
				}
				for _, dir := range kept {
					r.last.dirs[dir] = true
				}
				r.last.otherDirs = append(r.last.otherDirs, kept...)
			}
			res.Skipped = plan.Skipped()
			return res, nil
		}
		ie := asItemError(plan, err)
		if ie == nil || excluded >= maxExcluded || ctx.Err() != nil {
			return nil, err
		}
		reason := "it failed to render: " + ie.Err.Error()
		r.opts.logger().Warn("render: leaving out a page that failed to render; fix it in Intercom and it is published again",
			"kind", ie.key.kind, "id", ie.key.id, "locale", ie.key.locale, "err", ie.Err)
		if h, ok := itemHash(plan.site, ie.key); ok {
			r.broken[ie.key] = brokenPage{hash: h, reason: reason}
		}
		plan.exclude(ie.key, reason)
		if err := emptyDir(outDir); err != nil {
			return nil, err
		}
	}
}

func (r *Renderer) buildOnce(ctx context.Context, plan *Plan, outDir, live string) (res *Result, err error) {
	if plan.renderer != r {
		return nil, errors.New("render: the plan was not made by this Renderer")
	}
	start := time.Now()
	outDir, err = filepath.Abs(outDir)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if err := checkEmpty(outDir); err != nil {
		return nil, err
	}
	// An Update renders the changes since the last build: after a failure,
	// which may leave some unrendered, the next renders the whole site.
	var records *pageRecords
	var b *build
	defer func() {
		if err != nil {
			r.forget()
			return
		}
		r.last = b.out
		r.warnings = len(res.Warnings)
		if r.opts.Live {
			r.records, r.built = records, plan.seq
		}
	}()
	if r.hugoConfig == nil {
		live = "" // the whole site is rendered anew
	}
	res = &Result{Pages: map[string]int{}, Durations: map[string]time.Duration{}, Full: live == ""}
	b = &build{opts: &r.opts, plan: plan, site: plan.site, tree: r.work, outDir: outDir, res: res, live: live, prev: &r.last,
		slugified: &r.slugified, redirectPaths: &r.redirectPaths, pagesPerSitemap: r.pagesPerSitemap,
		based: plan.base != 0 && plan.base == r.built, lastLLMs: r.last.llms, redirectBuffers: &r.redirectBuffers}
	res.Warnings = make([]Warning, 0, r.warnings)
	defer r.slugified.done()
	defer r.redirectPaths.done()
	b.policy = csp.Meta(b.policyExtras()...)
	if r.opts.Live {
		records = newPageRecords(plan.locales, r.records)
		b.records, b.prevRecords = records, r.records
	}
	b.carries = records.carries(r.records)
	b.out = newSiteOutputs(&r.last, b.carries)
	if err := b.prepare(ctx); err != nil {
		return nil, err
	}
	res.Durations["prepare"] = time.Since(start)
	hugoStart := time.Now()
	if err := b.runHugo(ctx, r); err != nil {
		return nil, err
	}
	res.Durations["hugo"] = time.Since(hugoStart)
	if err := b.finish(ctx); err != nil {
		return nil, err
	}
	res.Durations["total"] = time.Since(start)
	for _, w := range b.newWarnings {
		r.opts.logger().Warn("render", "locale", w.Locale, "article", w.Article, "warning", w.Message)
	}
	r.opts.logger().Info("render: built site", "pages", res.TotalPages(), "images", res.Images,
		"warnings", len(res.Warnings), "duration", res.Durations["total"].Round(time.Millisecond))
	return res, nil
}

// checkEmpty makes sure dir holds nothing a build could leave stale.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("render: output directory %s is not empty", dir)
	}
	return nil
}
