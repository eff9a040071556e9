package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
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

// sitemapChunkURLs is about how many pages one sitemap lists (the
// Renderer's pagesPerSitemap, which tests lower). A locale
// with more has several sitemaps, sitemap-1.xml to sitemap-N.xml (N a power
// of two), each page in the one its id picks, and {locale}/sitemap.xml is
// the index of them: a change rewrites the sitemap of the pages it
// touches, not a list of the whole locale.
const sitemapChunkURLs = 250

// writeSitemaps writes the sitemaps of every locale (see sitemapChunkURLs)
// and the sitemap index at the root, which lists them all: the home,
// collection and article pages, each with its translations. In a partial
// Update it writes only the sitemaps with a page whose content file
// changed, of the locales whose pages changed.
func (b *build) writeSitemaps() error {
	index := sitemapIndex{NS: sitemapNS}
	changed := b.changedLocales()
	pointers := make(map[string][]sitemapPointer, len(b.plan.locales))
	for _, l := range b.plan.locales {
		// A locale with no page changed has the sitemaps of the last build.
		ps, ok := b.out.sitemaps[l]
		if !ok || changed[l] {
			lp := b.plan.byLocale[l]
			n := sitemapCount(1+len(lp.collections)+len(lp.articles), b.pagesPerSitemap)
			var dirty map[int]bool
			if changed[l] {
				dirty = b.dirtySitemaps(l, n, ps)
			}
			sm := b.localeSitemaps(l, n, dirty, ps)
			if changed[l] {
				if err := b.writeLocaleSitemaps(l, sm, dirty); err != nil {
					return err
				}
			}
			ps = sm.pointers
		}
		pointers[l] = ps
		index.Sitemaps = append(index.Sitemaps, ps...)
	}
	b.out.sitemaps = pointers
	data, err := encodeXML(index)
	if err != nil {
		return err
	}
	return b.writeChanged("sitemap.xml", data)
}

// localeSitemaps are the sitemaps of a locale: the pages of each (by
// sitemapChunk), and where they are with the date of their newest page.
type localeSitemaps struct {
	chunks   [][]sitemapPage
	pointers []sitemapPointer
}

// A sitemapPage is a page of a sitemap: its path in each locale ("" where
// it has none) and when it last changed.
type sitemapPage struct {
	path    func(l string) string
	lastmod time.Time
}

// sitemapName is the slash path of the i-th (from 0) of n sitemaps of
// locale.
func sitemapName(locale string, i, n int) string {
	if n == 1 {
		return URLLocale(locale) + "/sitemap.xml"
	}
	return fmt.Sprintf("%s/sitemap-%d.xml", URLLocale(locale), i+1)
}

// localeSitemaps returns the n sitemaps of locale: the pages of those
// dirty names, or of all if dirty is nil, and where each is, with the
// date of its newest page; last are where they were in the last build,
// which the others keep.
func (b *build) localeSitemaps(locale string, n int, dirty map[int]bool, last []sitemapPointer) localeSitemaps {
	lp := b.plan.byLocale[locale]
	sm := localeSitemaps{chunks: make([][]sitemapPage, n)}
	chunk := func(id string) (int, bool) {
		i := sitemapChunk(id, n)
		return i, dirty == nil || dirty[i]
	}
	if i, ok := chunk(""); ok {
		sm.chunks[i] = append(sm.chunks[i], sitemapPage{func(l string) string { return "/" + URLLocale(l) + "/" }, b.newest(locale)})
	}
	for _, cp := range lp.collections {
		id := cp.collection.ID
		i, ok := chunk(id)
		if !ok {
			continue
		}
		var t time.Time
		if p := latest(cp); p != nil {
			t = *p
		}
		sm.chunks[i] = append(sm.chunks[i], sitemapPage{func(l string) string {
			if c := b.plan.byLocale[l].byCollection[id]; c != nil {
				return c.url()
			}
			return ""
		}, t})
	}
	for _, ap := range lp.articles {
		id := ap.article.ID
		i, ok := chunk(id)
		if !ok {
			continue
		}
		sm.chunks[i] = append(sm.chunks[i], sitemapPage{func(l string) string {
			if a := b.plan.byLocale[l].byArticle[id]; a != nil {
				return a.url()
			}
			return ""
		}, ap.text.UpdatedAt})
	}
	for i, pages := range sm.chunks {
		if dirty != nil && !dirty[i] {
			sm.pointers = append(sm.pointers, last[i])
			continue
		}
		var newest time.Time
		for _, p := range pages {
			newest = later(newest, p.lastmod)
		}
		sm.pointers = append(sm.pointers, sitemapPointer{Loc: b.absURL("/" + sitemapName(locale, i, n)), Lastmod: formatLastmod(newest)})
	}
	return sm
}

// sitemapCount is the number of sitemaps of a locale of n pages, each of
// about per pages: a power of two, so that a page stays in its sitemap as
// the locale grows until the count doubles.
func sitemapCount(n, per int) int {
	c := 1
	for c*per < n {
		c *= 2
	}
	return c
}

// sitemapChunk is the sitemap, of n, that lists the page of id ("" for
// the home page, which is in the first).
func sitemapChunk(id string, n int) int {
	if id == "" {
		return 0
	}
	return int(xxhash.Sum64String(id) & uint64(n-1))
}

// dirtySitemaps returns which of the n sitemaps of locale an Update
// writes, nil for all: all in a full build or when their number changed
// (last are the last build's), else those with a page whose entry may
// have changed (a collection's content file, an article's state in any
// locale) and the first, whose home page lists the date of the locale's
// newest article.
func (b *build) dirtySitemaps(locale string, n int, last []sitemapPointer) map[int]bool {
	if b.live == "" || len(last) != n || b.liveSitemaps(locale, n) != n {
		return nil
	}
	dirty := map[int]bool{0: true}
	// An article's entry shows its URL in every locale and its date,
	// which change only with its state (dirtyArticles): most article
	// pages made in an Update change for what they show of others.
	for _, c := range b.tree.changes {
		if l, section, id, ok := contentPage(c.name); ok && l == locale && (section == "articles" && b.changedIDs == nil || section == "collections") {
			dirty[sitemapChunk(id, n)] = true
		}
	}
	for id := range b.changedIDs {
		dirty[sitemapChunk(id, n)] = true
	}
	return dirty
}

// writeLocaleSitemaps writes the sitemaps sm of locale: those dirty names
// (dirtySitemaps), or all if it is nil, and their index.
func (b *build) writeLocaleSitemaps(locale string, sm localeSitemaps, dirty map[int]bool) error {
	n := len(sm.chunks)
	if n > 1 {
		index, err := encodeXML(sitemapIndex{NS: sitemapNS, Sitemaps: sm.pointers})
		if err != nil {
			return err
		}
		if err := b.writeChanged(URLLocale(locale)+"/sitemap.xml", index); err != nil {
			return err
		}
	}
	if dirty == nil {
		if err := b.removeStaleSitemaps(locale, n); err != nil {
			return err
		}
	}
	for i, pages := range sm.chunks {
		if dirty != nil && !dirty[i] {
			continue
		}
		set := urlset{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
		for _, p := range pages {
			set.URLs = append(set.URLs, b.sitemapURL(locale, p.path, p.lastmod))
		}
		name := sitemapName(locale, i, n)
		if err := b.writeChanged(name, set.encode(b.liveSize(name))); err != nil {
			return err
		}
	}
	return nil
}

// liveSitemaps returns how many sitemaps locale has in the live site if it
// has want of them, else another number.
func (b *build) liveSitemaps(locale string, want int) int {
	exists := func(i int) bool {
		_, err := os.Stat(b.livePath(sitemapName(locale, i, 2)))
		return err == nil
	}
	if want == 1 && exists(0) || want > 1 && (!exists(want-1) || exists(want)) {
		return 0
	}
	return want
}

// removeStaleSitemaps lists in res.Removed the sitemaps of locale that the
// live site has beyond the n it now has.
func (b *build) removeStaleSitemaps(locale string, n int) error {
	if b.live == "" {
		return nil
	}
	names, err := readDirNames(b.livePath(URLLocale(locale)))
	if err != nil {
		return err
	}
	for _, name := range names {
		var i int
		if _, err := fmt.Sscanf(name, "sitemap-%d.xml", &i); err == nil && (n == 1 || i > n) && name == fmt.Sprintf("sitemap-%d.xml", i) {
			b.remove(URLLocale(locale) + "/" + name)
		}
	}
	return nil
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
		if strings.HasPrefix(c.name, contentDir+"/") {
			changed[contentLocale(c.name)] = true
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
// pages in every Update; size is about how many bytes it will take.
func (s *urlset) encode(size int) []byte {
	var buf bytes.Buffer
	if size == 0 && len(s.URLs) > 0 {
		size = len(s.URLs) * 128 * (1 + len(s.URLs[0].Alternates))
	}
	buf.Grow(size)
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, `<urlset xmlns="%s" xmlns:xhtml="%s">`, s.NS, s.XHTML)
	if len(s.URLs) == 0 {
		buf.WriteString("</urlset>\n")
		return buf.Bytes()
	}
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

// liveSize is the size of the file name of the live output, with some
// room to grow: about the size of the file that replaces it. Zero in a
// full build.
func (b *build) liveSize(name string) int {
	if b.live == "" {
		return 0
	}
	info, err := os.Stat(b.livePath(name))
	if err != nil {
		return 0
	}
	return int(info.Size()) + 4096
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
