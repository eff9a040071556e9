package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// render writes the sitemaps itself rather than with Hugo: a Hugo sitemap
// depends on every page, so an Update would have to render every page;
// here it is a quick loop over the plan, and an Update writes only those
// that changed.

// sitemapURL is a <url> of a sitemap: a page and its translations.
type sitemapURL struct {
	Loc        string         `xml:"loc"`
	Lastmod    string         `xml:"lastmod,omitempty"`
	Alternates []sitemapXLink `xml:"xhtml:link"`
}

type sitemapXLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name         `xml:"sitemapindex"`
	NS       string           `xml:"xmlns,attr"`
	Sitemaps []sitemapPointer `xml:"sitemap"`
}

type sitemapPointer struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// writeSitemaps writes {locale}/sitemap.xml for every locale and the
// sitemap index at the root: the home, collection and article pages, each
// with its translations. In a partial Update it writes only the files that
// differ from the live site's, of the locales whose pages changed.
func (b *build) writeSitemaps() error {
	index := sitemapIndex{NS: sitemapNS}
	changed := b.changedLocales()
	for _, l := range b.plan.locales {
		name := URLLocale(l) + "/sitemap.xml"
		if changed[l] {
			set := b.localeSitemap(l)
			if err := b.writeChanged(name, set.encode()); err != nil {
				return err
			}
		}
		index.Sitemaps = append(index.Sitemaps, sitemapPointer{Loc: b.absURL("/" + name), Lastmod: formatLastmod(b.newest(l))})
	}
	data, err := encodeXML(index)
	if err != nil {
		return err
	}
	return b.writeChanged("sitemap.xml", data)
}

// changedLocales are the locales whose sitemaps and llms.txt may change:
// all in a full build, those with a content file that changed in a
// partial Update. Every URL, date, title and description they list is in
// the front matter of a page of their locale.
func (b *build) changedLocales() map[string]bool {
	changed := map[string]bool{}
	for _, l := range b.plan.locales {
		changed[l] = b.live == ""
	}
	for _, c := range b.tree.changes {
		name, ok := strings.CutPrefix(c.name, contentDir+"/")
		if locale, _, _ := strings.Cut(name, "/"); ok {
			changed[locale] = true
		}
	}
	return changed
}

// newest is when the newest article of locale was updated.
func (b *build) newest(locale string) time.Time {
	var newest time.Time
	for _, ap := range b.plan.byLocale[locale].articles {
		newest = later(newest, ap.text.UpdatedAt)
	}
	return newest
}

// localeSitemap returns the sitemap of locale.
func (b *build) localeSitemap(locale string) urlset {
	lp := b.plan.byLocale[locale]
	set := urlset{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
	newest := b.newest(locale)
	set.URLs = append(set.URLs, b.sitemapURL(locale, func(l string) string {
		return "/" + URLLocale(l) + "/"
	}, newest))
	for _, cp := range lp.collections {
		var t time.Time
		if p := latest(cp); p != nil {
			t = *p
		}
		id := cp.collection.ID
		set.URLs = append(set.URLs, b.sitemapURL(locale, func(l string) string {
			if c := b.plan.byLocale[l].byCollection[id]; c != nil {
				return c.url()
			}
			return ""
		}, t))
	}
	for _, ap := range lp.articles {
		id := ap.article.ID
		set.URLs = append(set.URLs, b.sitemapURL(locale, func(l string) string {
			if a := b.plan.byLocale[l].byArticle[id]; a != nil {
				return a.url()
			}
			return ""
		}, ap.text.UpdatedAt))
	}
	return set
}

// sitemapURL is the entry of a page in locale whose path in a locale is
// path(l), "" where it has none.
func (b *build) sitemapURL(locale string, path func(l string) string, lastmod time.Time) sitemapURL {
	u := sitemapURL{Loc: b.absURL(path(locale)), Lastmod: formatLastmod(lastmod)}
	for _, l := range b.plan.locales {
		if p := path(l); p != "" {
			u.Alternates = append(u.Alternates, sitemapXLink{Rel: "alternate", Hreflang: l, Href: b.absURL(p)})
		}
	}
	return u
}

func (b *build) absURL(path string) string {
	return strings.TrimSuffix(b.opts.BaseURL, "/") + path
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func formatLastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// encode writes the sitemap as encoding/xml's MarshalIndent with two
// spaces would, several times faster, for sitemaps of many thousands of
// pages in every Update.
func (s *urlset) encode() []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, `<urlset xmlns="%s" xmlns:xhtml="%s">`, s.NS, s.XHTML)
	if len(s.URLs) == 0 {
		buf.WriteString("</urlset>\n")
		return buf.Bytes()
	}
	buf.Grow(len(s.URLs) * 128 * (1 + len(s.URLs[0].Alternates)))
	for _, u := range s.URLs {
		buf.WriteString("\n  <url>\n    <loc>")
		escapeXML(&buf, u.Loc)
		buf.WriteString("</loc>")
		if u.Lastmod != "" {
			buf.WriteString("\n    <lastmod>")
			escapeXML(&buf, u.Lastmod)
			buf.WriteString("</lastmod>")
		}
		for _, a := range u.Alternates {
			buf.WriteString("\n    <xhtml:link rel=\"")
			escapeXML(&buf, a.Rel)
			buf.WriteString("\" hreflang=\"")
			escapeXML(&buf, a.Hreflang)
			buf.WriteString("\" href=\"")
			escapeXML(&buf, a.Href)
			buf.WriteString("\"></xhtml:link>")
		}
		buf.WriteString("\n  </url>")
	}
	buf.WriteString("\n</urlset>\n")
	return buf.Bytes()
}

// escapeXML writes s escaped as encoding/xml escapes text and attributes:
// as it is when nothing in it needs escaping or replacing.
func escapeXML(buf *bytes.Buffer, s string) {
	for _, r := range s {
		if r < 0x20 || r == '"' || r == '\'' || r == '&' || r == '<' || r == '>' || r >= utf8.RuneError {
			xml.EscapeText(buf, []byte(s))
			return
		}
	}
	buf.WriteString(s)
}

func encodeXML(v any) ([]byte, error) {
	data, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render: sitemap: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

// writeChanged writes data to the slash path name of the output, but in a
// partial Update only if the live site's file differs.
func (b *build) writeChanged(name string, data []byte) error {
	if b.live != "" {
		if old, err := os.ReadFile(b.livePath(name)); err == nil && bytes.Equal(old, data) {
			return nil
		}
	}
	if err := writeFile(b.sitePath(name), data); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}
