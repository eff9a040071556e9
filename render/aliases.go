package render

import (
	"slices"

	"github.com/helpsite/helpsite/internal/content"
)

// The other URLs of a page, which redirect to it: Intercom resolves an
// article by its id whatever slug follows, so every URL it ever served for
// a page has to keep leading there. These are the bare id, the slug of the
// title where Intercom's URL gave another, and every former slug the
// snapshot recorded (content.TrackSlugs). A page that is no longer
// published keeps its URLs, which lead to its collection. None ever takes
// the URL of a page: ids keep them apart, and isPage makes sure.

// slugify is Slugify, remembered from one build to the next: a build
// finds the aliases of every page, of which few changed.
func (b *build) slugify(s string) string { return b.slugified.get(s, Slugify) }

// articleAliases are the root-relative URLs, other than its own, that lead
// to an article page. A Relative site has none: redirects need a server.
func (b *build) articleAliases(ap *articlePage) []string {
	if b.opts.Relative {
		return nil
	}
	id := ap.article.ID
	slugs := []string{"", b.slugify(ap.text.Title)}
	slugs = append(slugs, ap.article.FormerSlugs[ap.locale]...)
	return b.aliases(ap.locale, ap.url(), ArticlePath, id, slugs)
}

// collectionAliases are articleAliases for a collection page.
func (b *build) collectionAliases(cp *collectionPage) []string {
	if b.opts.Relative {
		return nil
	}
	c := cp.collection
	slugs := []string{"", b.slugify(cp.name)}
	slugs = append(slugs, c.FormerSlugs[cp.locale]...)
	return b.aliases(cp.locale, cp.url(), CollectionPath, c.ID, slugs)
}

// aliases returns the URLs in locale of the paths pagePath makes of id and
// slugs ("" for the bare id) that are neither url nor another page's.
func (b *build) aliases(locale, url string, pagePath func(id, slug string) string, id string, slugs []string) []string {
	var aliases []string
	for _, s := range slugs {
		if s != "" {
			s = b.slugify(s) // recorded by an older helpsite, or by hand
			if s == "" {
				continue
			}
		}
		a := pageURL(locale, pagePath(id, s))
		if a != url && !b.isPage(a) && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	return aliases
}

// addRetiredRedirects adds the redirect pages of the articles of the
// snapshot that were published in lp's locale and no longer are: their
// bare id and every slug they were published under lead to their
// collection, or the locale's home. A draft's own title is never used: it
// may not be public.
func (b *build) addRetiredRedirects(lp *localePlan) {
	if b.opts.Relative {
		return
	}
	for _, a := range b.retiring() {
		former := a.FormerSlugs[lp.locale]
		if len(former) == 0 || lp.byArticle[a.ID] != nil || b.plan.excluded[pageKey{"article", a.ID, lp.locale}] {
			continue // published, never was, or withheld with its last good page
		}
		title, to := b.siteTitle(), b.plan.HomeURL(lp.locale)
		if cp := retiredCollection(lp, a.ParentIDs); cp != nil {
			title, to = cp.name, cp.url()
		}
		aliases := b.aliases(lp.locale, to, ArticlePath, a.ID, append([]string{""}, former...))
		// The file that was the article's page: its removal rewrites them.
		source := contentFile(lp.locale, "articles/"+a.ID)
		b.addRedirects(redirectPage{source: source, retired: true}, lp.locale, title, to, aliases)
	}
}

// retiring returns the articles of the snapshot that have former slugs
// in some locale, worked out once for every locale.
func (b *build) retiring() []*content.Article {
	b.retiringOnce.Do(func() {
		for i := range b.site.Articles {
			if a := &b.site.Articles[i]; len(a.FormerSlugs) > 0 {
				b.retiringArticles = append(b.retiringArticles, a)
			}
		}
	})
	return b.retiringArticles
}

// retiredCollection returns the first of the collections ids that lp
// shows, nil if none.
func retiredCollection(lp *localePlan, ids []string) *collectionPage {
	for _, id := range ids {
		if cp := lp.byCollection[id]; cp != nil {
			return cp
		}
	}
	return nil
}

// isPage reports whether url, root-relative, is the URL of a page of the
// site: of an article or collection in any locale.
func (b *build) isPage(url string) bool { return b.pageKind(url) != "" }

// pageKind returns the kind of the page whose root-relative URL is url,
// "article" or "collection", or "" if it is neither. A page's URL names
// its locale and the page (sitePageKey), under which the plan finds it.
func (b *build) pageKind(url string) string {
	locale, k := sitePageKey(url)
	lp := b.plan.byLocale[locale] // URLLocale is the locale itself
	if lp == nil {
		return ""
	}
	switch k.kind {
	case "article":
		if ap := lp.byArticle[k.id]; ap != nil && ap.url() == url {
			return k.kind
		}
	case "collection":
		if cp := lp.byCollection[k.id]; cp != nil && cp.url() == url {
			return k.kind
		}
	}
	return ""
}
