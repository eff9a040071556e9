package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
)

var testLocales = []string{"en", "fr", "de", "ja", "ar"}

// buildIndex builds the bleve index of site in a temporary directory.
func buildIndex(t testing.TB, site *content.Site) *Index {
	t.Helper()
	ix, err := Build(context.Background(), t.TempDir(), site, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// bleveEngine runs queries on ix.
func bleveEngine(ix *Index) engine {
	return func(t *testing.T, queries []Query) []*Results {
		t.Helper()
		var out []*Results
		for _, q := range queries {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			out = append(out, res)
		}
		return out
	}
}

func TestRelevanceMiniSite(t *testing.T) {
	checkRelevance(t, bleveEngine(buildIndex(t, miniSite())), miniCases)
}

func TestRelevanceGenerated(t *testing.T) {
	site := generatedSite(300, testLocales, 7)
	checkRelevance(t, bleveEngine(buildIndex(t, site)), append(titleCases(site, testLocales, 40), draftCases(draftWords)...))
}

func mustSearch(t *testing.T, ix *Index, q Query) *Results {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	return res
}

func TestResultFields(t *testing.T) {
	ix := buildIndex(t, miniSite())
	res := mustSearch(t, ix, Query{Q: "pasword", Locale: "en"})
	if res.Total != 1 || len(res.Results) != 1 {
		t.Fatalf("pasword: %+v, want article 1 alone", res)
	}
	r := res.Results[0]
	want := Result{ID: "1", Title: "Reset your password", URL: "/en/articles/1-article/", Breadcrumb: []string{"Account", "Security"}}
	if r.ID != want.ID || r.Title != want.Title || r.URL != want.URL || strings.Join(r.Breadcrumb, "/") != "Account/Security" || r.Score <= 0 {
		t.Errorf("result %+v, want %+v with a score", r, want)
	}
	if !strings.Contains(r.Snippet, "Forgot your <mark>password</mark>?") {
		t.Errorf("snippet %q does not mark the word the typo matched", r.Snippet)
	}

	// Text that looks like HTML comes out escaped.
	res = mustSearch(t, ix, Query{Q: "alert", Locale: "en"})
	if len(res.Results) != 1 || strings.Contains(res.Results[0].Snippet, "<script") ||
		!strings.Contains(res.Results[0].Snippet, "&lt;script&gt;<mark>alert</mark>(1)") {
		t.Errorf("alert: %+v, want the code escaped and the match marked", res.Results)
	}
}

func TestCollectionAndLimit(t *testing.T) {
	ix := buildIndex(t, miniSite())
	for _, tc := range []struct {
		collection string
		want       []string
	}{
		{"", []string{"1", "2", "3"}},
		{"10", []string{"1", "2"}}, // through its child 11
		{"11", []string{"1", "2"}},
		{"20", []string{"3"}},
		{"99", nil},
	} {
		res := mustSearch(t, ix, Query{Q: "your", Locale: "en", Collection: tc.collection})
		var ids []string
		for _, r := range res.Results {
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("collection %q: found %v, want %v", tc.collection, ids, tc.want)
		}
	}
	res := mustSearch(t, ix, Query{Q: "your", Locale: "en", Limit: 1})
	if len(res.Results) != 1 || res.Total != 3 {
		t.Errorf("limit 1: %d results of %d, want 1 of 3", len(res.Results), res.Total)
	}
}

func TestBadQueries(t *testing.T) {
	ix := buildIndex(t, miniSite())
	for _, tc := range []struct {
		q    Query
		want error
	}{
		{Query{Q: "", Locale: "en"}, ErrEmptyQuery},
		{Query{Q: "  \t ", Locale: "en"}, ErrEmptyQuery},
		{Query{Q: strings.Repeat("a", 10<<10), Locale: "en"}, ErrQueryTooLong},
		{Query{Q: "pass\x00word", Locale: "en"}, ErrInvalidQuery},
		{Query{Q: "\xff\xfe", Locale: "en"}, ErrInvalidQuery},
		{Query{Q: "password", Locale: "xx"}, ErrUnknownLocale},
		{Query{Q: "password", Locale: ""}, ErrUnknownLocale},
		{Query{Q: "password", Locale: "en", Limit: -1}, ErrBadLimit},
		{Query{Q: "password", Locale: "en", Limit: MaxLimit + 1}, ErrBadLimit},
		{Query{Q: "password", Locale: "en", Collection: strings.Repeat("9", 100)}, ErrBadCollection},
	} {
		_, err := ix.Search(context.Background(), tc.q)
		var qe *QueryError
		if !errors.Is(err, tc.want) || !errors.As(err, &qe) {
			t.Errorf("%.40q in %q: error %v, want %v", tc.q.Q, tc.q.Locale, err, tc.want)
		}
	}
}

// TestQuerySyntaxIsText checks that bleve's query-string syntax has no
// effect: field names, operators and wildcards are words or punctuation.
func TestQuerySyntaxIsText(t *testing.T) {
	ix := buildIndex(t, miniSite())
	for _, q := range []string{
		`title:password`, `+password -reset`, `password^100`, `pass*`, `/pass.*/`, `"password`, `url:*`,
		`body:zeppelinfare`, `*`, `\`, `(((`, `password~5`,
	} {
		res, err := ix.Search(context.Background(), Query{Q: q, Locale: "en"})
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		for _, r := range res.Results {
			if r.ID == "4" {
				t.Errorf("%q found the draft", q)
			}
		}
	}
	// As query syntax, this would exclude the article about resetting.
	res := mustSearch(t, ix, Query{Q: "+password -reset", Locale: "en"})
	if len(res.Results) == 0 || res.Results[0].ID != "1" {
		t.Errorf("+password -reset: %+v, want article 1 first, matching both words", res.Results)
	}
	res = mustSearch(t, ix, Query{Q: "*", Locale: "en"})
	if res.Total != 0 {
		t.Errorf("*: %d results, want none (no words)", res.Total)
	}
}

func TestLocaleCase(t *testing.T) {
	site := miniSite()
	for i := range site.Articles {
		a := &site.Articles[i]
		a.Translations["pt-BR"] = a.Translations["en"]
	}
	ix := buildIndex(t, site)
	res := mustSearch(t, ix, Query{Q: "password", Locale: "pt-br"})
	if res.Locale != "pt-BR" || len(res.Results) == 0 {
		t.Errorf("pt-br: %+v, want results from pt-BR", res)
	}
}

func TestOpenAndRebuild(t *testing.T) {
	dir := t.TempDir()
	ix, err := Build(context.Background(), dir, miniSite(), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// A failed build keeps the index; a new one replaces it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, dir, generatedSite(50, testLocales, 1), testOptions); err == nil {
		t.Error("a cancelled build succeeded")
	}
	ix, err = Open(dir, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ix.Locales(), ","); got != "ar,de,en,fr,ja" {
		t.Errorf("locales %s", got)
	}
	checkRelevance(t, bleveEngine(ix), miniCases[:3])
	ix.Close()

	site := miniSite()
	setTitle(site, "1", "en", "Recover your credentials")
	ix, err = Build(context.Background(), dir, site, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if found := ids(t, ix, "en", "credentials"); !slices.Equal(found, []string{"1"}) {
		t.Errorf("after a rebuild, credentials found %v, want 1", found)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("%d entries beside the index, want it alone", len(entries))
	}
}
