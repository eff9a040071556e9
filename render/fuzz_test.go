package render

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/helpsite/helpsite/internal/content"
)

// FuzzPlanPaths checks the step from content to page paths: whatever ids,
// locales, titles, names and Intercom URLs the API sends, every page the
// plan makes lies below its locale's folder, in path components that are
// neither empty, ".", ".." nor near the file system's 255-byte limit, with
// no separator, control character or invalid UTF-8 in them.
func FuzzPlanPaths(f *testing.F) {
	f.Add("123", "en", "Reset your password", "https://intercom.help/acme/en/articles/123-reset-your-password", "45", "Getting started")
	f.Add("../../x", "pt-BR", "Título", "", "46", "Coleção")
	f.Add("12\x0034", "../../etc", strings.Repeat("Long title ", 60), "https://x/en/articles/12-..%2F..%2Fx", "/abs", "\x00name")
	f.Add("9", "zh-CN", "如何创建自定义 skills", "https://x/zh-CN/articles/9-"+strings.Repeat("長", 200), "47", "名前")
	f.Add(strings.Repeat("7", 300), "en\nX", "a\u202eb", "https://x/en/articles/7-a/b", "48", "..")
	f.Fuzz(func(t *testing.T, id, locale, title, url, collectionID, collectionName string) {
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		site := &content.Site{
			Collections: []content.Collection{{ID: collectionID, DefaultLocale: locale, URL: url,
				Translations: map[string]content.GroupText{locale: {Name: collectionName}}}},
			Articles: []content.Article{
				{ID: id, ParentIDs: []string{collectionID}, DefaultLocale: locale,
					Translations: map[string]content.Translation{locale: {Title: title, URL: url, State: content.Published, UpdatedAt: now}}},
				{ID: "1", DefaultLocale: "en", // a good article, so that the plan has a locale
					Translations: map[string]content.Translation{"en": {Title: "Good", State: content.Published, UpdatedAt: now}}},
			},
		}
		site.Sort()
		plan, err := NewPlan(site, Options{BaseURL: "https://help.example.com/"})
		if err != nil {
			t.Fatalf("a site with a good article has no plan: %v", err)
		}
		for _, l := range plan.Locales() {
			if !content.ValidLocale(l) {
				t.Fatalf("locale %q is planned", l)
			}
			lp := plan.byLocale[l]
			for _, ap := range lp.articles {
				checkPagePath(t, l, ap.url())
				checkPagePath(t, l, pageURL(l, ap.source()))
			}
			for _, cp := range lp.collections {
				checkPagePath(t, l, cp.url())
				checkPagePath(t, l, pageURL(l, cp.printPath()))
			}
		}
	})
}

func checkPagePath(t *testing.T, locale, url string) {
	t.Helper()
	rest, ok := strings.CutPrefix(url, "/"+URLLocale(locale)+"/")
	if !ok || !strings.HasSuffix(rest, "/") {
		t.Fatalf("page %q is not a folder below its locale %q", url, locale)
	}
	for _, part := range strings.Split(strings.TrimSuffix(rest, "/"), "/") {
		if part == "" || part == "." || part == ".." || len(part) > 200 || !utf8.ValidString(part) ||
			strings.ContainsAny(part, `\`) || strings.ContainsFunc(part, unicode.IsControl) {
			t.Fatalf("page %q has the path component %q", url, part)
		}
	}
}
