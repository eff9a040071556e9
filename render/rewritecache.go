package render

import (
	"slices"

	"github.com/helpsite/helpsite/internal/articlehtml"
)

// A Live Renderer rewrites, in an Update, only the article bodies whose
// rewriting changes: those whose HTML changed, or whose links or images
// now resolve differently. The rewritten HTML stays only in the content
// file written with it; the page's record (articleRecord.body) remembers
// the rest.
type rewriteEntry struct {
	// source is the source HTML. A snapshot's copies share the strings of
	// the articles they did not change, so comparing it with the body of
	// the next build is most often a comparison of pointers.
	source   string
	summary  string // a description made from the text
	headings []articlehtml.Heading
	warnings []articlehtml.Warning
	links    []linkResolution
	images   []imageResolution
	// imageURLs are the body's articlehtml.ImageURLs, to download.
	imageURLs []string
}

type linkResolution struct {
	href, to string
	ok       bool
	target   linkTarget
}

// unchanged reports whether r resolves as it did in the last build, as
// far as moved, the pages whose URLs changed since (see movedPages), tells:
// false when it cannot tell.
func (r linkResolution) unchanged(moved map[string]bool) bool {
	switch {
	case moved == nil:
		return false
	case r.target.page.kind != "":
		return !moved[r.target.page.id]
	}
	return true // a link elsewhere, or to no article or collection: the same
}

// linkTarget is what the resolution of a link depends on: the URLs of an
// article's or collection's pages (page, its locale empty), named by an
// Intercom URL or by a root-relative link with the shape of a page's URL
// (sitePageKey), or nothing.
type linkTarget struct {
	page pageKey
}

type imageResolution struct {
	src string
	img articlehtml.Image
	ok  bool
}

// rewrite returns what rw makes of the body of the content file name in
// locale, or only the entry of the last build's page, prev (and nil html),
// when the body is the one the file holds and its links and images
// resolve as they did; fresh says it was rewritten. The caller records
// the entry (writeArticle).
func (b *build) rewrite(rw *articlehtml.Rewriter, name, locale, body string, prev *articleRecord) (html []byte, e rewriteEntry, fresh bool) {
	if prev != nil && prev.body.source == body && b.resolvesAsBefore(locale, &prev.body) {
		e = prev.body
		e.source = body // the snapshot's copy, not an older one
		return nil, e, false
	}
	res := rw.Rewrite(body)
	b.rewritten.Add(1)
	e = rewriteEntry{source: body, summary: summarize(res.Text), headings: res.Headings, warnings: res.Warnings,
		imageURLs: b.bodyImages[name]}
	if b.records != nil {
		for _, href := range res.Links {
			to, ok, target := b.resolveLinkTarget(locale, href)
			e.links = append(e.links, linkResolution{href, to, ok, target})
		}
		for _, src := range res.Images {
			img, ok := b.resolveImage(src)
			e.images = append(e.images, imageResolution{src, img, ok})
		}
	}
	return escapeContent(res.HTML), e, true
}

// resolvesAsBefore reports whether e's links and images resolve as they
// did when it was made. Links to pages whose URLs did not change since the
// last build (b.moved) do.
func (b *build) resolvesAsBefore(locale string, e *rewriteEntry) bool {
	return !slices.ContainsFunc(e.links, func(r linkResolution) bool {
		if r.unchanged(b.moved) {
			return false
		}
		to, ok := b.resolveLink(locale, r.href)
		return to != r.to || ok != r.ok
	}) && !slices.ContainsFunc(e.images, func(r imageResolution) bool {
		img, ok := b.resolveImage(r.src)
		return img != r.img || ok != r.ok
	})
}
