package render

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/afero"
	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/images"
	"github.com/helpsite/helpsite/internal/intercomurl"
	"github.com/helpsite/helpsite/static"
	"github.com/helpsite/helpsite/templates"
)

// The working directory of a build, as Hugo sees it.
const (
	// pageFile is the content file of a page: each page is a leaf bundle,
	// a directory of its own, which a shard takes or leaves whole.
	pageFile   = "index.html"
	themeName  = "helpsite"
	themeDir   = "themes/" + themeName
	contentDir = "content"
	logoDir    = "static"
)

// supportDirs are the directories of the project besides the content:
// every shard has them, but for the logo, which only the root shard publishes.
var supportDirs = []string{"layouts", "i18n", logoDir, themeDir}

// build is one run of Renderer.Build.
type build struct {
	opts   *Options
	plan   *Plan
	site   *content.Site
	outDir string
	res    *Result
	tree   *tree
	images map[string]images.Image // by URL
	// imageFailures say why each image URL that is not in images failed.
	imageFailures map[string]error
	// bodyImages are the image URLs of each article's body, by content
	// file, for the next build (rewriteEntry.imageURLs).
	bodyImages map[string][]string
	links      *intercomurl.Matcher
	// pages returns the site-relative URLs of the pages that root-relative
	// links in articles may name without an Intercom URL's shape
	// (sitePages), worked out once, when a body first has such a link.
	pages func() map[string]bool
	// slugified is the Renderer's memo of Slugify, redirectPaths of
	// parseRedirectPath.
	slugified     *memo[string, string]
	redirectPaths *memo[string, redirectPath]
	// pagesPerSitemap is the Renderer's (sitemapChunkURLs).
	pagesPerSitemap int
	// policy is the Content-Security-Policy of every page (metaPolicy).
	policy string
	// logo is the logo's URL on the site, if any.
	logo string
	// headHTML is Options.HeadHTMLFile's content (readHeadHTML).
	headHTML string
	// records are what this build did for the next, and prevRecords what
	// the last did, if the Renderer is Live (see dirtyArticles).
	records, prevRecords *pageRecords
	// changed are the article pages whose state differs from the last
	// build's, or that are new (dirtyArticles).
	changed map[*articlePage]bool
	// changedIDs are the ids of the articles with a changed or gone page
	// in some locale.
	changedIDs map[string]bool
	// moved are the ids of the pages whose URLs changed since the last
	// build (movedPages), nil if unknown.
	moved map[string]bool
	// rewritten counts the bodies rewritten.
	rewritten atomic.Int64
	// redirectBuffers are the Renderer's (writeRedirects).
	redirectBuffers *redirectBuffers
	// freshRedirects are the redirects of the article pages this build
	// made (addArticleRedirects).
	freshRedirects []redirectEntry
	// newWarnings are the warnings of this build to log (warn).
	newWarnings []Warning
	warnMu      sync.Mutex
	// removedMu guards res.Removed (remove).
	removedMu sync.Mutex
	// live is the output that a partial Update changes: the build writes
	// into outDir the files that differ from it and lists in res.Removed
	// what it no longer has. Empty for a full build.
	live string
	// out are the pages this build lays out, prev those of the last
	// (Renderer.last). carries says the build carries over what the last
	// build did (pageRecords.carries, carry); dropped are then the
	// directories of prev that it does not carry, which it may no longer
	// have.
	outputsMu sync.Mutex
	out       siteOutputs
	prev      *siteOutputs
	carries   bool
	dropped   []string
	// lastLLMs are the parts of the llms.txt files of the last build
	// (siteOutputs.llms).
	lastLLMs map[string][]string
	// based says the plan was compared with that of the last build
	// (Plan.base): its article pages' flags tell what changed since.
	based bool
	// retiringArticles are the articles with former slugs (retiring).
	retiringOnce     sync.Once
	retiringArticles []*content.Article
	// twins are the article pages whose Markdown twins may differ from
	// the last build's (writeMarkdownTwins).
	twins []*articlePage
}

// prepare writes the Hugo project: theme, the user's layouts, translations
// of UI strings and the content of every page.
func (b *build) prepare(ctx context.Context) error {
	b.tree.begin()
	if err := b.tree.writeFS(themeDir, templates.FS); err != nil {
		return fmt.Errorf("render: writing theme: %w", err)
	}
	if err := b.tree.writeFS(themeDir+"/assets", static.FS); err != nil {
		return fmt.Errorf("render: writing theme assets: %w", err)
	}
	if dir := b.opts.LayoutsDir; dir != "" {
		if err := b.tree.writeFS("layouts", os.DirFS(dir)); err != nil {
			return fmt.Errorf("render: reading layouts: %w", err)
		}
	}
	if err := b.writeI18nFallbacks(); err != nil {
		return err
	}
	if err := b.writeLogo(); err != nil {
		return err
	}
	if err := b.readHeadHTML(); err != nil {
		return err
	}
	if err := b.fetchImages(ctx); err != nil {
		return err
	}
	b.links = intercomurl.NewMatcher(b.intercomHosts())
	if err := b.writeContent(ctx); err != nil {
		return err
	}
	return b.tree.prune(append([]string{contentDir}, supportDirs...)...)
}

// writeI18nFallbacks gives every locale the theme does not translate the
// English strings, so that Hugo falls back to English rather than to the
// default locale.
func (b *build) writeI18nFallbacks() error {
	english, err := fs.ReadFile(templates.FS, "i18n/en.toml")
	if err != nil {
		return fmt.Errorf("render: theme: %w", err)
	}
	for _, l := range b.plan.locales {
		if _, err := fs.Stat(templates.FS, "i18n/"+l+".toml"); err == nil {
			continue
		}
		if err := b.tree.write("i18n/"+l+".toml", english); err != nil {
			return err
		}
	}
	return nil
}

// writeLogo copies Options.LogoFile into the site.
func (b *build) writeLogo() error {
	b.logo = b.opts.LogoURL
	if b.opts.LogoFile == "" {
		return nil
	}
	data, err := os.ReadFile(b.opts.LogoFile)
	if err != nil {
		return fmt.Errorf("render: logo: %w", err)
	}
	name := "logo" + strings.ToLower(filepath.Ext(b.opts.LogoFile))
	b.logo = "/" + name
	return b.tree.write(logoDir+"/"+name, data)
}

// intercomHosts are the places links to the help center can point at.
func (b *build) intercomHosts() []string {
	hosts := slices.Clone(b.opts.IntercomHosts)
	for _, hc := range b.site.HelpCenters {
		hosts = append(hosts, hc.URL, hc.CustomDomain)
	}
	return hosts
}

// siteTitle is Options.Title or the help center's name.
func (b *build) siteTitle() string {
	if b.opts.Title != "" {
		return b.opts.Title
	}
	for _, hc := range b.site.HelpCenters {
		if hc.WebsiteTurnedOn && hc.DisplayName != "" {
			return hc.DisplayName
		}
	}
	for _, hc := range b.site.HelpCenters {
		if hc.DisplayName != "" {
			return hc.DisplayName
		}
	}
	return "Help Center"
}

// frontMatter is the front matter of a content file, in Hugo's terms.
type frontMatter struct {
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Date        *time.Time `json:"date,omitempty"`
	Lastmod     *time.Time `json:"lastmod,omitempty"`
	// ExpiryDate is set only on list pages (branchDates).
	ExpiryDate *time.Time `json:"expiryDate,omitempty"`
	// URL is the page's root-relative URL, locale included, with a
	// trailing slash: Hugo would lowercase the locale it prefixes.
	URL            string          `json:"url,omitempty"`
	TranslationKey string          `json:"translationKey,omitempty"`
	Layout         string          `json:"layout,omitempty"`
	Build          *buildOptions   `json:"build,omitempty"`
	Sitemap        *sitemapOptions `json:"sitemap,omitempty"`
	Params         any             `json:"params,omitempty"`
}

// branchDates is the expiry date of list pages (_index files). Hugo gives a
// list page without dates its children's newest, which differ between
// shards. Nothing shows a list page's dates; an expiry date that never
// comes keeps Hugo from computing them.
var branchDates = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

type buildOptions struct {
	Render string `json:"render"`
	List   string `json:"list"`
}

type sitemapOptions struct {
	Disable bool `json:"disable"`
}

// Front matter describes the pages a page shows or links to as data
// (pageLink, collectionLink, translationLink), not as paths for
// site.GetPage: a page that reads another would need it in its shard.
// Render knows what each page shows; a change rewrites the content files
// that show it, and Hugo renders those (see shard).

// pageLink is a page as another page lists it; URL is root-relative.
type pageLink struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// collectionLink is a collection as a home card or a section of its
// parent's page shows it.
type collectionLink struct {
	pageLink
	ID       string     `json:"id"`
	Icon     string     `json:"icon,omitempty"`
	Count    int        `json:"count"`
	Articles []pageLink `json:"articles,omitempty"`
	// Nested says it has collections of its own.
	Nested bool `json:"nested,omitempty"`
}

// translationLink is a page in one locale, for the language switcher and
// hreflang links; Lang is Hugo's lower-case language key.
type translationLink struct {
	Lang   string `json:"lang"`
	Locale string `json:"locale"`
	URL    string `json:"url"`
}

// articleParams are an article page's own front matter fields.
type articleParams struct {
	ID     string `json:"id"`
	Author string `json:"author,omitempty"`
	// Breadcrumbs are the collections above the article, top first.
	Breadcrumbs []pageLink `json:"breadcrumbs,omitempty"`
	// Summarized says the description was made from the body, so the
	// page does not repeat it above the body.
	Summarized   bool              `json:"summarized,omitempty"`
	TOC          []tocEntry        `json:"toc,omitempty"`
	Related      []pageLink        `json:"related,omitempty"`
	Prev         *pageLink         `json:"prev,omitempty"`
	Next         *pageLink         `json:"next,omitempty"`
	Translations []translationLink `json:"translations,omitempty"`
	// Redirects are the root-relative URLs of the pages that redirect to
	// this one, which writeRedirectPages writes.
	Redirects []string `json:"redirects,omitempty"`
}

type tocEntry struct {
	Level int    `json:"level"`
	ID    string `json:"id"`
	Text  string `json:"text"`
}

type collectionParams struct {
	ID           string            `json:"id"`
	Icon         string            `json:"icon,omitempty"`
	Count        int               `json:"count"`
	Breadcrumbs  []pageLink        `json:"breadcrumbs,omitempty"`
	Collections  []collectionLink  `json:"collections,omitempty"`
	Articles     []pageLink        `json:"articles,omitempty"`
	Translations []translationLink `json:"translations,omitempty"`
	// Print is the collection's printable page, in Relative sites.
	Print string `json:"print,omitempty"`
	// Redirects are as an article's (articleParams).
	Redirects []string `json:"redirects,omitempty"`
}

// printParams are those of a collection's printable page: every article
// of the collection and those below it, in the order of its page.
type printParams struct {
	ID         string   `json:"id"`
	Collection string   `json:"collection"`
	Articles   []string `json:"articles"`
}

type homeParams struct {
	Collections  []collectionLink  `json:"collections,omitempty"`
	Articles     []pageLink        `json:"articles,omitempty"`
	Translations []translationLink `json:"translations,omitempty"`
}

// otherParams are those of the search page.
type otherParams struct {
	Translations []translationLink `json:"translations,omitempty"`
}

// relatedCount is how many related articles an article page lists.
const relatedCount = 5

// writeContent writes every page of every locale, or in an Update those
// that may have changed (changedJobs, dirtyArticles). It rewrites the
// article bodies first: lists on other pages show an article's
// description, which may come from its text.
func (b *build) writeContent(ctx context.Context) error {
	for _, l := range b.plan.locales {
		lp := b.plan.byLocale[l]
		b.res.Pages[l] = len(lp.articles) + len(lp.collections) + 3 // home, search, 404
		if b.opts.Relative {
			b.res.Pages[l] += len(lp.collections) - 1 // print pages, no 404
		}
	}
	var jobs []*articleJob
	var gone []string
	proportional := false
	if b.records != nil {
		b.records.hosts = strings.Join(b.intercomHosts(), "\n")
		b.records.images, b.records.imageFailures = b.images, errorMessages(b.imageFailures)
		proportional = b.tellsChanges()
	}
	if proportional {
		jobs, gone = b.changedJobs()
	} else {
		jobs = b.allJobs()
		if b.records != nil {
			gone = b.findPrev(jobs)
			b.moved = b.movedPages(b.prevRecords, jobs, gone)
		}
	}
	b.pages = sync.OnceValue(func() map[string]bool { return b.plan.sitePages(b.opts.Relative) })
	// A Rewriter per locale, since building one (its sanitizing policy)
	// costs more than rewriting an article.
	rewriters := map[string]*articlehtml.Rewriter{}
	for _, l := range b.plan.locales {
		rewriters[l] = articlehtml.New(articlehtml.Options{
			ResolveLink:  func(href string) (string, bool) { return b.resolveLink(l, href) },
			ResolveImage: b.imageResolver(),
			StripVideos:  b.opts.Relative,
		})
	}
	err := b.parallel(ctx, "articles", len(jobs), func(i int) (err error) {
		j := jobs[i]
		defer recoverItem(pageKey{"article", j.ap.article.ID, j.lp.locale}, &err)
		j.html, j.body, j.fresh = b.rewrite(rewriters[j.lp.locale], j.name, j.lp.locale, j.ap.text.Body, j.prev)
		j.ap.description = cmp.Or(j.ap.text.Description, j.body.summary)
		if b.carries {
			state := b.articleState(j.ap, j.body)
			j.changed = j.prev == nil || !state.equal(&j.prev.state)
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.res.Rewritten = int(b.rewritten.Load())
	var dirty map[string]bool
	if b.records != nil {
		dirty = b.dirtyArticles(b.prevRecords, jobs, gone)
		if proportional {
			jobs = b.addDirtyJobs(jobs, dirty)
		}
		b.indexBodies(jobs, gone)
	}
	b.articleWarnings(jobs, gone, proportional)
	// The pages to make: all, or in an Update those that may differ from
	// the last build's, whose others are carried over as they are.
	made := jobs
	if b.carries {
		made = nil
		for _, j := range jobs {
			if j.html != nil || j.prev == nil || dirty[j.name] {
				made = append(made, j)
			}
		}
		b.carry(made, gone)
	}
	// The locales' home and collection pages side by side: each goes over
	// every collection of its locale.
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, l := range b.plan.locales {
		g.Go(func() error { return b.writeLocalePages(b.plan.byLocale[l]) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	err = b.parallel(ctx, "content files", len(made), func(i int) (err error) {
		j := made[i]
		defer recoverItem(pageKey{"article", j.ap.article.ID, j.lp.locale}, &err)
		err = b.writeArticle(j.lp, j.ap, j.name, j.html, j.body)
		j.html = nil // written: memory holds the bodies not yet written only
		return err
	})
	b.res.Prepared = len(made)
	for _, j := range made {
		// A page made only for what it shows of others has the same twin.
		if !b.carries || j.fresh || j.changed || j.prev == nil {
			b.twins = append(b.twins, j.ap)
		}
	}
	return err
}

// allJobs returns a job for every article page.
func (b *build) allJobs() []*articleJob {
	n := 0
	for _, l := range b.plan.locales {
		n += len(b.plan.byLocale[l].articles)
	}
	// One allocation for the jobs, pointed to by index.
	all := make([]articleJob, 0, n)
	jobs := make([]*articleJob, 0, n)
	for _, l := range b.plan.locales {
		lp := b.plan.byLocale[l]
		for _, ap := range lp.articles {
			all = append(all, articleJob{lp: lp, ap: ap, name: ap.file})
			jobs = append(jobs, &all[len(all)-1])
		}
	}
	return jobs
}

// articleWarnings sets the warnings about the bodies and titles of the
// article pages of jobs, and forgets those of the pages gone; in a
// proportional Update (tellsChanges) the others' are the last build's. It
// lists them all in Result.Warnings, in the order of the plan.
func (b *build) articleWarnings(jobs []*articleJob, gone []string, proportional bool) {
	warnings, warned := map[string][]Warning{}, []string(nil)
	if proportional {
		warnings, warned = b.prev.warnings, b.prev.warned
		b.prev.warnings, b.prev.warned = nil, nil
	}
	// The jobs of any other build are all, in the plan's order.
	set := func(name string, ws []Warning) {
		_, had := warnings[name]
		switch {
		case !proportional:
			warnings[name] = ws
			warned = append(warned, name)
		case len(ws) > 0:
			warnings[name] = ws
			if !had {
				i, _ := slices.BinarySearchFunc(warned, name, b.comparePages)
				warned = slices.Insert(warned, i, name)
			}
		case had:
			delete(warnings, name)
			i, _ := slices.BinarySearchFunc(warned, name, b.comparePages)
			warned = slices.Delete(warned, i, i+1)
		}
	}
	if proportional {
		for _, name := range gone {
			set(name, nil)
		}
	}
	for _, j := range jobs {
		var ws []Warning
		imageWarnings, replaced := b.imageWarnings(j.name, j.lp.locale, j.ap.article.ID)
		for _, w := range j.body.warnings {
			if !replaced[w.Message] {
				ws = append(ws, Warning{Kind: warningKind(w.Kind), Locale: j.lp.locale, Article: j.ap.article.ID, Message: w.Message})
			}
		}
		ws = append(ws, imageWarnings...)
		if j.ap.text.Title != j.ap.raw.Title {
			ws = append(ws, Warning{Kind: WarnContent, Locale: j.lp.locale, Article: j.ap.article.ID,
				Message: fmt.Sprintf("the title has control characters or more than %d characters: it is shown cleaned and cut; shorten it in Intercom", maxTitle)})
		}
		if len(ws) > 0 || proportional {
			set(j.name, ws)
		}
		if j.fresh {
			b.newWarnings = append(b.newWarnings, ws...)
		}
	}
	b.out.warnings, b.out.warned = warnings, warned
	for _, name := range warned {
		b.res.Warnings = append(b.res.Warnings, warnings[name]...)
	}
}

// comparePages orders the content files of article pages as the plan
// does: by locale, then id.
func (b *build) comparePages(x, y string) int {
	xl, _, xid, _ := contentPage(x)
	yl, _, yid, _ := contentPage(y)
	return cmp.Or(cmp.Compare(slices.Index(b.plan.locales, xl), slices.Index(b.plan.locales, yl)), compareIDs(xid, yid))
}

// articleJob is the making of an article page's content file.
type articleJob struct {
	lp   *localePlan
	ap   *articlePage
	name string // the content file
	// prev is what the last build did for the page, if it is Live and
	// made it; changed says, in a build that carries over the last
	// (build.carries), that the page's state is not prev's.
	prev    *articleRecord
	changed bool
	html    []byte
	body    rewriteEntry
	fresh   bool // rewritten now, not taken from the last build's record
}

// parallel calls do for 0 to n-1 on every CPU, reporting progress as
// stage, and returns the first error. The workers take the next i from a
// counter: most calls in an Update find their work done already, and a
// channel would cost more than they do.
func (b *build) parallel(ctx context.Context, stage string, n int, do func(i int) error) error {
	errs := make([]error, n)
	var (
		next, finished atomic.Int64
		mu             sync.Mutex // reports progress
		reported       int64
		workers        sync.WaitGroup
	)
	b.opts.progress(stage, 0, n)
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				errs[i] = do(i)
				if done := finished.Add(1); done%100 == 0 {
					mu.Lock()
					if done > reported {
						reported = done
						b.opts.progress(stage, int(done), n)
					}
					mu.Unlock()
				}
			}
		})
	}
	workers.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	b.opts.progress(stage, n, n)
	return errors.Join(errs...)
}

// warn records w, to log too if it is fresh: a warning of a body taken from
// the cache was logged when the body was rewritten.
func (b *build) warn(w Warning, fresh bool) {
	b.warnMu.Lock()
	defer b.warnMu.Unlock()
	b.res.Warnings = append(b.res.Warnings, w)
	if fresh {
		b.newWarnings = append(b.newWarnings, w)
	}
}

// warningKind is the Kind of a Warning about an article body.
func warningKind(k articlehtml.WarningKind) string {
	switch k {
	case articlehtml.WarnLink:
		return WarnLink
	case articlehtml.WarnImage:
		return WarnImage
	}
	return WarnContent
}

// writeLocalePages writes a locale's home, search page, collections and
// the sections that hold articles and collections.
func (b *build) writeLocalePages(lp *localePlan) error {
	dir := contentDir + "/" + lp.locale
	home := homeParams{Collections: b.collectionCards(lp.top), Articles: b.articleLinks(lp.standalone),
		Translations: b.translations(b.plan.HomeURL)}
	search := otherParams{Translations: b.translations(searchURL)}
	pages := map[string]frontMatter{
		"_index.html":             {Title: b.siteTitle(), ExpiryDate: &branchDates, Params: home},
		"search/" + pageFile:      {Title: "Search", URL: searchURL(lp.locale), Layout: "search", Sitemap: &sitemapOptions{Disable: true}, Params: search},
		"articles/_index.html":    {Title: "Articles", ExpiryDate: &branchDates, Build: &buildOptions{Render: "never", List: "never"}},
		"collections/_index.html": {Title: "Collections", ExpiryDate: &branchDates, Build: &buildOptions{Render: "never", List: "never"}},
	}
	if b.opts.Relative {
		pages["print/_index.html"] = frontMatter{Title: "Print", ExpiryDate: &branchDates, Build: &buildOptions{Render: "never", List: "never"}}
	}
	// The clean pages as the last build made them, the others anew.
	clean := b.cleanCollections(lp)
	fresh := slices.DeleteFunc(slices.Clone(lp.collections), func(cp *collectionPage) bool { return clean[cp] })
	if len(clean) > 0 {
		replayed := slices.DeleteFunc(slices.Clone(lp.collections), func(cp *collectionPage) bool { return !clean[cp] })
		fresh = append(fresh, b.replayCollections(lp, replayed)...)
	}
	for _, cp := range fresh {
		var crumbs []pageLink
		if cp.parent != nil {
			crumbs = b.collectionLinks(cp.parent.ancestry())
		}
		id := cp.collection.ID
		aliases := b.collectionAliases(cp)
		var print string
		if b.opts.Relative {
			print = cp.printRef()
			pages[strings.TrimPrefix(print, "/")+"/"+pageFile] = frontMatter{
				Title:          cp.name,
				URL:            cp.printURL(),
				TranslationKey: "print-" + cp.collection.ID,
				Params: printParams{
					ID:         cp.collection.ID,
					Collection: cp.ref(),
					Articles:   articlePaths(cp.allArticles()),
				},
			}
		}
		fm := frontMatter{
			Title:          cp.name,
			URL:            cp.url(),
			Description:    cp.about,
			Lastmod:        latest(cp),
			TranslationKey: "collection-" + cp.collection.ID,
			Params: collectionParams{
				ID:          cp.collection.ID,
				Icon:        cp.collection.Icon,
				Count:       cp.count,
				Breadcrumbs: crumbs,
				Collections: b.collectionCards(cp.children),
				Articles:    b.articleLinks(cp.articles),
				Translations: b.translations(func(l string) string {
					if c := b.plan.byLocale[l].byCollection[id]; c != nil {
						return c.url()
					}
					return ""
				}),
				Print:     print,
				Redirects: aliases,
			},
		}
		name := contentFile(lp.locale, cp.source())
		redirects := b.addRedirectPages(name, lp.locale, cp.name, cp.url(), aliases)
		made, err := b.writePage(name, fm)
		if err != nil {
			return err
		}
		if rec := b.records.collection(cp); rec != nil {
			rec.made, rec.url, rec.redirects = made, cp.url(), redirects
		}
	}
	b.addRetiredRedirects(lp)
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		if _, err := b.writePage(dir+"/"+name, pages[name]); err != nil {
			return err
		}
	}
	// The home page has the URL Hugo gives it, not one of its front matter.
	b.addURLOutputs(dir+"/_index.html", b.plan.HomeURL(lp.locale))
	return nil
}

// latest returns when the newest article directly in cp was updated.
func latest(cp *collectionPage) *time.Time {
	var t time.Time
	for _, ap := range cp.articles {
		if ap.text.UpdatedAt.After(t) {
			t = ap.text.UpdatedAt
		}
	}
	return timePtr(t)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// writeArticle writes an article's page with its rewritten body: html, or
// if nil the body of the content file, which body, the entry of its last
// rewriting, says is the same.
func (b *build) writeArticle(lp *localePlan, ap *articlePage, name string, html []byte, body rewriteEntry) error {
	a, t := ap.article, ap.text
	params := articleParams{ID: a.ID, Author: b.opts.Authors[t.AuthorID], Summarized: t.Description == "",
		Translations: b.translations(func(l string) string {
			if x := b.plan.byLocale[l].byArticle[a.ID]; x != nil {
				return x.url()
			}
			return ""
		})}
	if cp := ap.collection; cp != nil {
		params.Breadcrumbs = b.collectionLinks(cp.ancestry())
		siblings := cp.articles
		i := slices.Index(siblings, ap)
		if i > 0 {
			params.Prev = b.articleLink(siblings[i-1])
		}
		if i+1 < len(siblings) {
			params.Next = b.articleLink(siblings[i+1])
		}
		for k := 1; k < len(siblings) && len(params.Related) < relatedCount; k++ {
			params.Related = append(params.Related, *b.articleLink(siblings[(i+k)%len(siblings)]))
		}
	}
	for _, h := range body.headings {
		params.TOC = append(params.TOC, tocEntry(h))
	}
	params.Redirects = b.articleAliases(ap)
	fm := frontMatter{
		Title:          t.Title,
		Description:    ap.description,
		Date:           timePtr(t.CreatedAt),
		Lastmod:        timePtr(t.UpdatedAt),
		URL:            ap.url(),
		TranslationKey: "article-" + a.ID,
		Params:         params,
	}
	redirects := b.addRedirectPages(name, lp.locale, t.Title, ap.url(), params.Redirects)
	b.addArticleRedirects(name, redirects, ap)
	var made uint64
	if b.records != nil {
		made = fm.key()
		b.records.record(name, &articleRecord{state: b.articleState(ap, body), made: made, url: ap.url(),
			redirects: redirects, llms: b.llmsLine("/"+URLLocale(lp.locale)+"/", ap), body: body})
		if html == nil { // the body is the file's
			if b.keepContentFile(name, fm.URL, made) {
				return nil
			}
			var err error
			if html, err = b.cachedBody(name); err != nil {
				return err
			}
		}
	}
	return b.writeContentFile(name, fm, html, made)
}

// cachedBody returns the body of the content file name.
func (b *build) cachedBody(name string) ([]byte, error) {
	data, err := afero.ReadFile(b.tree.fs, workDir+"/"+name)
	if err != nil {
		return nil, fmt.Errorf("render: reading the cached body of %s: %w", name, err)
	}
	_, html, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, fmt.Errorf("render: %s has no body", name)
	}
	return html, nil
}

// imageResolver returns the ResolveImage of articlehtml.Options. A
// Relative site shows no remote image, only local copies.
func (b *build) imageResolver() func(string) (articlehtml.Image, bool) {
	if b.opts.Images == nil && !b.opts.Relative {
		return nil
	}
	return b.resolveImage
}

// resolveLink maps a link in an article in locale to the local page it
// names: in the locale the link names, else the article's, else the
// default locale. A root-relative link that names no page of the site
// (nor an Intercom article or collection) is broken. Links elsewhere are
// kept.
func (b *build) resolveLink(locale, href string) (string, bool) {
	to, ok, _ := b.resolveLinkTarget(locale, href)
	return to, ok
}

// resolveLinkTarget is resolveLink, and says what the resolution depends
// on (see linkTarget).
func (b *build) resolveLinkTarget(locale, href string) (string, bool, linkTarget) {
	ref, ok := b.links.Parse(href)
	if !ok {
		if p, rootRelative := rootRelativePath(href); rootRelative {
			_, page := sitePageKey(p)
			return href, b.pages()[p], linkTarget{page: page}
		}
		return href, true, linkTarget{}
	}
	target := linkTarget{page: pageKey{id: ref.ID}}
	switch ref.Kind {
	case intercomurl.Article:
		target.page.kind = "article"
	case intercomurl.Collection:
		target.page.kind = "collection"
	}
	for _, l := range []string{b.localeNamed(ref.Locale), locale, b.plan.defaultLocale} {
		lp := b.plan.byLocale[l]
		if lp == nil {
			continue
		}
		switch ref.Kind {
		case intercomurl.Article:
			if ap := lp.byArticle[ref.ID]; ap != nil {
				return ap.url() + ref.Suffix(), true, target
			}
		case intercomurl.Collection:
			if cp := lp.byCollection[ref.ID]; cp != nil {
				return cp.url() + ref.Suffix(), true, target
			}
		}
	}
	return "", false, target
}

// localeNamed returns the published locale a URL segment names, or "".
func (b *build) localeNamed(segment string) string {
	for _, l := range b.plan.locales {
		if strings.EqualFold(l, segment) {
			return l
		}
	}
	return ""
}

// writePage writes the content file of a page without a body, and
// returns the key of its front matter, 0 if the Renderer is not Live. A
// Live Renderer leaves it as it is if the last build wrote the same front
// matter.
func (b *build) writePage(name string, fm frontMatter) (made uint64, err error) {
	if b.records != nil {
		if made = fm.key(); b.keepContentFile(name, fm.URL, made) {
			return made, nil
		}
	}
	return made, b.writeContentFile(name, fm, nil, made)
}

// replayCollections does again for the pages of cps, of lp, what the last
// build did, whose front matter is the same (cleanCollections), where the
// content file is as that build wrote it, and returns the others. It
// takes each lock once: a locale has hundreds of collections.
func (b *build) replayCollections(lp *localePlan, cps []*collectionPage) (rest []*collectionPage) {
	names := make([]string, len(cps))
	made := make([]uint64, len(cps))
	for i, cp := range cps {
		names[i], made[i] = contentFile(lp.locale, cp.source()), b.prevRecords.collection(cp).made
	}
	kept := b.tree.keepMade(names, made)
	b.outputsMu.Lock()
	defer b.outputsMu.Unlock()
	for i, cp := range cps {
		if !kept[i] {
			rest = append(rest, cp)
			continue
		}
		old := b.prevRecords.collection(cp)
		b.out.addURL(names[i], old.url)
		b.out.addRedirectPage(old.redirects)
		rec := b.records.collection(cp)
		rec.made, rec.url, rec.redirects, rec.llms = old.made, old.url, old.redirects, old.llms
	}
	return rest
}

// keepContentFile keeps the content file name of the page at url as it is,
// if it was made from front matter whose key is made (see tree.keepMade),
// and reports whether it did.
func (b *build) keepContentFile(name, url string, made uint64) bool {
	if !b.tree.keepMade([]string{name}, []uint64{made})[0] {
		return false
	}
	b.addURLOutputs(name, url)
	return true
}

// writeContentFile writes a content file: its front matter as JSON on one
// line, then body, escaped by escapeContent; made is the front matter's
// key, or 0.
func (b *build) writeContentFile(name string, fm frontMatter, body []byte, made uint64) error {
	head, err := json.Marshal(fm)
	if err != nil {
		return fmt.Errorf("render: %s: %w", name, err)
	}
	b.addURLOutputs(name, fm.URL)
	return b.tree.writeMade(name, slices.Concat(head, []byte("\n"), body), made)
}

// addURLOutputs records the output directory of the page at url, a
// root-relative URL, if it has one, made from the content file name.
func (b *build) addURLOutputs(name, url string) {
	b.outputsMu.Lock()
	defer b.outputsMu.Unlock()
	b.out.addURL(name, url)
}

// addURL is build.addURLOutputs, the build's outputsMu held.
func (o *siteOutputs) addURL(name, url string) {
	if url == "" {
		return
	}
	article := isArticleFile(name)
	o.addDirs(article, strings.Trim(url, "/"))
	o.urls[name] = url
	if !article {
		o.otherURLs = append(o.otherURLs, name)
	}
}

// searchURL is the root-relative URL of locale's search page.
func searchURL(locale string) string { return "/" + URLLocale(locale) + "/search/" }

// escapeContent escapes HTML for a content file: Hugo reads "{{<" and
// "{{%" as shortcodes, and an entity spells the same text.
func escapeContent(html string) []byte {
	return []byte(strings.ReplaceAll(html, "{{", "{&#123;"))
}

// summarize shortens text to a meta description, at a word boundary
// when there is one.
func summarize(text string) string {
	const limit = 160
	text = strings.Join(strings.Fields(text), " ")
	runes, cut := 0, 0
	for i, r := range text {
		if runes == limit-1 {
			if cut == 0 {
				cut = i
			}
			return text[:cut] + "…"
		}
		if r == ' ' {
			cut = i
		}
		runes++
	}
	return text
}

// articleLink is how other pages list ap.
func (b *build) articleLink(ap *articlePage) *pageLink {
	return &pageLink{Title: ap.text.Title, URL: ap.url(), Description: ap.description}
}

func (b *build) articleLinks(aps []*articlePage) []pageLink {
	links := make([]pageLink, len(aps))
	for i, ap := range aps {
		links[i] = *b.articleLink(ap)
	}
	return links
}

// collectionLinks are breadcrumbs.
func (b *build) collectionLinks(cps []*collectionPage) []pageLink {
	links := make([]pageLink, len(cps))
	for i, cp := range cps {
		links[i] = pageLink{Title: cp.name, URL: cp.url(), Description: cp.about}
	}
	return links
}

// collectionCards are the collections a home or collection page shows.
func (b *build) collectionCards(cps []*collectionPage) []collectionLink {
	cards := make([]collectionLink, len(cps))
	for i, cp := range cps {
		cards[i] = collectionLink{
			pageLink: pageLink{Title: cp.name, URL: cp.url(), Description: cp.about},
			ID:       cp.collection.ID, Icon: cp.collection.Icon, Count: cp.count,
			Articles: b.articleLinks(cp.articles), Nested: len(cp.children) > 0,
		}
	}
	return cards
}

// translations lists a page in every locale where path(locale) says it
// is, "" where it is not: the page itself included.
func (b *build) translations(path func(locale string) string) []translationLink {
	var links []translationLink
	for _, l := range b.plan.locales {
		if p := path(l); p != "" {
			links = append(links, translationLink{Lang: hugoLang(l), Locale: l, URL: p})
		}
	}
	return links
}

// articlePaths name pages for site.GetPage, in printable pages.
func articlePaths(aps []*articlePage) []string {
	paths := make([]string, len(aps))
	for i, ap := range aps {
		paths[i] = ap.ref()
	}
	return paths
}

// sitePath joins slash path elements below the output directory.
func (b *build) sitePath(elem ...string) string {
	return filepath.Join(b.outDir, filepath.FromSlash(path.Join(elem...)))
}
