package search

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
)

// ids returns the ids of the articles a query finds.
func ids(t *testing.T, ix *Index, locale, q string) []string {
	t.Helper()
	var out []string
	for _, r := range mustSearch(t, ix, Query{Q: q, Locale: locale, Limit: MaxLimit}).Results {
		out = append(out, r.ID)
	}
	return out
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	site := miniSite()
	ix := buildIndex(t, site)
	staticDir := t.TempDir()
	var static StaticIndexer
	if err := static.WriteFiles(ctx, staticDir, site, nil, testOptions); err != nil {
		t.Fatal(err)
	}

	for _, step := range []struct {
		name        string
		edit        func(s *content.Site)
		ids         []string
		wantChanged []string
		locale, q   string
		wantFound   string // the article q finds after the update, or ""
		wantGone    string // an article q must no longer find
	}{
		{
			name: "no change", edit: func(*content.Site) {}, ids: []string{"2"}, wantChanged: []string{},
			locale: "en", q: "authentication", wantFound: "2",
		},
		{
			name: "new article in a new locale",
			edit: func(s *content.Site) {
				s.Articles = append(s.Articles, content.Article{ID: "5", Translations: map[string]content.Translation{
					"es": {Title: "Cambiar la contraseña", Body: "<p>Abra la configuración.</p>", State: content.Published},
				}})
				s.Sort()
			},
			ids: []string{"5"}, wantChanged: []string{"es"},
			locale: "es", q: "contrasena", wantFound: "5",
		},
		{
			name: "title changed",
			edit: func(s *content.Site) { setTitle(s, "1", "en", "Recover your credentials") },
			ids:  []string{"1"}, wantChanged: []string{"en"},
			locale: "en", q: "credentials", wantFound: "1",
		},
		{
			name: "draft published",
			edit: func(s *content.Site) { setState(s, "4", "en", content.Published) },
			ids:  []string{"4"}, wantChanged: []string{"en"},
			locale: "en", q: "zeppelinfare", wantFound: "4",
		},
		{
			name: "translation unpublished",
			edit: func(s *content.Site) { setState(s, "2", "fr", content.Draft) },
			ids:  []string{"2"}, wantChanged: []string{"fr"},
			locale: "fr", q: "authentification", wantGone: "2",
		},
		{
			name: "collection renamed", // no article changes, their breadcrumbs do
			edit: func(s *content.Site) { s.Collections[1].Translations["en"] = content.GroupText{Name: "Safety"} },
			ids:  []string{"1", "2"}, wantChanged: []string{"en"},
			locale: "en", q: "password", wantFound: "1",
		},
		{
			name: "article deleted",
			edit: func(s *content.Site) {
				s.Articles = slices.DeleteFunc(s.Articles, func(a content.Article) bool { return a.ID == "3" })
			},
			ids: []string{"3"}, wantChanged: []string{"ar", "de", "en", "fr", "ja"},
			locale: "en", q: "invoices", wantGone: "3",
		},
	} {
		before := statStatic(t, staticDir)
		step.edit(site)
		changed, err := ix.Update(ctx, site, step.ids, testOptions)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if changed == nil || !slices.Equal(changed, step.wantChanged) {
			t.Errorf("%s: changed %v, want %v", step.name, changed, step.wantChanged)
		}
		found := ids(t, ix, step.locale, step.q)
		if step.wantFound != "" && !slices.Contains(found, step.wantFound) {
			t.Errorf("%s: %q found %v, want %s", step.name, step.q, found, step.wantFound)
		}
		if step.wantGone != "" && slices.Contains(found, step.wantGone) {
			t.Errorf("%s: %q still finds %s", step.name, step.q, step.wantGone)
		}

		// Only the changed locales' static indexes are rewritten, and they
		// equal a full rebuild by a new StaticIndexer.
		if err := static.WriteFiles(ctx, staticDir, site, changed, testOptions); err != nil {
			t.Fatal(err)
		}
		full := t.TempDir()
		if err := WriteStaticFiles(ctx, full, site, nil, testOptions); err != nil {
			t.Fatal(err)
		}
		for name, info := range statStatic(t, staticDir) {
			locale := strings.TrimSuffix(strings.TrimPrefix(name, "search-"), ".js")
			if !os.SameFile(info, before[name]) && !slices.Contains(changed, locale) {
				t.Errorf("%s: %s was rewritten", step.name, name)
			}
			got, err := os.ReadFile(filepath.Join(staticDir, name))
			if err != nil {
				t.Fatal(err)
			}
			if want, err := os.ReadFile(filepath.Join(full, name)); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s differs from a full rebuild (%v)", step.name, name, err)
			}
		}
	}
}

func setTitle(s *content.Site, id, locale, title string) {
	a := s.Article(id)
	t := a.Translations[locale]
	t.Title = title
	a.Translations[locale] = t
}

func setState(s *content.Site, id, locale string, state content.State) {
	a := s.Article(id)
	t := a.Translations[locale]
	t.State = state
	a.Translations[locale] = t
}

// statStatic describes the files of a static search directory by name.
func statStatic(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]os.FileInfo{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = info
	}
	return files
}
