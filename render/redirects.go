package render

import (
	"github.com/helpsite/helpsite/internal/content"

	"bytes"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
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

// redirect is a permanent redirect of one path.
type redirect struct {
	from url.URL // only the path matters
	to   string
}

// finish completes the output Hugo wrote: images, redirect pages, a root
// 404 page and the redirect files, or for a Relative site its root page
// and relative links. After a partial Update it lists what to remove.
func (b *build) finish() error {
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
		return b.finishRelative()
	}
	notFound := b.sitePath(URLLocale(b.plan.defaultLocale), "404.html")
	if _, err := os.Stat(notFound); err == nil || b.live == "" {
		if err := copyFile(notFound, b.sitePath("404.html")); err != nil {
			return fmt.Errorf("render: root 404 page: %w", err)
		}
	}
	if err := b.writeSitemaps(); err != nil {
		return err
	}
	redirects := b.redirects()
	if err := writeFile(b.sitePath(RedirectsFile), netlifyRedirects(b.plan, redirects)); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := writeFile(b.sitePath(NginxMapFile), nginxMap(redirects)); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// redirects lists the path of every published page's Intercom URL that
// differs from its path on the site, sorted.
func (b *build) redirects() []redirect {
	var rs []redirect
	add := func(raw, to string) {
		u, err := url.Parse(raw)
		if raw == "" || err != nil || u.Path == "" || strings.TrimSuffix(u.Path, "/") == strings.TrimSuffix(to, "/") {
			return
		}
		if len(u.Path) > maxRedirectPath {
			b.warn(Warning{Kind: WarnContent, Message: fmt.Sprintf("no redirect from Intercom URL %s…: over %d bytes", content.Quote(u.Path[:64]), maxRedirectPath)}, true)
			return
		}
		rs = append(rs, redirect{from: url.URL{Path: u.Path, RawPath: u.RawPath}, to: to})
	}
	for _, l := range b.plan.locales {
		lp := b.plan.byLocale[l]
		for _, ap := range lp.articles {
			add(ap.text.URL, ap.url())
		}
		for _, cp := range lp.collections {
			if l == cp.collection.DefaultLocale || cp.collection.DefaultLocale == "" && l == b.plan.defaultLocale {
				add(cp.collection.URL, cp.url())
			}
		}
	}
	slices.SortFunc(rs, func(a, b redirect) int { return strings.Compare(a.from.EscapedPath(), b.from.EscapedPath()) })
	return slices.CompactFunc(rs, func(a, b redirect) bool { return a.from.EscapedPath() == b.from.EscapedPath() })
}

// netlifyRedirects writes the _redirects file: / to the default locale,
// Intercom's spelling of locales ("/pt-BR/") to the site's, and the
// redirects.
func netlifyRedirects(p *Plan, rs []redirect) []byte {
	var buf bytes.Buffer
	buf.WriteString("# Redirects from the help center's Intercom URLs (Netlify, Cloudflare Pages).\n")
	fmt.Fprintf(&buf, "/ /%s/ 302\n", URLLocale(p.defaultLocale))
	for _, r := range rs {
		fmt.Fprintf(&buf, "%s %s 301\n", r.from.EscapedPath(), r.to)
	}
	for _, l := range p.locales {
		if URLLocale(l) != l {
			fmt.Fprintf(&buf, "/%s/* /%s/:splat 301\n", l, URLLocale(l))
		}
	}
	return buf.Bytes()
}

// nginxMap writes the entries of an nginx map from $uri, which nginx
// decodes, to the new URL.
func nginxMap(rs []redirect) []byte {
	var buf bytes.Buffer
	buf.WriteString(`# Redirects from the help center's Intercom URLs, for nginx:
#   map $uri $helpsite_redirect { include ` + NginxMapFile + `; }
#   server { ... if ($helpsite_redirect) { return 301 $helpsite_redirect; } }
`)
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	for _, r := range rs {
		fmt.Fprintf(&buf, "\"%s\" \"%s\";\n", quote.Replace(r.from.Path), quote.Replace(r.to))
	}
	return buf.Bytes()
}
