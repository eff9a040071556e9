package render

import (
	"context"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/templates"
)

// breakingLayouts writes a layout override of the article page that fails
// to render any article whose title contains BREAK, as a user's template
// might trip on unusual data.
func breakingLayouts(t *testing.T) string {
	t.Helper()
	single, err := templates.FS.ReadFile("layouts/articles/single.html")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(single), `{{ define "main" }}`,
		`{{ define "main" }}{{ if in .Title "BREAK" }}{{ int "not a number" }}{{ end }}`, 1)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "articles", "single.html"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// retitle returns site with article id's title in locale set to title.
func retitle(t *testing.T, site *content.Site, id, locale, title string) *content.Site {
	t.Helper()
	next := site.Clone()
	a := *next.Article(id)
	a.Translations = maps.Clone(a.Translations)
	tr := a.Translations[locale]
	tr.Title = title
	a.Translations[locale] = tr
	next.PutArticle(a)
	return next
}

// shownTitle returns the title of article id's page in locale in the
// site in dir, and "" if it has none (redirect pages aside).
func shownTitle(t *testing.T, dir, locale, id string) string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dir, URLLocale(locale), "articles"))
	for _, e := range entries {
		if e.Name() != id && !strings.HasPrefix(e.Name(), id+"-") {
			continue
		}
		page, err := os.ReadFile(filepath.Join(dir, URLLocale(locale), "articles", e.Name(), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if _, h1, ok := strings.Cut(string(page), `<h1 id="article-title">`); ok {
			title, _, _ := strings.Cut(h1, "</h1>")
			return title
		}
	}
	return ""
}

// A page that fails to render is left out and reported; the rest of the
// site is built.
func TestBuildLeavesOutAPageThatFails(t *testing.T) {
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	bad := firstPublished(t, site, "en")
	site = retitle(t, site, bad.ID, "en", "BREAK this page")
	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/",
		LayoutsDir: breakingLayouts(t), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("one failing page failed the build: %v", err)
	}
	want := Skipped{Kind: "article", ID: bad.ID, Locale: "en"}
	if !slices.ContainsFunc(res.Skipped, func(s Skipped) bool {
		return s.Kind == want.Kind && s.ID == want.ID && s.Locale == want.Locale && strings.Contains(s.Reason, "failed to render")
	}) {
		t.Errorf("Skipped = %v, want %s", res.Skipped, want)
	}
	if got := shownTitle(t, out, "en", bad.ID); got != "" {
		t.Errorf("the failing article has a page titled %q", got)
	}
	// Its other locales, and every other article, are published.
	for _, l := range bad.PublishedLocales() {
		if l != "en" && shownTitle(t, out, l, bad.ID) == "" {
			t.Errorf("article %s has no page in %s", bad.ID, l)
		}
	}
	for _, a := range site.Articles {
		if a.ID != bad.ID && a.Translations["en"].Published() && shownTitle(t, out, "en", a.ID) == "" {
			t.Errorf("article %s has no page", a.ID)
		}
	}
}

// On a Live Renderer an article that fails keeps its last good page, later
// changes are applied incrementally without failing again, and fixing the
// article publishes it.
func TestUpdateIsolatesAPageThatFails(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo several times")
	}
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{BaseURL: "https://help.example.com/", Live: true, LayoutsDir: breakingLayouts(t),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	live := filepath.Join(dir, "live")
	if _, err := r.Build(context.Background(), mustPlan(t, r, site), live); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range site.Articles {
		if a.Translations["en"].Published() {
			ids = append(ids, a.ID)
		}
	}
	bad, other, third := ids[0], ids[1], ids[2]
	goodTitle := shownTitle(t, live, "en", bad)
	step := 0
	update := func(next *content.Site) *Result {
		t.Helper()
		step++
		staged := filepath.Join(dir, "staged", string(rune('a'+step)))
		res, err := r.Update(context.Background(), mustPlan(t, r, next), staged, live)
		if err != nil {
			t.Fatalf("update %d: %v", step, err)
		}
		publishUpdate(t, res, staged, live)
		return res
	}

	site = retitle(t, site, bad, "en", "BREAK it")
	site = retitle(t, site, other, "en", "A new title for the other article")
	res := update(site)
	if len(res.Skipped) != 1 || res.Skipped[0].ID != bad {
		t.Fatalf("Skipped = %v, want article %s", res.Skipped, bad)
	}
	if got := shownTitle(t, live, "en", bad); got != goodTitle {
		t.Errorf("the failing article's last good page %q is gone: %q", goodTitle, got)
	}
	if got := shownTitle(t, live, "en", other); got != "A new title for the other article" {
		t.Errorf("the other article's change is not live: %q", got)
	}

	// The broken content is remembered: the next change is incremental.
	site = retitle(t, site, third, "en", "Third article renamed")
	res = update(site)
	if res.Full {
		t.Error("a change after a failure rebuilt the whole site")
	}
	if len(res.Skipped) != 1 {
		t.Errorf("Skipped = %v, want the broken article still", res.Skipped)
	}
	if got := shownTitle(t, live, "en", third); got != "Third article renamed" {
		t.Errorf("the third article's change is not live: %q", got)
	}

	site = retitle(t, site, bad, "en", "Fixed at last")
	res = update(site)
	if len(res.Skipped) != 0 {
		t.Errorf("after the fix Skipped = %v", res.Skipped)
	}
	if got := shownTitle(t, live, "en", bad); got != "Fixed at last" {
		t.Errorf("the fixed article is not live: %q", got)
	}
}

// Ids and locales that are not Intercom's are left out of the plan and
// reported; titles are made safe to show.
func TestPlanRefusesMalformedIDsAndLocales(t *testing.T) {
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	good := firstPublished(t, site, "en")
	tr := good.Translations["en"]
	hostile := []content.Article{
		{ID: "../../escape", Translations: map[string]content.Translation{"en": tr}},
		{ID: "12\x003", Translations: map[string]content.Translation{"en": tr}},
		{ID: strings.Repeat("9", 300), Translations: map[string]content.Translation{"en": tr}},
	}
	for _, a := range hostile {
		site.Articles = append(site.Articles, a)
	}
	good.Translations["../../x"] = tr
	tr.Title = "Tab\tand\x00NUL and a very long title " + strings.Repeat("word ", 200)
	good.Translations["en"] = tr
	site.PutArticle(good)
	site.Sort()
	plan, err := NewPlan(site, Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(plan.Locales(), "../../x") {
		t.Error("a malformed locale is planned")
	}
	for _, a := range hostile {
		if url := plan.ArticleURL(&a, "en"); url != "" {
			t.Errorf("article %q is planned at %s", a.ID, url)
		}
		if !slices.ContainsFunc(plan.Skipped(), func(s Skipped) bool { return s.ID == a.ID }) {
			t.Errorf("article %q is not reported skipped", a.ID)
		}
	}
	ap := plan.byLocale["en"].byArticle[good.ID]
	if title := ap.text.Title; strings.ContainsAny(title, "\t\x00") || len([]rune(title)) > maxTitle || !strings.HasSuffix(title, "…") {
		t.Errorf("title not cleaned: %q", title)
	}
}

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Plain title", "Plain title"},
		{" a\tb\n\nc\x00d ", "a b c d"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"one two three four", "one two…"},
		{"日本語のタイトル", "日本語のタ…"},
	} {
		max := 100
		if strings.Contains(c.want, "…") {
			max = len([]rune(c.want))
		}
		if got := cleanText(c.in, max); got != c.want {
			t.Errorf("cleanText(%q, %d) = %q, want %q", c.in, max, got, c.want)
		}
	}
}

// isClean answers whether cleanText would change a string: every string
// it calls clean comes out of the cleaning unchanged, and every other one
// changes.
func TestIsClean(t *testing.T) {
	for _, c := range []struct {
		in    string
		clean bool
	}{
		{"", true},
		{"Plain title", true},
		{"日本語のタイトル 2", true},
		{"Emoji 🎉 and ü", true},
		{"\uFFFD stays", true},
		{" leading", false},
		{"trailing ", false},
		{"double  space", false},
		{"tab\there", false},
		{"new\nline", false},
		{"del\x7f", false},
		{"nbsp\u00a0here", false},
		{"nel\u0085here", false},
		{"c1\u0090here", false},
		{"line\u2028sep", false},
		{"ideographic\u3000space", false},
		{"bad \xff utf8", false},
		{"truncated \xe6\x97", false},
	} {
		if got := isClean(c.in, 100); got != c.clean {
			t.Errorf("isClean(%q) = %v, want %v", c.in, got, c.clean)
		}
		if cleaned := cleanText(c.in, 100); (cleaned == c.in) != c.clean {
			t.Errorf("cleanText(%q) = %q: clean %v", c.in, cleaned, c.clean)
		}
	}
	if isClean("eleven char", 10) {
		t.Error("a string longer than max is clean")
	}
}
