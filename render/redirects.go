package render

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
)

// Files of redirects from Intercom's URLs to the site's, for users who move
// their help center's domain to the site.
const (
	// RedirectsFile is in the format of Netlify and Cloudflare Pages.
	RedirectsFile = "_redirects"
	// NginxMapFile holds the entries of an nginx map block.
	NginxMapFile = "redirects.map"
)

// maxRedirectPath is the longest Intercom URL path redirected: no link
// in the wild is longer, and redirect files are read line by line.
const maxRedirectPath = 2000

// redirect is a permanent redirect of one path to a root-relative URL.
type redirect struct {
	// from is the path that redirects, escaped the same percent-encoded,
	// by which redirects are sorted; toEscaped is to percent-encoded.
	from, escaped string
	to, toEscaped string
	// plain says that from and to have no character to escape in an
	// nginx string.
	plain bool
}

// finish completes the output Hugo wrote: images, redirect pages, a root
// 404 page, the sitemaps, the redirect files and llms.txt with the
// Markdown twins, or for a Relative site its root page and relative
// links. After a partial Update it lists what to remove. The writers that
// go over the whole site run side by side.
func (b *build) finish(ctx context.Context) error {
	if b.live != "" {
		if err := b.listRemoved(); err != nil {
			return err
		}
	}
	if err := b.copyImages(); err != nil {
		return err
	}
	if err := b.writeRedirectPages(); err != nil {
		return err
	}
	if b.opts.Relative {
		if err := b.writeLLMs(ctx); err != nil {
			return err
		}
		return b.finishRelative()
	}
	notFound := b.sitePath(URLLocale(b.plan.defaultLocale), "404.html")
	if _, err := os.Stat(notFound); err == nil || b.live == "" {
		if err := copyFile(notFound, b.sitePath("404.html")); err != nil {
			return fmt.Errorf("render: root 404 page: %w", err)
		}
	}
	if err := b.writeHeaders(); err != nil {
		return err
	}
	if err := b.writeRootPage(); err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(b.writeSitemaps)
	g.Go(b.writeRedirects)
	g.Go(func() error { return b.writeLLMs(ctx) })
	err := g.Wait()
	slices.Sort(b.res.Removed)
	b.res.Removed = slices.Compact(b.res.Removed)
	return err
}

// writeRedirects writes the redirect files, for Netlify-like hosts and
// for nginx.
func (b *build) writeRedirects() error {
	bufs := b.redirectBuffers
	bufs.list = b.redirects(bufs.list[:0])
	// The two files side by side: each takes tens of megabytes in a large
	// help center.
	var g errgroup.Group
	g.Go(func() error {
		bufs.netlify = netlifyRedirects(bufs.netlify[:0], b.plan, bufs.list)
		return writeFile(b.sitePath(RedirectsFile), bufs.netlify)
	})
	g.Go(func() error {
		bufs.nginx = nginxMap(bufs.nginx[:0], b.plan, bufs.list)
		return writeFile(b.sitePath(NginxMapFile), bufs.nginx)
	})
	if err := g.Wait(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// redirectBuffers are where a Renderer's builds list the redirects and
// make the redirect files, each in the room the last left: the files of
// a large help center take tens of megabytes, for every change.
type redirectBuffers struct {
	list           []*redirect
	netlify, nginx []byte
}

// redirects lists the redirect of every redirect page, and of every
// published page's Intercom URL that differs from its URL on the site
// (another host's path, a slug cut short), sorted by path. None takes the
// URL of a page.
//
// Those of article pages are kept from one build to the next (siteOutputs.
// redirects): a build sorts in those of the pages it made and looks again
// whether a page took the path only of those whose path names a page that
// moved. The others (collections, retired and deleted articles, help
// center homes) are listed anew. It appends them to rs.
func (b *build) redirects(rs []*redirect) []*redirect {
	articles := b.out.redirects
	if b.moved == nil || len(b.moved) > 0 {
		for i := range articles {
			if e := &articles[i]; b.moved == nil || b.moved[e.page] {
				e.shadowed = b.isPagePath(e.from)
			}
		}
	}
	slices.SortFunc(b.freshRedirects, compareRedirects)
	articles = mergeRedirects(articles, b.freshRedirects)
	b.out.redirects, b.freshRedirects = articles, nil
	others := b.otherRedirects()
	slices.SortFunc(others, compareRedirects)

	add := func(e *redirectEntry) {
		switch {
		case e.shadowed:
		case e.tooLong:
			b.warn(Warning{Kind: WarnContent, Message: fmt.Sprintf("no redirect from Intercom URL %s…: over %d bytes", content.Quote(e.from[:64]), maxRedirectPath)}, true)
		default:
			// The first of a path: sorted by path, then target, the same
			// list whatever order the pages came in.
			if len(rs) == 0 || rs[len(rs)-1].escaped != e.escaped {
				rs = append(rs, &e.redirect)
			}
		}
	}
	// The few others among the many articles', found by binary search.
	for i := range others {
		n, _ := slices.BinarySearchFunc(articles, others[i], compareRedirects)
		for j := range n {
			add(&articles[j])
		}
		add(&others[i])
		articles = articles[n:]
	}
	for i := range articles {
		add(&articles[i])
	}
	return rs
}

// otherRedirects lists the redirects of what is not an article page.
func (b *build) otherRedirects() []redirectEntry {
	var rs []redirectEntry
	add := func(p redirectPath, to string) {
		if e, ok := b.redirectEntry(p, to, ""); ok {
			rs = append(rs, e)
		}
	}
	addRaw := func(raw, to string) { add(b.redirectPaths.get(raw, parseRedirectPath), to) }
	for _, rp := range b.out.redirectPages {
		if !isArticleRedirectPage(rp) {
			for _, p := range rp.paths {
				add(p, rp.page.URL)
			}
		}
	}
	for _, l := range b.plan.locales {
		for _, cp := range b.plan.byLocale[l].collections {
			if l == cp.collection.DefaultLocale || cp.collection.DefaultLocale == "" && l == b.plan.defaultLocale {
				addRaw(cp.collection.URL, cp.url())
			}
		}
	}
	// Deleted articles lead to their collection, as an unpublished one's
	// redirect pages do; but a plain host answers 404 rather than a page.
	for _, d := range b.site.Deleted {
		for _, l := range b.plan.locales {
			lp := b.plan.byLocale[l]
			if len(d.Slugs[l]) == 0 || lp.byArticle[d.ID] != nil {
				continue
			}
			to := b.plan.HomeURL(l)
			if cp := retiredCollection(lp, d.ParentIDs); cp != nil {
				to = cp.url()
			}
			for _, s := range append([]string{""}, d.Slugs[l]...) {
				addRaw(pageURL(l, ArticlePath(d.ID, s)), to)
			}
		}
	}
	// The homes of help centers below a path (intercom.help/acme/en/).
	for _, hc := range b.site.HelpCenters {
		if u, err := url.Parse(hc.URL); err == nil && strings.Trim(u.Path, "/") != "" {
			root := "/" + strings.Trim(u.Path, "/") + "/"
			addRaw(root, b.plan.HomeURL(b.plan.defaultLocale))
			for _, l := range b.plan.locales {
				addRaw(root+l+"/", b.plan.HomeURL(l))
			}
		}
	}
	return rs
}

// addArticleRedirects records the redirects of the article page of the
// content file name: from its redirect pages, rp, and its Intercom URL.
func (b *build) addArticleRedirects(name string, rp redirectPage, ap *articlePage) {
	if b.opts.Relative {
		return // a Relative site has no redirect files
	}
	es := make([]redirectEntry, 0, len(rp.paths)+1)
	for _, p := range rp.paths {
		if e, ok := b.redirectEntry(p, ap.url(), name); ok {
			es = append(es, e)
		}
	}
	if e, ok := b.redirectEntry(ap.intercomPath, ap.url(), name); ok {
		es = append(es, e)
	}
	b.outputsMu.Lock()
	b.freshRedirects = append(b.freshRedirects, es...)
	b.outputsMu.Unlock()
}

// redirectEntry is a redirect the redirect files may list.
type redirectEntry struct {
	redirect
	// source is the content file of the article page it is of, if any.
	source string
	// page is the id of the page its path names (sitePageKey): when that
	// page moves, the path may become or stop being its URL, which no
	// redirect takes (shadowed).
	page              string
	shadowed, tooLong bool
}

// redirectEntry returns the entry of the redirect of p to to from the
// content file source, and false if p is no path or to is p.
func (b *build) redirectEntry(p redirectPath, to, source string) (redirectEntry, bool) {
	if !p.ok || strings.TrimSuffix(p.path, "/") == strings.TrimSuffix(to, "/") {
		return redirectEntry{}, false
	}
	_, page := sitePageKey(p.path)
	r := redirect{from: p.path, escaped: p.escaped, to: to, toEscaped: (&url.URL{Path: to}).EscapedPath(),
		plain: !strings.ContainsAny(p.path, `\"`) && !strings.ContainsAny(to, `\"`)}
	return redirectEntry{redirect: r, source: source, page: page.id,
		shadowed: b.isPagePath(p.path), tooLong: len(p.path) > maxRedirectPath}, true
}

// isPagePath reports whether p, with or without a final slash, is the URL
// of a page.
func (b *build) isPagePath(p string) bool { return b.isPage(p) || b.isPage(p+"/") }

// compareRedirects orders redirects by path, then target.
func compareRedirects(a, b redirectEntry) int {
	return cmp.Or(strings.Compare(a.escaped, b.escaped), strings.Compare(a.to, b.to))
}

// mergeRedirects merges into a, sorted, the entries of b, sorted and most
// often few: from the last, each finds its place by binary search, and the
// entries of a after it move up at once.
func mergeRedirects(a, b []redirectEntry) []redirectEntry {
	end := len(a) // a[:end] have not moved
	a = slices.Grow(a, len(b))[:len(a)+len(b)]
	for j := len(b) - 1; j >= 0; j-- {
		i, _ := slices.BinarySearchFunc(a[:end], b[j], compareRedirects)
		copy(a[i+j+1:], a[i:end])
		a[i+j] = b[j]
		end = i
	}
	return a
}

// redirectPath is the path of a URL that redirects, as url.Parse reads it
// and escaped; ok is false for a URL without one.
type redirectPath struct {
	path, escaped string
	ok            bool
}

// parseRedirectPath returns the path of raw, for a memo: a build lists the
// redirects of every page, of which few changed.
func parseRedirectPath(raw string) redirectPath {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Path == "" {
		return redirectPath{}
	}
	from := url.URL{Path: u.Path, RawPath: u.RawPath}
	return redirectPath{path: u.Path, escaped: from.EscapedPath(), ok: true}
}

// netlifyRedirects writes the _redirects file: the redirects, / to the
// default locale, then the lower-case spelling of locales ("/pt-br/") to
// Intercom's, which the site keeps ("/pt-BR/"). Paths are percent-encoded,
// as Netlify requires; rules with a splat come last, as Cloudflare Pages
// counts every rule after the first of them against its budget of 100.
// It appends the file to out.
func netlifyRedirects(out []byte, p *Plan, rs []*redirect) []byte {
	out = append(out, "# Redirects from the help center's other URLs (Netlify, Cloudflare Pages, helpsite's servers).\n"...)
	for _, r := range rs {
		out = append(out, r.escaped...)
		out = append(out, ' ')
		out = append(out, r.toEscaped...)
		out = append(out, " 301\n"...)
	}
	out = fmt.Appendf(out, "/ %s 302\n", p.HomeURL(p.defaultLocale))
	for _, l := range p.locales {
		if lower := strings.ToLower(l); lower != URLLocale(l) {
			out = fmt.Appendf(out, "/%s/* /%s/:splat 301\n", lower, URLLocale(l))
		}
	}
	return out
}

// nginxMap writes the entries of an nginx map from $uri, which nginx
// decodes, to the new URL, appended to out.
func nginxMap(out []byte, p *Plan, rs []*redirect) []byte {
	out = append(out, `# Redirects from the help center's Intercom URLs, for nginx:
#   map $uri $helpsite_redirect { include `+NginxMapFile+`; }
#   server { ... if ($helpsite_redirect) { return 301 $helpsite_redirect; } }
`...)
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	entry := func(r *redirect, from, slash string) {
		to := r.to
		if !r.plain {
			from, to = quote.Replace(from), quote.Replace(to)
		}
		out = append(out, '"')
		out = append(out, from...)
		out = append(out, slash...)
		out = append(out, `" "`...)
		out = append(out, to...)
		out = append(out, "\";\n"...)
	}
	for _, r := range rs {
		// nginx's $uri is as requested: with and without the slash.
		from := strings.TrimSuffix(r.from, "/")
		entry(r, from, "")
		if from != r.from {
			entry(r, from, "/")
		}
	}
	for _, l := range p.locales {
		if lower := strings.ToLower(l); lower != URLLocale(l) {
			out = fmt.Appendf(out, "\"~^/%s(/.*)?$\" \"/%s$1\";\n", regexp.QuoteMeta(lower), URLLocale(l))
		}
	}
	return out
}

// writeRootPage writes the site's index.html, which sends a browser to the
// default locale's home. Hugo writes one that names the base URL; this one
// works wherever the site is served.
func (b *build) writeRootPage() error {
	home := b.plan.HomeURL(b.plan.defaultLocale)
	var buf bytes.Buffer
	page := redirectData{Locale: b.plan.defaultLocale, Title: b.siteTitle(), URL: home, Canonical: b.absURL(home), Policy: b.metaPolicy()}
	if err := redirectTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("render: root page: %w", err)
	}
	if _, err := os.Stat(b.sitePath("index.html")); err == nil {
		// Hugo wrote its own.
		if err := writeFile(b.sitePath("index.html"), buf.Bytes()); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		return nil
	}
	return b.writeChanged("index.html", buf.Bytes())
}
