package render

import (
	"iter"
	"slices"
	"sync"

	"github.com/helpsite/helpsite/internal/articlehtml"
)

// A rewriteCache lets a Live Renderer rewrite, in an Update, only the
// article bodies whose rewriting changes: those whose HTML changed, or
// whose links or images now resolve differently. The rewritten HTML stays
// only in the content file written with it; an entry remembers the rest.
type rewriteCache struct {
	// entries change only between builds (commit, reset) and when a
	// build, done looking them up, takes them over (carry), so that a
	// build looks them up without a lock; mu guards next.
	entries map[string]rewriteEntry // by content file
	mu      sync.Mutex
	next    map[string]rewriteEntry // the entries of the build in progress
}

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

// begin starts a build.
func (c *rewriteCache) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next = make(map[string]rewriteEntry, len(c.entries))
}

func (c *rewriteCache) lookup(name string) (rewriteEntry, bool) {
	e, ok := c.entries[name]
	return e, ok
}

// carry keeps for the next build the entries of every content file but
// those dropped, which the build keeps anew if it has them (keep). The
// entries are taken over, not copied: the build looks up none after.
func (c *rewriteCache) carry(dropped iter.Seq[string]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next, c.entries = c.entries, nil
	for name := range dropped {
		delete(c.next, name)
	}
}

// keep records the entry of the content file name for the next build.
func (c *rewriteCache) keep(name string, e rewriteEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next[name] = e
}

// commit makes the entries of a successful build those of the next one;
// after a failed build, whose content files may not match any entry, reset
// forgets them all.
func (c *rewriteCache) commit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.next = c.next, nil
}

func (c *rewriteCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.next = nil, nil
}

// rewrite returns what rw makes of the body of the content file name in
// locale, or only its cache entry (and nil html) when the body is the one
// the file holds and its links and images resolve as they did; fresh says
// it was rewritten. The caller keeps the entry (writeArticle).
func (b *build) rewrite(rw *articlehtml.Rewriter, name, locale, body string) (html []byte, e rewriteEntry, fresh bool) {
	if b.cache != nil {
		if e, ok := b.cache.lookup(name); ok && e.source == body && b.resolvesAsBefore(locale, e) {
			e.source = body // the snapshot's copy, not an older one
			return nil, e, false
		}
	}
	res := rw.Rewrite(body)
	b.rewritten.Add(1)
	e = rewriteEntry{source: body, summary: summarize(res.Text), headings: res.Headings, warnings: res.Warnings,
		imageURLs: b.bodyImages[name]}
	if b.cache != nil {
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
func (b *build) resolvesAsBefore(locale string, e rewriteEntry) bool {
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
