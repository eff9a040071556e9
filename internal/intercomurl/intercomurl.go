// Package intercomurl recognizes URLs that point into an Intercom Help
// Center, so that links between articles can be rewritten to the mirrored
// pages.
//
// Article bodies link to other articles by their public URL, on Intercom's
// own host (https://intercom.help/<identifier>/<locale>/articles/<id>-<slug>)
// or on the help center's custom domain
// (https://help.example.com/<locale>/articles/<id>-<slug>), and sometimes
// root-relative (/<locale>/articles/<id>). Collections have the same shape
// with "collections".
package intercomurl

import (
	"net/url"
	"regexp"
	"strings"
)

// Kind is what a Ref points at.
type Kind int

// The kinds of page a help center URL can name.
const (
	Article Kind = iota + 1
	Collection
)

func (k Kind) String() string {
	switch k {
	case Article:
		return "article"
	case Collection:
		return "collection"
	}
	return "unknown"
}

// Ref is a parsed help center URL.
type Ref struct {
	Kind Kind
	// Locale is the locale segment in its canonical form ("en", "pt-BR"),
	// or empty if the URL has none.
	Locale string
	ID     string
	// Fragment and Query are as escaped in the URL, without '#' or '?'.
	Fragment, Query string
}

// Suffix returns the query and fragment to append to the local URL that
// replaces the reference: "", "?q", "#f" or "?q#f".
func (r Ref) Suffix() string {
	var s string
	if r.Query != "" {
		s = "?" + r.Query
	}
	if r.Fragment != "" {
		s += "#" + r.Fragment
	}
	return s
}

// A Matcher recognizes the URLs of one help center.
type Matcher struct {
	sites []site
}

// site is one place the help center is served: a host and the path
// prefix under which its locales sit ("/northwind" on intercom.help).
type site struct {
	host, prefix string
}

// NewMatcher returns a Matcher for a help center served at hosts: each a
// host, optionally with a path prefix and a scheme, as in
// "intercom.help/northwind", "help.northwind.example" or
// "https://intercom.help/northwind/". Entries without a host are ignored.
func NewMatcher(hosts []string) *Matcher {
	m := &Matcher{}
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if i := strings.Index(h, "://"); i >= 0 {
			h = h[i+len("://"):]
		}
		host, prefix, _ := strings.Cut(h, "/")
		host = normalizeHost(host)
		if host == "" {
			continue
		}
		prefix = strings.Trim(prefix, "/")
		if prefix != "" {
			prefix = "/" + prefix
		}
		m.sites = append(m.sites, site{host: host, prefix: prefix})
	}
	return m
}

// normalizeHost lowercases a host and drops its port and trailing dot.
func normalizeHost(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// Parse reports whether href names an article or collection of the help
// center, and which. It accepts absolute http(s) and protocol-relative URLs
// on a known host and root-relative paths; the locale segment and the slug
// after the id are optional, and so is a trailing slash.
func (m *Matcher) Parse(href string) (Ref, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Opaque != "" || u.User != nil {
		return Ref{}, false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https":
	default:
		return Ref{}, false
	}
	var paths []string // the candidate paths below a site's prefix
	switch {
	case u.Host != "":
		host := normalizeHost(u.Host)
		for _, s := range m.sites {
			if s.host == host {
				if rest, ok := cutPrefixFold(u.Path, s.prefix); ok {
					paths = append(paths, rest)
				}
			}
		}
	case u.Scheme != "" || !strings.HasPrefix(u.Path, "/"):
		return Ref{}, false
	default:
		// Root-relative: relative to whichever site wrote it.
		paths = append(paths, u.Path)
		for _, s := range m.sites {
			if rest, ok := cutPrefixFold(u.Path, s.prefix); ok && s.prefix != "" {
				paths = append(paths, rest)
			}
		}
	}
	for _, p := range paths {
		if ref, ok := parsePath(p); ok {
			ref.Query = u.RawQuery
			ref.Fragment = u.EscapedFragment()
			return ref, true
		}
	}
	return Ref{}, false
}

// cutPrefixFold cuts prefix, a path of whole segments, from the start of
// path, ignoring case.
func cutPrefixFold(path, prefix string) (string, bool) {
	if len(path) < len(prefix) || !strings.EqualFold(path[:len(prefix)], prefix) {
		return "", false
	}
	rest := path[len(prefix):]
	if rest != "" && rest[0] != '/' {
		return "", false // "/northwindy" is not below "/northwind"
	}
	return rest, true
}

var (
	locale = regexp.MustCompile(`^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|[a-zA-Z]{4}|[0-9]{3}))?$`)
	idSlug = regexp.MustCompile(`^([0-9]+)(?:-.*)?$`)
)

// parsePath parses "/[<locale>/](articles|collections)/<id>[-<slug>][/]".
func parsePath(p string) (Ref, bool) {
	segs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/"), "/")
	var ref Ref
	if len(segs) == 3 {
		m := locale.FindStringSubmatch(segs[0])
		if m == nil {
			return Ref{}, false
		}
		ref.Locale = canonicalLocale(m[1], m[2])
		segs = segs[1:]
	}
	if len(segs) != 2 {
		return Ref{}, false
	}
	switch strings.ToLower(segs[0]) {
	case "articles":
		ref.Kind = Article
	case "collections":
		ref.Kind = Collection
	default:
		return Ref{}, false
	}
	m := idSlug.FindStringSubmatch(segs[1])
	if m == nil {
		return Ref{}, false
	}
	ref.ID = m[1]
	return ref, true
}

// canonicalLocale writes a locale as Intercom keys translations: the
// language in lower case, a region in upper case, a script in title case
// ("pt-BR", "zh-Hant").
func canonicalLocale(lang, sub string) string {
	lang = strings.ToLower(lang)
	switch len(sub) {
	case 0:
		return lang
	case 4:
		return lang + "-" + strings.ToUpper(sub[:1]) + strings.ToLower(sub[1:])
	}
	return lang + "-" + strings.ToUpper(sub)
}
