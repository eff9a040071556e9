package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/content"
)

// A document is what both indexes hold for one article in one locale.
// The JSON names are the bleve field names.
type document struct {
	Title    string   `json:"title"`
	Headings []string `json:"headings"`
	// Body is the whole article as plain text, one block a line: the title
	// on the first line, then the description and the text, headings
	// included. So a word of the title or of a heading matches two fields
	// and one of the text only one, which bleve's coordination rewards (see
	// matchQuery). Snippets come from the text after the first line.
	Body       string   `json:"body"`
	Breadcrumb []string `json:"breadcrumb"`
	URL        string   `json:"url"`
	// Collections holds the ids of the collections the article sits in and
	// of all their ancestors, so that a search can be narrowed to a subtree.
	Collections []string `json:"collections"`
	// Hash identifies the content above, so that Update can skip articles
	// whose document did not change.
	Hash string `json:"hash"`
}

// withHash returns d with its Hash set.
func (d document) withHash() document {
	d.Hash = ""
	b, _ := json.Marshal(d) // a struct of strings always encodes
	sum := sha256.Sum256(b)
	d.Hash = hex.EncodeToString(sum[:16])
	return d
}

// A source derives documents from a site, with the caller's URLs and
// breadcrumbs so that search results agree with the rendered pages.
type source struct {
	site     *content.Site
	opts     Options
	rewriter *articlehtml.Rewriter // for bodyText
}

func newSource(site *content.Site, opts Options) source {
	return source{site: site, opts: opts, rewriter: articlehtml.New(articlehtml.Options{})}
}

// bodyText returns the plain text and the headings of an article body, as
// articlehtml rewrites it.
func (s source) bodyText(body string) (string, []string) {
	res := s.rewriter.Rewrite(body)
	headings := make([]string, len(res.Headings))
	for i, h := range res.Headings {
		headings[i] = h.Text
	}
	return res.Text, headings
}

// oneLine collapses the white space of s into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// document returns the document of article a in locale, and false when the
// translation is missing or not published.
func (s source) document(a *content.Article, locale string) (document, bool) {
	t, ok := a.Translations[locale]
	if !ok || !t.Published() {
		return document{}, false
	}
	text, headings := s.bodyText(t.Body)
	text = strings.Join([]string{oneLine(t.Title), oneLine(t.Description), text}, "\n")
	d := document{
		Title:       t.Title,
		Headings:    headings,
		Body:        text,
		Breadcrumb:  s.breadcrumbOf(a, locale),
		URL:         s.opts.URL(a, locale),
		Collections: s.collections(a),
	}
	return d.withHash(), true
}

// breadcrumbOf returns an article's breadcrumb in locale, from
// Options.Breadcrumb or by default from the site (breadcrumb).
func (s source) breadcrumbOf(a *content.Article, locale string) []string {
	if s.opts.Breadcrumb != nil {
		return s.opts.Breadcrumb(a, locale)
	}
	return s.breadcrumb(a, locale)
}

// documentSource is what the document of a published translation is made
// from (source.documentSource): equal sources make equal documents.
type documentSource struct {
	title, description, body, url string
	breadcrumb, collections       []string
}

func (d *documentSource) equal(o *documentSource) bool {
	// The strings of an unchanged article are the snapshot's, shared from
	// one version to the next: most comparisons are of pointers.
	return d.title == o.title && d.description == o.description && d.body == o.body && d.url == o.url &&
		slices.Equal(d.breadcrumb, o.breadcrumb) && slices.Equal(d.collections, o.collections)
}

// documentSource returns what the document of a published translation is
// made from, without making it.
func (s source) documentSource(a *content.Article, locale string) documentSource {
	t := a.Translations[locale]
	return documentSource{title: t.Title, description: t.Description, body: t.Body, url: s.opts.URL(a, locale),
		breadcrumb: s.breadcrumbOf(a, locale), collections: s.collections(a)}
}

// documents returns the documents of the published articles of locale in
// site order, with their article ids.
func (s source) documents(locale string) (ids []string, docs []document) {
	for i := range s.site.Articles {
		a := &s.site.Articles[i]
		if d, ok := s.document(a, locale); ok {
			ids = append(ids, a.ID)
			docs = append(docs, d)
		}
	}
	return ids, docs
}

// afterTitle returns the part of a document's body after the title line.
func afterTitle(body string) string {
	_, text, _ := strings.Cut(body, "\n")
	return text
}

// ancestors calls yield with the collection id and each of its ancestors',
// nearest first, stopping at a missing collection or a cycle.
func (s source) ancestors(id string, yield func(*content.Collection)) {
	for seen := 0; id != "" && seen <= len(s.site.Collections); seen++ {
		c := s.site.Collection(id)
		if c == nil {
			return
		}
		yield(c)
		id = c.ParentID
	}
}

// breadcrumb is the default Options.Breadcrumb: the names of the article's
// primary collection and its ancestors, top first, in locale (or in the
// collection's default locale when it has no translation).
func (s source) breadcrumb(a *content.Article, locale string) []string {
	if len(a.ParentIDs) == 0 {
		return nil
	}
	var names []string
	s.ancestors(a.ParentIDs[0], func(c *content.Collection) {
		t, ok := c.Translations[locale]
		if !ok {
			t = c.Translations[c.DefaultLocale]
		}
		if t.Name != "" {
			names = append(names, t.Name)
		}
	})
	slices.Reverse(names)
	return names
}

// collections returns the ids of every collection that holds a, directly or
// through a descendant, sorted.
func (s source) collections(a *content.Article) []string {
	var ids []string
	for _, p := range a.ParentIDs {
		s.ancestors(p, func(c *content.Collection) {
			if !slices.Contains(ids, c.ID) {
				ids = append(ids, c.ID)
			}
		})
	}
	slices.Sort(ids)
	return ids
}
