package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/render"
)

func site(published ...string) *content.Site {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &content.Site{
		HelpCenters: []content.HelpCenter{{ID: "1", DisplayName: "Help"}},
		Collections: []content.Collection{{ID: "10", DefaultLocale: "en", Translations: map[string]content.GroupText{"en": {Name: "Billing"}}}},
	}
	for _, id := range []string{"100", "101"} {
		state := content.Draft
		for _, p := range published {
			if p == id {
				state = content.Published
			}
		}
		s.Articles = append(s.Articles, content.Article{ID: id, ParentIDs: []string{"10"}, DefaultLocale: "en", Translations: map[string]content.Translation{
			"en": {Title: "Article " + id, State: state, CreatedAt: at, UpdatedAt: at},
		}})
	}
	return s
}

func TestRetiredPagesRedirectToTheirCollection(t *testing.T) {
	p, err := New(render.Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(s *content.Site) *render.Plan {
		t.Helper()
		pl, err := p.Plan(s)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	r := Retired{}
	before, after := plan(site("100", "101")), plan(site("100"))
	r.Track(before, after)
	if _, ok := r["/en/articles/101-article-101/"]; !ok || len(r) != 2 {
		t.Fatalf("retired %v, want the page and bare URL of article 101", r)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := p.Build(t.Context(), after, dir, r); err != nil {
		t.Fatal(err)
	}
	redirects, _ := os.ReadFile(filepath.Join(dir, "_redirects"))
	for _, want := range []string{
		"/en/articles/101-article-101/ /en/collections/10-billing/ 301",
		"/en/articles/101/ /en/collections/10-billing/ 301",
	} {
		if !strings.Contains(string(redirects), want) {
			t.Errorf("_redirects lacks %q:\n%s", want, redirects)
		}
	}
	// Published again: no longer retired.
	r.Track(after, before)
	if len(r) != 0 {
		t.Errorf("retired after republishing: %v", r)
	}
}

func TestInsertRedirectsBeforeSplats(t *testing.T) {
	file := filepath.Join(t.TempDir(), "_redirects")
	if err := os.WriteFile(file, []byte("# c\n/a /b 301\n/ /en/ 302\n/pt-br/* /pt-BR/:splat 301\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := insertRedirects(file, "/old /en/c/ 301\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if want := "# c\n/a /b 301\n/ /en/ 302\n/old /en/c/ 301\n/pt-br/* /pt-BR/:splat 301\n"; string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
