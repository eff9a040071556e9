package render

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
)

// A Plan is the shape of the site Build renders from a snapshot: which
// locales are published, which articles and collections appear in each, at
// which URL, under which collection. It holds only published content: a
// draft, a draft translation and a collection without a published article
// below it in a locale are not in that locale's plan.
//
// The search index uses a Plan so that its results agree with the pages.
type Plan struct {
	site          *content.Site
	renderer      *Renderer // that made it, if one did
	defaultLocale string
	// locales are the published locales, the default first, then sorted.
	locales  []string
	byLocale map[string]*localePlan
	// skipped are the items left out: malformed ids and locales, and the
	// pages excluded after they failed to render.
	skipped []Skipped
	skipMu  sync.Mutex // guards skipped while locales are planned
	// excluded are the pages left out of the plan because they failed to
	// render (see Renderer.broken).
	excluded map[pageKey]bool
	// seq numbers the plans of a Renderer; base is the seq of the plan
	// the article pages were compared with (articlePage.same,
	// localePlan.changed, localePlan.gone), 0 if none.
	seq, base uint64
}

// pageKey names an article's or a collection's pages in one locale.
type pageKey struct {
	kind   string // "article" or "collection"
	id     string
	locale string
}

// localePlan is the part of a Plan in one locale.
type localePlan struct {
	locale string
	// articles are the published articles in ID order.
	articles  []*articlePage
	byArticle map[string]*articlePage
	// collections are the visible collections in ID order.
	collections  []*collectionPage
	byCollection map[string]*collectionPage
	// top are the visible top-level collections in display order.
	top []*collectionPage
	// standalone are the published articles in no collection.
	standalone []*articlePage
	// changed are the article pages that are not the same as in the
	// plan's base (articlePage.same), and gone the content files of the
	// base's article pages this plan has not; both nil without a base.
	changed []*articlePage
	gone    []string
}

// articlePage is an article as published in one locale.
type articlePage struct {
	article *content.Article
	locale  string
	*articleText
	// collection is the primary collection, nil for a standalone article.
	collection *collectionPage
	// description is as lists show it: the translation's, or a summary of
	// its text, which a build sets once it has rewritten the body.
	description string
	// formerSlugs are the article's in the locale.
	formerSlugs []string
	// same says the page is made of the same translation, collections and
	// former slugs as in the plan's base: its state (articleState) is
	// that page's, and so is its description.
	same bool
}

// articleText is what an article page is made of its translation alone
// (and its slug, which may come from another): made once, and shared by
// the plans that follow while the translation stays the same.
type articleText struct {
	// raw is the translation, text the same cleaned for the page.
	raw, text content.Translation
	slug      string
	// ownSlug says slug is made from raw, not another translation.
	ownSlug bool
	// intercomPath is the path of its URL on Intercom (redirects).
	intercomPath redirectPath
	href         string // the page's URL below the site
	file         string // its content file
}

// collectionPage is a collection as shown in one locale.
type collectionPage struct {
	collection *content.Collection
	locale     string
	// inputs are what name, about and slug are made of.
	inputs      collectionInputs
	name, about string
	slug        string
	href        string // the page's URL below the site
	parent      *collectionPage
	children    []*collectionPage // visible, in display order
	articles    []*articlePage    // directly inside, in display order
	// count is the number of distinct articles in the subtree.
	count int
}

// NewPlan works out the plan of site for the published locales opts
// selects (opts.Locales, or all) and the default locale (opts.DefaultLocale,
// or the one most articles are written in).
func NewPlan(site *content.Site, opts Options) (*Plan, error) {
	return newPlan(site, opts, nil, nil)
}

// newPlan is NewPlan leaving out the excluded pages, with the reasons
// given. The article pages of last, an earlier plan if not nil, whose
// translations did not change are taken as they were: cleaning their
// text and making their slugs is most of the cost of a plan, which a
// long-lived process makes for every change.
func newPlan(site *content.Site, opts Options, excluded map[pageKey]string, last *Plan) (*Plan, error) {
	p := &Plan{site: site, byLocale: map[string]*localePlan{}, excluded: map[pageKey]bool{}}
	for k, reason := range excluded {
		p.excluded[k] = true
		p.skip(k.kind, k.id, k.locale, reason)
	}
	var published []string
	for _, l := range site.PublishedLocales() {
		if content.ValidLocale(l) {
			published = append(published, l)
		}
	}
	if len(opts.Locales) == 0 {
		p.locales = slices.Clone(published)
	} else {
		for _, l := range opts.Locales {
			if slices.Contains(published, l) && !slices.Contains(p.locales, l) {
				p.locales = append(p.locales, l)
			}
		}
	}
	if len(p.locales) == 0 {
		return nil, fmt.Errorf("render: no published article in locales %v (published: %s)", opts.Locales, strings.Join(published, ", "))
	}
	p.defaultLocale = opts.DefaultLocale
	if p.defaultLocale == "" {
		p.defaultLocale = usualLocale(site, p.locales)
	}
	if !slices.Contains(p.locales, p.defaultLocale) {
		return nil, fmt.Errorf("render: default locale %q has no published article", p.defaultLocale)
	}
	slices.SortFunc(p.locales, func(a, b string) int {
		return cmp.Or(-cmpBool(a == p.defaultLocale, b == p.defaultLocale), strings.Compare(a, b))
	})
	// Locales are planned on every CPU: a plan is made for every change.
	plans := make([]*localePlan, len(p.locales))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, l := range p.locales {
		var lastLocale *localePlan
		if last != nil {
			lastLocale = last.byLocale[l]
		}
		g.Go(func() error { plans[i] = p.planLocale(l, lastLocale); return nil })
	}
	g.Wait()
	for i, l := range p.locales {
		p.byLocale[l] = plans[i]
	}
	slices.SortFunc(p.skipped, func(a, b Skipped) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), compareIDs(a.ID, b.ID), strings.Compare(a.Locale, b.Locale))
	})
	return p, nil
}

// skip records an item left out of the plan, once.
func (p *Plan) skip(kind, id, locale, reason string) {
	s := Skipped{Kind: kind, ID: id, Locale: locale, Reason: reason}
	p.skipMu.Lock()
	defer p.skipMu.Unlock()
	if !slices.Contains(p.skipped, s) {
		p.skipped = append(p.skipped, s)
	}
}

// Skipped returns the items the plan leaves out, with the reasons: those
// the snapshot refused (content.Site.Refused) and those the plan itself
// refused or excluded.
func (p *Plan) Skipped() []Skipped {
	return slices.Concat(p.site.Refused, p.skipped)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// usualLocale returns the locale among locales in which most articles are
// written by default.
func usualLocale(site *content.Site, locales []string) string {
	count := map[string]int{}
	for _, a := range site.Articles {
		count[a.DefaultLocale]++
	}
	best := slices.Sorted(slices.Values(locales))[0]
	for _, l := range locales {
		if count[l] > count[best] || count[l] == count[best] && l < best {
			best = l
		}
	}
	return best
}

// planLocale plans locale, taking the unchanged article pages of last, the
// same locale's in an earlier plan, if not nil (see newPlan).
func (p *Plan) planLocale(locale string, last *localePlan) *localePlan {
	lp := &localePlan{locale: locale, byCollection: map[string]*collectionPage{}}
	if last != nil {
		lp.articles = make([]*articlePage, 0, len(last.articles))
		lp.byArticle = make(map[string]*articlePage, len(last.byArticle))
	} else {
		lp.byArticle = map[string]*articlePage{}
	}
	var was []*articlePage  // the base's page of each of lp.articles it reused
	var pages []articlePage // about as many pages as last had, in one allocation
	if last != nil {
		was = make([]*articlePage, 0, len(last.articles))
		pages = make([]articlePage, 0, len(last.articles)+16)
	}
	found := 0 // articles the base has
	for i := range p.site.Articles {
		a := &p.site.Articles[i]
		t, ok := a.Translations[locale]
		if !ok || !t.Published() {
			continue
		}
		if !content.ValidID(a.ID) {
			p.skip("article", a.ID, "", "its id is not an Intercom id (1 to 20 digits)")
			continue
		}
		if p.excluded[pageKey{"article", a.ID, locale}] {
			continue
		}
		var ap *articlePage
		if len(pages) < cap(pages) {
			pages = pages[:len(pages)+1]
			ap = &pages[len(pages)-1]
		} else {
			ap = new(articlePage)
		}
		ap.article, ap.locale, ap.formerSlugs = a, locale, a.FormerSlugs[locale]
		w := last.article(a.ID)
		if w != nil {
			found++
		}
		if w != nil && w.raw == t && w.ownSlug {
			ap.articleText, ap.description = w.articleText, w.description
		} else {
			w = nil
			ap.articleText = &articleText{raw: t, text: t, intercomPath: parseRedirectPath(t.URL)}
			ap.text.Title, ap.text.Description = cleanTitle(t.Title), cleanText(t.Description, maxDescription)
			ap.slug, ap.ownSlug = p.articleSlug(a, locale)
			ap.href = pageURL(locale, ap.path())
			ap.file = contentFile(locale, ap.source())
		}
		lp.articles = append(lp.articles, ap)
		lp.byArticle[a.ID] = ap
		was = append(was, w)
	}
	// Every collection that holds a published article, and its ancestors,
	// is visible.
	for _, ap := range lp.articles {
		for i, id := range ap.article.ParentIDs {
			cp := p.visible(lp, id, last)
			if cp == nil {
				continue
			}
			cp.articles = append(cp.articles, ap)
			if i == 0 || ap.collection == nil {
				ap.collection = cp
			}
		}
		if ap.collection == nil {
			lp.standalone = append(lp.standalone, ap)
		}
	}
	for _, cp := range lp.byCollection {
		lp.collections = append(lp.collections, cp)
	}
	slices.SortFunc(lp.collections, func(a, b *collectionPage) int { return compareIDs(a.collection.ID, b.collection.ID) })
	for _, cp := range lp.collections {
		if cp.parent == nil {
			lp.top = append(lp.top, cp)
		} else {
			cp.parent.children = append(cp.parent.children, cp)
		}
	}
	countArticles(lp)
	if last != nil {
		lp.compare(last, was, found)
	}
	byOrder := func(a, b *collectionPage) int {
		return cmp.Or(cmp.Compare(a.collection.Order, b.collection.Order), compareIDs(a.collection.ID, b.collection.ID))
	}
	slices.SortFunc(lp.top, byOrder)
	for _, cp := range lp.collections {
		slices.SortFunc(cp.children, byOrder)
	}
	return lp
}

// compare sets what lp's article pages have of last, the same locale's
// in the plan's base: was are the pages of last that each reused, nil
// for those it did not, and found counts the articles last has.
func (lp *localePlan) compare(last *localePlan, was []*articlePage, found int) {
	for i, ap := range lp.articles {
		w := was[i]
		ap.same = w != nil && slices.Equal(ap.article.ParentIDs, w.article.ParentIDs) &&
			slices.Equal(ap.formerSlugs, w.formerSlugs) && ap.collection.id() == w.collection.id()
		if !ap.same {
			lp.changed = append(lp.changed, ap)
		}
	}
	if found == len(last.articles) {
		return
	}
	for _, w := range last.articles {
		if lp.byArticle[w.article.ID] == nil {
			lp.gone = append(lp.gone, w.file)
		}
	}
}

// id is the id of cp's collection, "" if cp is nil.
func (cp *collectionPage) id() string {
	if cp == nil {
		return ""
	}
	return cp.collection.ID
}

// article returns the page of article id in lp, nil if it has none or lp
// is nil.
func (lp *localePlan) article(id string) *articlePage {
	if lp == nil {
		return nil
	}
	return lp.byArticle[id]
}

// visible returns the page of collection id in lp, adding it and its
// ancestors if need be, or nil if the site has no such collection. The
// collection's text and slug are last's, the same locale's in an earlier
// plan if not nil, where they are made from the same source.
func (p *Plan) visible(lp *localePlan, id string, last *localePlan) *collectionPage {
	if cp, ok := lp.byCollection[id]; ok {
		return cp
	}
	c := p.site.Collection(id)
	if c == nil {
		return nil
	}
	if !content.ValidID(c.ID) {
		p.skip("collection", c.ID, "", "its id is not an Intercom id (1 to 20 digits)")
		return nil
	}
	if p.excluded[pageKey{"collection", c.ID, lp.locale}] {
		return nil
	}
	cp := &collectionPage{collection: c, locale: lp.locale, inputs: p.collectionInputs(c, lp.locale)}
	if was := last.collectionPage(id); was != nil && was.inputs == cp.inputs {
		cp.name, cp.about, cp.slug, cp.href = was.name, was.about, was.slug, was.href
	} else {
		text := cp.inputs.text
		cp.name, cp.about, cp.slug = cleanTitle(text.Name), cleanText(text.Description, maxDescription), p.collectionSlug(c, lp.locale)
		cp.href = pageURL(lp.locale, cp.path())
	}
	lp.byCollection[id] = cp // before the parent, in case the tree has a cycle
	if c.ParentID != "" && c.ParentID != id {
		cp.parent = p.visible(lp, c.ParentID, last)
	}
	return cp
}

// collectionInputs are what a collection page's text and slug are made of
// (collectionText, content.Collection.Slug).
type collectionInputs struct {
	text                              content.GroupText
	id, url, own, localeName, ownName string
}

func (p *Plan) collectionInputs(c *content.Collection, locale string) collectionInputs {
	own := cmp.Or(c.DefaultLocale, p.defaultLocale)
	return collectionInputs{text: collectionText(c, locale), id: c.ID, url: c.URL, own: own,
		localeName: c.Translations[locale].Name, ownName: c.Translations[own].Name}
}

// collectionPage returns the page of collection id in lp, nil if it has
// none or lp is nil.
func (lp *localePlan) collectionPage(id string) *collectionPage {
	if lp == nil {
		return nil
	}
	return lp.byCollection[id]
}

// countArticles sets the count of every collection of lp: the articles in
// it and below it, each once. An article counts in each of its
// collections and their ancestors, which it marks as it goes up: a mark
// of its own stops it, at an ancestor of two of its collections or around
// a cycle.
func countArticles(lp *localePlan) {
	counted := make(map[*collectionPage]*articlePage, len(lp.collections))
	for _, ap := range lp.articles {
		for _, id := range ap.article.ParentIDs {
			for cp := lp.byCollection[id]; cp != nil && counted[cp] != ap; cp = cp.parent {
				counted[cp] = ap
				cp.count++
			}
		}
	}
}

// collectionText returns a collection's name and description in locale,
// or in its default locale, or in the first locale that names it.
func collectionText(c *content.Collection, locale string) content.GroupText {
	if t, ok := c.Translations[locale]; ok && t.Name != "" {
		return t
	}
	if t, ok := c.Translations[c.DefaultLocale]; ok && t.Name != "" {
		return t
	}
	for _, l := range slices.Sorted(maps.Keys(c.Translations)) {
		if t := c.Translations[l]; t.Name != "" {
			return t
		}
	}
	return content.GroupText{}
}

// articleSlug returns the slug of a published translation: Intercom's own,
// else one made from the title, else the default locale's, else the first
// other published locale's. It may be empty.
func (p *Plan) articleSlug(a *content.Article, locale string) (slug string, own bool) {
	if s := a.Translations[locale].Slug(a.ID); s != "" {
		return s, true
	}
	for _, l := range append([]string{p.defaultLocale}, a.PublishedLocales()...) {
		if t, ok := a.Translations[l]; ok && t.Published() && l != locale {
			if s := t.Slug(a.ID); s != "" {
				return s, false
			}
		}
	}
	return "", false
}

// collectionSlug returns a collection's slug in locale: Intercom's own for
// its default locale, else one made from its name, else its default
// locale's (content.Collection.Slug).
func (p *Plan) collectionSlug(c *content.Collection, locale string) string {
	return c.Slug(locale, p.defaultLocale)
}

// compareIDs orders Intercom's decimal ids numerically.
func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// Site returns the site p is the plan of.
func (p *Plan) Site() *content.Site { return p.site }

// Locales returns the published locales, the default first.
func (p *Plan) Locales() []string { return slices.Clone(p.locales) }

// DefaultLocale returns the locale / leads to.
func (p *Plan) DefaultLocale() string { return p.defaultLocale }

// Article returns the title and root-relative URL of the page of article
// id in locale, and whether the article is published there.
func (p *Plan) Article(locale, id string) (title, url string, ok bool) {
	if lp := p.byLocale[locale]; lp != nil {
		if ap := lp.byArticle[id]; ap != nil {
			return ap.text.Title, ap.url(), true
		}
	}
	return "", "", false
}

// ArticleURL returns the root-relative URL of a's page in locale, or "" if
// it is not published there.
func (p *Plan) ArticleURL(a *content.Article, locale string) string {
	if lp := p.byLocale[locale]; lp != nil {
		if ap := lp.byArticle[a.ID]; ap != nil {
			return ap.url()
		}
	}
	return ""
}

// CollectionURL returns the root-relative URL of collection id's page in
// locale, or "" if it has none there.
func (p *Plan) CollectionURL(id, locale string) string {
	if lp := p.byLocale[locale]; lp != nil {
		if cp := lp.byCollection[id]; cp != nil {
			return cp.url()
		}
	}
	return ""
}

// HomeURL returns the root-relative URL of locale's home page.
func (p *Plan) HomeURL(locale string) string { return "/" + URLLocale(locale) + "/" }

// Breadcrumb returns the names of the collections above a's page in locale,
// top first.
func (p *Plan) Breadcrumb(a *content.Article, locale string) []string {
	var names []string
	if lp := p.byLocale[locale]; lp != nil {
		if ap := lp.byArticle[a.ID]; ap != nil {
			for _, cp := range ap.collection.ancestry() {
				names = append(names, cp.name)
			}
		}
	}
	return names
}

// ancestry returns cp's collection and those above it, top first.
func (cp *collectionPage) ancestry() []*collectionPage {
	var chain []*collectionPage
	var seen map[*collectionPage]bool // past a usual depth, around a cycle
	for c := cp; c != nil; c = c.parent {
		if len(chain) == 16 && seen == nil {
			seen = make(map[*collectionPage]bool)
			for _, a := range chain {
				seen[a] = true
			}
		}
		if seen[c] || seen == nil && slices.Contains(chain, c) {
			break
		}
		if seen != nil {
			seen[c] = true
		}
		chain = append(chain, c)
	}
	slices.Reverse(chain)
	return chain
}

// sitePages returns the site-relative URLs, lowercased, of the pages a
// root-relative link may name besides articles and collections (which
// links name by their Intercom URLs, see resolveLink): the root, each
// locale's home and search page, and in a relative site the printable
// collections. Article and collection pages are in it too, for links that
// name them by a path the Intercom matcher does not know.
func (p *Plan) sitePages(relative bool) map[string]bool {
	pages := map[string]bool{"/": true}
	for _, l := range p.locales {
		lp := p.byLocale[l]
		pages[strings.ToLower(pageURL(l, "search"))] = true
		pages[strings.ToLower("/"+URLLocale(l)+"/")] = true
		for _, ap := range lp.articles {
			pages[strings.ToLower(ap.url())] = true
		}
		for _, cp := range lp.collections {
			pages[strings.ToLower(cp.url())] = true
			if relative {
				pages[strings.ToLower(pageURL(l, cp.printPath()))] = true
			}
		}
	}
	return pages
}

// sitePageKey returns the locale segment of the root-relative URL p and
// the article or collection (its locale empty) whose pages may have that
// URL, by the shape of their URLs: /{locale}/{section}/{id}-{slug}/
// (pageURL), and of printable pages below them. The pageKey is zero if p
// has no such shape: no article's or collection's page has that URL,
// whatever changes.
func sitePageKey(p string) (locale string, k pageKey) {
	rest, _ := strings.CutPrefix(p, "/")
	locale, rest, _ = strings.Cut(rest, "/")
	section, page, _ := strings.Cut(rest, "/")
	id, _, _ := strings.Cut(page, "/")
	id, _, _ = strings.Cut(id, "-")
	switch {
	case id == "":
		return locale, pageKey{}
	case section == "articles":
		return locale, pageKey{kind: "article", id: id}
	case section == "collections":
		return locale, pageKey{kind: "collection", id: id}
	}
	return locale, pageKey{}
}

// rootRelativePath returns the path of a root-relative href ("/a/b?q#f"),
// as sitePages lists pages: unescaped, lowercased, with a trailing slash and
// without "index.html". It reports false for any other href, such as an
// absolute, protocol-relative or relative one, or a fragment.
func rootRelativePath(href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
		return "", false
	}
	p := strings.ToLower(u.Path)
	p = strings.TrimSuffix(p, "index.html")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p, true
}

// URLLocale is how locale appears in URLs and folders: as Intercom writes
// it ("pt-BR", "zh-CN", "es-419"), so that every Intercom URL is the
// site's. Hugo lowercases language prefixes; pages get their URLs from
// front matter, and outputFs writes what Hugo puts under a lowercased
// prefix into the locale's own folder (see localeFolders).
func URLLocale(locale string) string { return locale }

// hugoLang is locale as Hugo names the language: lowercased.
func hugoLang(locale string) string { return strings.ToLower(locale) }

// ArticlePath returns the path of an article page below its locale:
// "articles/{id}-{slug}", or "articles/{id}" without a slug.
func ArticlePath(id, slug string) string { return pagePath("articles", id, slug) }

// CollectionPath returns the path of a collection page below its locale.
func CollectionPath(id, slug string) string { return pagePath("collections", id, slug) }

func pagePath(kind, id, slug string) string {
	if slug == "" {
		return kind + "/" + id
	}
	return kind + "/" + id + "-" + slug
}

func (ap *articlePage) path() string    { return ArticlePath(ap.article.ID, ap.slug) }
func (cp *collectionPage) path() string { return CollectionPath(cp.collection.ID, cp.slug) }
func (ap *articlePage) url() string     { return ap.href }
func (cp *collectionPage) url() string  { return cp.href }

// pageURL is the site-relative URL of the page at path in locale.
func pageURL(locale, path string) string {
	return "/" + URLLocale(locale) + "/" + path + "/"
}

// The content of a page is a bundle named by the page's id, whose front
// matter gives its URL: a new slug changes one file, and no page that
// names it for site.GetPage (ref).
func (ap *articlePage) source() string    { return "articles/" + ap.article.ID }
func (ap *articlePage) ref() string       { return "/" + ap.source() }
func (cp *collectionPage) source() string { return "collections/" + cp.collection.ID }
func (cp *collectionPage) ref() string    { return "/" + cp.source() }

// printRef names the collection's printable page for site.GetPage, and
// printPath is its path below the locale.
func (cp *collectionPage) printRef() string  { return "/print/" + cp.collection.ID }
func (cp *collectionPage) printPath() string { return "print/" + cp.collection.ID + "-" + cp.slug }

// printURL is the root-relative URL of the collection's printable page.
func (cp *collectionPage) printURL() string { return pageURL(cp.locale, cp.printPath()) }

// allArticles returns the articles in cp and the collections below it, in
// the order its page shows them, each once.
func (cp *collectionPage) allArticles() []*articlePage {
	var all []*articlePage
	seen := map[*articlePage]bool{}
	visited := map[*collectionPage]bool{}
	var walk func(*collectionPage)
	walk = func(c *collectionPage) {
		if visited[c] {
			return
		}
		visited[c] = true
		for _, ap := range c.articles {
			if !seen[ap] {
				seen[ap] = true
				all = append(all, ap)
			}
		}
		for _, child := range c.children {
			walk(child)
		}
	}
	walk(cp)
	return all
}
