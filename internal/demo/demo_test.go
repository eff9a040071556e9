package demo

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"github.com/helpsite/helpsite/internal/content"
)

const (
	host = "https://help.northwind.example"
	// brokenLinkTarget is a deleted article that the dispute article still
	// links to, so that the renderer's link warnings have something to report.
	brokenLinkTarget = "8096517"
)

var (
	allLocales     = []string{"en", "fr", "de", "ja", "ar"}
	helpCenterIDRe = regexp.MustCompile(`^\d{5,6}$`)
	intercomIDRe   = regexp.MustCompile(`^\d{7}$`)
	authorIDRe     = regexp.MustCompile(`^\d+$`)
	slugRe         = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	nonSlugRe      = regexp.MustCompile(`[^a-z0-9]+`)
	headingIDRe    = regexp.MustCompile(`^h_[0-9a-f]{10}$`)
	imageRe        = regexp.MustCompile(`^https://downloads\.intercomcdn\.com/i/o/\d{7}/[0-9a-f]{10}/[a-z0-9-]+-[1-9]\d*x[1-9]\d*\.png$`)
	videoRe        = regexp.MustCompile(`^https://(www\.youtube\.com/embed|player\.vimeo\.com/video|www\.loom\.com/embed|fast\.wistia\.net/embed/iframe)/[A-Za-z0-9]+$`)
	articleLinkRe  = regexp.MustCompile(`^` + regexp.QuoteMeta(host) + `/([a-z]{2})/articles/(\d+)(?:-([a-z0-9-]+))?(?:#(h_[0-9a-f]{10}))?$`)
	collectionRe   = regexp.MustCompile(`^` + regexp.QuoteMeta(host) + `/([a-z]{2})/collections/(\d+)-[a-z0-9]+(?:-[a-z0-9]+)*$`)
	calloutRe      = regexp.MustCompile(`background-color: (#[0-9a-f]{8})`)
	// calloutColours are the backgrounds of Intercom's five callout styles.
	calloutColours = []string{"#e3e7fa80", "#feedaf80", "#d7efdc80", "#fed9db80", "#e8e8e8b3"}
	// blockElements are the elements a translation keeps from the original;
	// inline markup such as <b> may differ between languages.
	blockElements = []string{"div", "ul", "ol", "li", "table", "tr", "td", "pre", "details", "summary", "hr"}
)

func loadSite(t *testing.T) *content.Site {
	t.Helper()
	s, err := Site()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSiteHelpCenter(t *testing.T) {
	s := loadSite(t)
	if s.APIVersion != "" || !s.SyncedAt.IsZero() {
		t.Errorf("APIVersion = %q, SyncedAt = %v; want both unset", s.APIVersion, s.SyncedAt)
	}
	if len(s.HelpCenters) != 1 {
		t.Fatalf("%d help centers, want 1", len(s.HelpCenters))
	}
	hc := s.HelpCenters[0]
	if !helpCenterIDRe.MatchString(hc.ID) || hc.Identifier == "" || hc.DisplayName == "" {
		t.Errorf("help center id %q, identifier %q, display name %q", hc.ID, hc.Identifier, hc.DisplayName)
	}
	if hc.URL != host || !hc.WebsiteTurnedOn || !hc.Default {
		t.Errorf("help center url %q, website_turned_on %v, default %v", hc.URL, hc.WebsiteTurnedOn, hc.Default)
	}
	if !slices.Equal(hc.Locales, allLocales) {
		t.Errorf("locales %v, want %v", hc.Locales, allLocales)
	}
	checkTime(t, "help center", hc.CreatedAt, hc.UpdatedAt)
}

func TestSiteCollections(t *testing.T) {
	s := loadSite(t)
	maxDepth := 0
	siblingOrders := make(map[string][]int)
	for _, c := range s.Collections {
		if !intercomIDRe.MatchString(c.ID) {
			t.Errorf("collection id %q is not 7 digits", c.ID)
		}
		if c.ParentID == "" && (c.Icon == "" || c.Order < 1) {
			t.Errorf("top-level collection %s: icon %q, order %d", c.ID, c.Icon, c.Order)
		}
		if !slices.Equal(slices.Sorted(maps.Keys(c.Translations)), slices.Sorted(slices.Values(allLocales))) {
			t.Errorf("collection %s is translated into %v", c.ID, slices.Sorted(maps.Keys(c.Translations)))
		}
		if slices.Contains(siblingOrders[c.ParentID], c.Order) {
			t.Errorf("collection %s: order %d is taken by a sibling", c.ID, c.Order)
		}
		siblingOrders[c.ParentID] = append(siblingOrders[c.ParentID], c.Order)
		maxDepth = max(maxDepth, depth(s, c))
		checkTime(t, "collection "+c.ID, c.CreatedAt, c.UpdatedAt)
	}
	if maxDepth != 3 {
		t.Errorf("collection tree is %d levels deep, want 3", maxDepth)
	}
}

// depth is 1 for a top-level collection.
func depth(s *content.Site, c content.Collection) int {
	d := 1
	for p := s.Collection(c.ParentID); p != nil; p = s.Collection(p.ParentID) {
		d++
	}
	return d
}

func TestSiteArticles(t *testing.T) {
	s := loadSite(t)
	if n := len(s.Articles); n < 28 || n > 32 {
		t.Errorf("%d articles, want 28 to 32", n)
	}
	var allFive, threeOnly, multiParent, mixed int
	var drafts []content.Article
	titles := make(map[string]map[string]string) // locale → title → article
	for _, a := range s.Articles {
		if !intercomIDRe.MatchString(a.ID) || a.DefaultLocale != "en" {
			t.Errorf("article id %q, default locale %q", a.ID, a.DefaultLocale)
		}
		en := a.Translations["en"]
		if !a.CreatedAt.Equal(en.CreatedAt) || !a.UpdatedAt.Equal(en.UpdatedAt) {
			t.Errorf("article %s: top-level times %v, %v differ from en's", a.ID, a.CreatedAt, a.UpdatedAt)
		}
		switch locales := slices.Sorted(maps.Keys(a.Translations)); {
		case len(locales) == 5:
			allFive++
		case slices.Equal(locales, []string{"de", "en", "fr"}):
			threeOnly++
		default:
			t.Errorf("article %s is in %v, want all five locales or en, fr, de", a.ID, locales)
		}
		if len(a.ParentIDs) > 1 {
			multiParent++
		}
		switch published := a.PublishedLocales(); {
		case len(published) == 0:
			drafts = append(drafts, a)
		case len(published) < len(a.Translations) && en.Published():
			mixed++
		}
		for l, tr := range a.Translations {
			if titles[l] == nil {
				titles[l] = make(map[string]string)
			}
			if other, ok := titles[l][tr.Title]; ok {
				t.Errorf("articles %s and %s share the %s title %q", other, a.ID, l, tr.Title)
			}
			titles[l][tr.Title] = a.ID
			checkTranslation(t, a, l)
		}
	}
	if allFive <= threeOnly || threeOnly == 0 {
		t.Errorf("%d articles in all five locales and %d in en, fr, de only; want most in five, a few in three", allFive, threeOnly)
	}
	if multiParent == 0 {
		t.Error("no article is in two collections")
	}
	if mixed == 0 {
		t.Error("no published article has a draft translation")
	}
	if len(drafts) != 1 {
		t.Fatalf("%d articles are drafts in every locale, want 1", len(drafts))
	}
	if words := draftOnlyWords(s, drafts[0]); len(words) == 0 {
		t.Errorf("no word of draft article %s's titles is absent from the published articles", drafts[0].ID)
	}
}

// checkTranslation checks the ids, times and public URL of one translation.
func checkTranslation(t *testing.T, a content.Article, locale string) {
	t.Helper()
	tr := a.Translations[locale]
	where := fmt.Sprintf("article %s (%s)", a.ID, locale)
	if !authorIDRe.MatchString(tr.AuthorID) {
		t.Errorf("%s: author id %q", where, tr.AuthorID)
	}
	if tr.Title == "" || tr.Description == "" {
		t.Errorf("%s: title %q, description %q", where, tr.Title, tr.Description)
	}
	checkTime(t, where, tr.CreatedAt, tr.UpdatedAt)
	if !tr.Published() {
		if tr.State != content.Draft || tr.URL != "" {
			t.Errorf("%s: state %q with url %q, want a draft without url", where, tr.State, tr.URL)
		}
		return
	}
	prefix := fmt.Sprintf("%s/%s/articles/%s-", host, locale, a.ID)
	slug, ok := strings.CutPrefix(tr.URL, prefix)
	if !ok || !slugRe.MatchString(slug) {
		t.Errorf("%s: url %q, want %s<slug>", where, tr.URL, prefix)
	}
	// Intercom slugs ja and ar URLs from the English title.
	wantFrom := map[string]string{"en": "en", "ja": "en", "ar": "en"}[locale]
	if wantFrom != "" && slug != asciiSlug(a.Translations[wantFrom].Title) {
		t.Errorf("%s: slug %q, want %q", where, slug, asciiSlug(a.Translations[wantFrom].Title))
	}
}

// asciiSlug is Intercom's slug for an ASCII title.
func asciiSlug(title string) string {
	return strings.Trim(nonSlugRe.ReplaceAllString(strings.ToLower(title), "-"), "-")
}

// checkTime checks that created ≤ updated, both in 2024–2026, UTC, whole seconds.
func checkTime(t *testing.T, where string, created, updated time.Time) {
	t.Helper()
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tm := range []time.Time{created, updated} {
		if tm.Before(from) || !tm.Before(to) || tm.Location() != time.UTC || tm.Nanosecond() != 0 {
			t.Errorf("%s: time %v, want UTC whole seconds in 2024–2026", where, tm)
		}
	}
	if updated.Before(created) {
		t.Errorf("%s: updated %v before created %v", where, updated, created)
	}
}

// draftOnlyWords returns the words of draft's titles that no published
// translation uses in its title, description or body.
func draftOnlyWords(s *content.Site, draft content.Article) []string {
	var published strings.Builder
	for _, a := range s.Articles {
		for _, tr := range a.Translations {
			if tr.Published() {
				fmt.Fprintln(&published, tr.Title, tr.Description, tr.Body)
			}
		}
	}
	text := strings.ToLower(published.String())
	var words []string
	for _, tr := range draft.Translations {
		for w := range strings.FieldsFuncSeq(strings.ToLower(tr.Title), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
			if len(w) >= 4 && !strings.Contains(text, w) && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	return words
}

// body is what the tests check in one translation's HTML.
type body struct {
	words    int
	headings []string // ids
	images   []string
	videos   []string
	links    []string
	callouts []string       // background colours
	blocks   map[string]int // blockElements → count
}

// parseBody checks that src is balanced HTML in Intercom's editor style and
// summarizes it.
func parseBody(t *testing.T, where, src string) body {
	t.Helper()
	if err := balanced(src); err != nil {
		t.Errorf("%s: %v", where, err)
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	b := body{blocks: make(map[string]int)}
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.TextNode:
			b.words += len(strings.Fields(n.Data))
		case n.Type != html.ElementNode:
		case n.Data == "h2" || n.Data == "h3":
			if id := attr(n, "id"); !headingIDRe.MatchString(id) {
				t.Errorf("%s: heading id %q", where, id)
			}
			b.headings = append(b.headings, attr(n, "id"))
		case n.Data == "p":
			if attr(n, "class") != "no-margin" {
				t.Errorf("%s: <p> without class no-margin", where)
			}
		case n.Data == "img":
			if !imageRe.MatchString(attr(n, "src")) || attr(n.Parent, "class") != "intercom-container" {
				t.Errorf("%s: image %q outside the canonical form", where, attr(n, "src"))
			}
			b.images = append(b.images, attr(n, "src"))
		case n.Data == "iframe":
			if !videoRe.MatchString(attr(n, "src")) || attr(n.Parent, "class") != "intercom-h2b-video" {
				t.Errorf("%s: video %q is not a YouTube, Vimeo, Loom or Wistia embed", where, attr(n, "src"))
			}
			b.videos = append(b.videos, attr(n, "src"))
		case n.Data == "a":
			b.links = append(b.links, attr(n, "href"))
		case n.Data == "div" && attr(n, "class") == "intercom-interblocks-callout":
			m := calloutRe.FindStringSubmatch(attr(n, "style"))
			if m == nil {
				t.Errorf("%s: callout style %q", where, attr(n, "style"))
				continue
			}
			b.callouts = append(b.callouts, m[1])
		case slices.Contains(blockElements, n.Data):
			b.blocks[n.Data]++
		}
	}
	return b
}

// balanced reports the first start tag without its end tag, or the reverse.
func balanced(src string) error {
	void := []string{"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
	var open []string
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return z.Err()
			}
			if len(open) > 0 {
				return fmt.Errorf("<%s> is never closed", open[len(open)-1])
			}
			return nil
		case html.StartTagToken:
			if name, _ := z.TagName(); !slices.Contains(void, string(name)) {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				return fmt.Errorf("</%s> closes nothing open (open: %v)", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestSiteBodies(t *testing.T) {
	s := loadSite(t)
	var total body
	total.blocks = make(map[string]int)
	for _, a := range s.Articles {
		en := parseBody(t, "article "+a.ID+" (en)", a.Translations["en"].Body)
		if en.words < 150 || en.words > 700 {
			t.Errorf("article %s (en): %d words, want 150 to 700", a.ID, en.words)
		}
		for l, tr := range a.Translations {
			if l == "en" {
				continue
			}
			b := parseBody(t, fmt.Sprintf("article %s (%s)", a.ID, l), tr.Body)
			if diff := sameStructure(en, b); diff != "" {
				t.Errorf("article %s (%s) differs from en: %s", a.ID, l, diff)
			}
		}
		total.images = append(total.images, en.images...)
		total.videos = append(total.videos, en.videos...)
		total.links = append(total.links, en.links...)
		total.callouts = append(total.callouts, en.callouts...)
		for k, v := range en.blocks {
			total.blocks[k] += v
		}
	}
	for _, want := range []struct {
		what string
		got  int
		min  int
	}{
		{"images", len(total.images), 12},
		{"videos", len(total.videos), 3},
		{"links", len(total.links), 15},
		{"tables", total.blocks["table"], 3},
		{"code blocks", total.blocks["pre"], 4},
		{"accordions", total.blocks["details"], 2},
		{"lists", total.blocks["ul"] + total.blocks["ol"], 10},
		{"rules", total.blocks["hr"], 1},
	} {
		if want.got < want.min {
			t.Errorf("English bodies have %d %s, want at least %d", want.got, want.what, want.min)
		}
	}
	for _, c := range calloutColours {
		if !slices.Contains(total.callouts, c) {
			t.Errorf("no callout with background %s", c)
		}
	}
}

// sameStructure describes how a translation's body differs from the English
// one in what must not change with the language: images, videos, headings,
// callouts, block elements and the articles and collections linked to.
func sameStructure(en, tr body) string {
	switch {
	case !slices.Equal(en.images, tr.images):
		return fmt.Sprintf("images %v, want %v", tr.images, en.images)
	case !slices.Equal(en.videos, tr.videos):
		return fmt.Sprintf("videos %v, want %v", tr.videos, en.videos)
	case !slices.Equal(en.headings, tr.headings):
		return fmt.Sprintf("heading ids %v, want %v", tr.headings, en.headings)
	case !slices.Equal(en.callouts, tr.callouts):
		return fmt.Sprintf("callouts %v, want %v", tr.callouts, en.callouts)
	case !maps.Equal(en.blocks, tr.blocks):
		return fmt.Sprintf("elements %v, want %v", tr.blocks, en.blocks)
	case !slices.Equal(linkTargets(en.links), linkTargets(tr.links)):
		return fmt.Sprintf("links to %v, want %v", linkTargets(tr.links), linkTargets(en.links))
	}
	return ""
}

// linkTargets returns the help center links with their locale and slug
// removed, so that links in different languages compare equal.
func linkTargets(links []string) []string {
	var targets []string
	for _, l := range links {
		if m := articleLinkRe.FindStringSubmatch(l); m != nil {
			targets = append(targets, "article "+m[2]+"#"+m[4])
		} else if m := collectionRe.FindStringSubmatch(l); m != nil {
			targets = append(targets, "collection "+m[2])
		} else {
			targets = append(targets, l)
		}
	}
	return targets
}

func TestSiteLinks(t *testing.T) {
	s := loadSite(t)
	locales := s.HelpCenters[0].Locales
	var toDraft, toMissing, withoutSlug, toCollection, withAnchor int
	for _, a := range s.Articles {
		for l, tr := range a.Translations {
			where := fmt.Sprintf("article %s (%s)", a.ID, l)
			for _, href := range parseBody(t, where, tr.Body).links {
				if m := collectionRe.FindStringSubmatch(href); m != nil {
					toCollection++
					if !slices.Contains(locales, m[1]) || s.Collection(m[2]) == nil {
						t.Errorf("%s: link to %s: no such collection or locale", where, href)
					}
					continue
				}
				m := articleLinkRe.FindStringSubmatch(href)
				if m == nil {
					t.Errorf("%s: link %q is not to an article or collection of the help center", where, href)
					continue
				}
				locale, id, slug, anchor := m[1], m[2], m[3], m[4]
				if slug == "" {
					withoutSlug++
				}
				target := s.Article(id)
				switch {
				case id == brokenLinkTarget:
					toMissing++
					if target != nil {
						t.Errorf("%s: deliberately broken link %s leads to an article", where, href)
					}
				case target == nil:
					t.Errorf("%s: link to %s: no such article", where, href)
				case len(target.PublishedLocales()) == 0:
					toDraft++
				case !target.Translations[locale].Published():
					t.Errorf("%s: link to %s: article %s is not published in %q", where, href, id, locale)
				case anchor != "" && !strings.Contains(target.Translations[locale].Body, `id="`+anchor+`"`):
					t.Errorf("%s: link to %s: no heading %s in the target", where, href, anchor)
				case anchor != "":
					withAnchor++
				}
			}
		}
	}
	for what, n := range map[string]int{
		"to the draft article":   toDraft,
		"to a missing article":   toMissing,
		"without a slug":         withoutSlug,
		"to a collection":        toCollection,
		"to a heading of a page": withAnchor,
	} {
		if n == 0 {
			t.Errorf("no link %s", what)
		}
	}
}

func TestSiteRightToLeft(t *testing.T) {
	s := loadSite(t)
	n := 0
	for _, a := range s.Articles {
		if a.Translations["ar"].Published() {
			n++
		}
	}
	if n < len(s.Articles)/2 {
		t.Errorf("%d of %d articles are published in Arabic, want most", n, len(s.Articles))
	}
}

// minimalFS is a valid help center with one collection and one article in
// English and French.
func minimalFS() fstest.MapFS {
	return fstest.MapFS{
		"helpcenter.json": {Data: []byte(`{
			"help_centers": [{"id": "12345", "identifier": "acme", "display_name": "Acme", "website_turned_on": true,
				"locales": ["en", "fr"], "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z"}],
			"collections": [{"id": "2000001", "help_center_id": "12345", "order": 1,
				"translations": {"en": {"name": "Start", "description": "Begin here"}, "fr": {"name": "Début", "description": "Commencez ici"}},
				"created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z"}]}`)},
		"articles/3000001/article.json": {Data: []byte(`{"id": "3000001", "parent_ids": ["2000001"], "default_locale": "en",
			"translations": {
				"en": {"title": "Hello", "state": "published", "created_at": "2024-02-01T00:00:00Z", "updated_at": "2024-03-01T00:00:00Z"},
				"fr": {"title": "Bonjour", "state": "draft", "created_at": "2024-02-02T00:00:00Z", "updated_at": "2024-03-02T00:00:00Z"}}}`)},
		"articles/3000001/en.html": {Data: []byte("<p class=\"no-margin\">Hello</p>\n")},
		"articles/3000001/fr.html": {Data: []byte("<p class=\"no-margin\">Bonjour</p>\n")},
	}
}

func TestLoadMinimal(t *testing.T) {
	s, err := load(minimalFS())
	if err != nil {
		t.Fatal(err)
	}
	a := s.Article("3000001")
	if a == nil || len(s.Collections) != 1 || len(s.HelpCenters) != 1 {
		t.Fatalf("loaded %d help centers, %d collections, article %v", len(s.HelpCenters), len(s.Collections), a)
	}
	if got := a.Translations["fr"].Body; got != `<p class="no-margin">Bonjour</p>` {
		t.Errorf("fr body %q", got)
	}
	if want := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC); !a.UpdatedAt.Equal(want) || !a.CreatedAt.Equal(a.Translations["en"].CreatedAt) {
		t.Errorf("article times %v, %v; want the en translation's", a.CreatedAt, a.UpdatedAt)
	}
}

func TestLoadRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"missing article parent", replace("articles/3000001/article.json", `["2000001"]`, `["2999999"]`), "parent collection 2999999 does not exist"},
		{"missing collection parent", replace("helpcenter.json", `"order": 1`, `"order": 1, "parent_id": "2999999"`), "parent 2999999 does not exist"},
		{"collection parent cycle", replace("helpcenter.json", `"order": 1`, `"order": 1, "parent_id": "2000001"`), "cycle"},
		{"unknown help center", replace("helpcenter.json", `"help_center_id": "12345"`, `"help_center_id": "99999"`), `help center "99999" does not exist`},
		{"untranslated collection", replace("helpcenter.json", `"fr": {"name": "Début", "description": "Commencez ici"}`, `"de": {"name": "Anfang", "description": "Hier beginnen"}`), `no name or description in locale "fr"`},
		{"locale outside the help center", func(m fstest.MapFS) {
			replace("articles/3000001/article.json", `"fr": {`, `"ja": {`)(m)
			m["articles/3000001/ja.html"] = m["articles/3000001/fr.html"]
			delete(m, "articles/3000001/fr.html")
		}, `locale "ja" is not one of its help center's`},
		{"missing body", func(m fstest.MapFS) { delete(m, "articles/3000001/fr.html") }, `translation "fr" has no body`},
		{"empty body", func(m fstest.MapFS) { m["articles/3000001/fr.html"] = &fstest.MapFile{Data: []byte("\n")} }, `translation "fr" has no body`},
		{"stray body", func(m fstest.MapFS) { m["articles/3000001/de.html"] = m["articles/3000001/fr.html"] }, "de.html is not the body"},
		{"body in article.json", replace("articles/3000001/article.json", `"title": "Hello",`, `"title": "Hello", "body": "<p>Hi</p>",`), "belongs in en.html"},
		{"misspelt field", replace("articles/3000001/article.json", `"title": "Hello"`, `"titel": "Hello"`), "unknown field"},
		{"id and directory differ", replace("articles/3000001/article.json", `"id": "3000001"`, `"id": "3000002"`), "does not match its directory"},
		{"no default translation", replace("articles/3000001/article.json", `"default_locale": "en"`, `"default_locale": "de"`), `no translation in its default locale "de"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := minimalFS()
			tc.change(fsys)
			_, err := load(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("load: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// replace returns a change that replaces old, which must occur, in a file.
func replace(name, old, new string) func(fstest.MapFS) {
	return func(m fstest.MapFS) {
		data := string(m[name].Data)
		if !strings.Contains(data, old) {
			panic(fmt.Sprintf("%s does not contain %q", name, old))
		}
		m[name] = &fstest.MapFile{Data: []byte(strings.Replace(data, old, new, 1))}
	}
}
