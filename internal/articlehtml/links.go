package articlehtml

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The URL schemes kept; any other scheme (javascript:, vbscript:, data:,
// file: ...) drops the URL.
var (
	linkSchemes  = []string{"http", "https", "mailto", "tel"}
	imageSchemes = []string{"http", "https"}
)

// link rewrites an <a>: an Intercom link to the local page, a link to a
// missing page to its text, an unsafe one to its text, and marks an
// external one.
func (rw *rewrite) link(n *html.Node) {
	raw, ok := getAttr(n, "href")
	if !ok {
		unwrap(n)
		return
	}
	href, ok := cleanURL(raw, linkSchemes)
	if !ok {
		rw.warn(WarnContent, "removed link with unsupported URL %q", raw)
		unwrap(n)
		return
	}
	local := false
	if rw.imageSrcs[href] && rw.opts.ResolveImage != nil { // a link to an image of the body: to its copy
		if img, ok := rw.resolveImage(href); ok {
			href, local = img.Src, true
		}
	}
	if !local && rw.opts.ResolveLink != nil {
		rw.links.add(href)
		newHref, ok := rw.opts.ResolveLink(href)
		if ok {
			newHref, ok = cleanURL(newHref, linkSchemes)
		}
		if !ok {
			rw.warn(WarnLink, "link to a missing or unpublished page: %s", href)
			n.Data, n.DataAtom = "span", atom.Span
			n.Attr = []html.Attribute{{Key: "class", Val: classMissingLink}}
			return
		}
		href, local = newHref, newHref != href
	}
	attrs := append([]html.Attribute{{Key: "href", Val: href}}, keepAttrs(n, "href")...)
	if !local && isRemote(href) {
		attrs = append(attrs, html.Attribute{Key: "rel", Val: relExternal}, html.Attribute{Key: "target", Val: targetExternal})
	}
	n.Attr = attrs
}

// cleanURL returns raw as a browser reads it (without tabs and newlines,
// trimmed of spaces and control characters) in its escaped form, if it has
// one of schemes or none.
func cleanURL(raw string, schemes []string) (string, bool) {
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if s == "" {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "" && !slices.Contains(schemes, u.Scheme)) {
		return "", false
	}
	s = u.String()
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", false
	}
	return s, true
}

// isRemote reports whether a clean URL points at another host over http(s).
func isRemote(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "" || u.Scheme == "http" || u.Scheme == "https")
}
