package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/fakeintercom"
)

func TestIsArticleFile(t *testing.T) {
	for name, want := range map[string]bool{
		contentFile("en", "articles/123"):          true,
		contentFile("pt-BR", "articles/9"):         true,
		contentFile("en", "collections/123"):       false,
		"content/en/articles/_index.html":          false,
		"content/en/articles/123/extra/index.html": false,
		"content/en/articles//index.html":          false,
		"layouts/articles/123/index.html":          false,
		"content/en/search/index.html":             false,
	} {
		if got := isArticleFile(name); got != want {
			t.Errorf("isArticleFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestSitePageKey(t *testing.T) {
	type want struct {
		locale string
		key    pageKey
	}
	for p, w := range map[string]want{
		"/en/articles/123-reset-your-password/": {"en", pageKey{kind: "article", id: "123"}},
		"/pt-br/articles/123/":                  {"pt-br", pageKey{kind: "article", id: "123"}},
		"/en/collections/45-billing/":           {"en", pageKey{kind: "collection", id: "45"}},
		"/en/collections/45-billing/print/":     {"en", pageKey{kind: "collection", id: "45"}},
		"/en/":                                  {"en", pageKey{}},
		"/en/search/":                           {"en", pageKey{}},
		"/":                                     {"", pageKey{}},
		"/en/articles/":                         {"en", pageKey{}},
		"/docs/articles/7-x/":                   {"docs", pageKey{kind: "article", id: "7"}}, // whatever the locale: a new locale replans all
	} {
		if locale, key := sitePageKey(p); locale != w.locale || key != w.key {
			t.Errorf("sitePageKey(%q) = %q, %+v, want %q, %+v", p, locale, key, w.locale, w.key)
		}
	}
}

// pageKind finds every page of a plan by its URL, and nothing else.
func TestPageKind(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 60, Locales: []string{"en", "fr", "pt-BR"}, Seed: 3})
	plan, err := NewPlan(site, Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	b := &build{plan: plan}
	articles, collections := 0, 0
	for _, l := range plan.locales {
		lp := plan.byLocale[l]
		for _, ap := range lp.articles {
			articles++
			if got := b.pageKind(ap.url()); got != "article" {
				t.Errorf("pageKind(%q) = %q, want article", ap.url(), got)
			}
			for _, other := range []string{pageURL(l, ArticlePath(ap.article.ID, "")), pageURL(l, ArticlePath(ap.article.ID, ap.slug+"-x")), strings.TrimSuffix(ap.url(), "/")} {
				if got := b.pageKind(other); got != "" {
					t.Errorf("pageKind(%q) = %q, want none: the page is at %s", other, got, ap.url())
				}
			}
		}
		for _, cp := range lp.collections {
			collections++
			if got := b.pageKind(cp.url()); got != "collection" {
				t.Errorf("pageKind(%q) = %q, want collection", cp.url(), got)
			}
		}
		if got := b.pageKind(plan.HomeURL(l)); got != "" {
			t.Errorf("pageKind(%q) = %q, want none", plan.HomeURL(l), got)
		}
	}
	if articles == 0 || collections == 0 {
		t.Fatalf("the plan has %d article and %d collection pages", articles, collections)
	}
}

// Merging sorted redirects into sorted redirects gives what sorting them
// all does, whatever their lengths and the room the first has.
func TestMergeRedirects(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	entries := func(n int) []redirectEntry {
		es := make([]redirectEntry, n)
		for i := range es {
			p := fmt.Sprintf("/en/articles/%d/", rng.IntN(20))
			es[i] = redirectEntry{redirect: redirect{from: p, escaped: p, to: fmt.Sprintf("/en/articles/%d-x/", rng.IntN(3))}}
		}
		slices.SortFunc(es, compareRedirects)
		return es
	}
	for range 200 {
		a, b := entries(rng.IntN(12)), entries(rng.IntN(12))
		a = slices.Grow(a, rng.IntN(4))
		want := slices.SortedFunc(slices.Values(slices.Concat(a, b)), compareRedirects)
		if got := mergeRedirects(a, b); !slices.Equal(got, want) {
			t.Fatalf("mergeRedirects(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}

// The nginx map quotes what nginx strings must escape, and lists a path
// with and without its final slash.
func TestNginxMapQuotes(t *testing.T) {
	rs := []*redirect{
		{from: `/a"b\c/`, to: `/en/articles/1-x/`},
		{from: "/en/articles/2-old", to: "/en/articles/2-new/", plain: true},
	}
	got := string(nginxMap(nil, &Plan{}, rs))
	for _, want := range []string{
		`"/a\"b\\c" "/en/articles/1-x/";` + "\n",
		`"/a\"b\\c/" "/en/articles/1-x/";` + "\n",
		`"/en/articles/2-old" "/en/articles/2-new/";` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("nginx map lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n\""); n != 3 {
		t.Errorf("nginx map has %d entries, want 3:\n%s", n, got)
	}
}
