package search

import (
	"slices"
	"testing"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
)

var demoLocales = []string{"en", "fr", "de", "ja", "ar"}

// demoCases are the relevance cases of the demo help center: every
// distinctive title, as is and misspelt, and per locale a word only drafts
// use. The demo has no Arabic draft: the site returned has one more, a
// translation of an article that is a draft in every locale.
func demoCases(t *testing.T) (*content.Site, []relevanceCase) {
	t.Helper()
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(site.Articles, func(a content.Article) bool { return len(a.PublishedLocales()) == 0 })
	if i < 0 {
		t.Fatal("the demo has no article that is a draft in every locale")
	}
	site.Articles[i].Translations["ar"] = content.Translation{Title: "مسودة " + draftWords["ar"], State: content.Draft}
	words := map[string]string{}
	for _, l := range demoLocales {
		w := draftOnlyWord(site, l)
		if w == "" {
			t.Fatalf("the demo has no word only drafts use in %s", l)
		}
		words[l] = w
	}
	return site, append(titleCases(site, demoLocales, len(site.Articles)), draftCases(words)...)
}

func TestRelevanceDemo(t *testing.T) {
	site, cases := demoCases(t)
	checkRelevance(t, bleveEngine(buildIndex(t, site)), cases)
}

func TestStaticRelevanceDemo(t *testing.T) {
	site, cases := demoCases(t)
	checkRelevance(t, staticEngine(site), cases)
}

// draftOnlyWord returns a word of a draft translation in locale that
// nothing published comes near: its stem is not a published stem, and no
// published word is within two typos of it or starts with it. It returns ""
// if there is none.
func draftOnlyWord(site *content.Site, locale string) string {
	lang := languageOf(locale)
	m := indexMapping(lang)
	stemmed, plain := m.AnalyzerNamed(lang.analyzer), m.AnalyzerNamed(lang.analyzer)
	if lang.hasPlainFields() {
		plain = m.AnalyzerNamed(lang.plain)
	}
	src := newSource(site, testOptions)
	var draft, published, publishedStems []string
	for i := range site.Articles {
		a := &site.Articles[i]
		t, ok := a.Translations[locale]
		if !ok {
			continue
		}
		body, _ := src.bodyText(t.Body)
		text := t.Title + "\n" + t.Description + "\n" + body
		words := &draft
		if t.Published() {
			words = &published
			for _, tok := range stemmed.Analyze([]byte(text)) {
				publishedStems = append(publishedStems, string(tok.Term))
			}
		}
		for _, tok := range plain.Analyze([]byte(text)) {
			*words = append(*words, string(tok.Term))
		}
	}
	slices.Sort(draft)
	for _, w := range slices.Compact(draft) {
		if utf8.RuneCountInString(w) < 2 || !lang.cjk() && utf8.RuneCountInString(w) < 5 {
			continue
		}
		near := slices.ContainsFunc(published, func(p string) bool {
			return bsearch.LevenshteinDistance(w, p) <= 2 || len(p) >= len(w) && p[:len(w)] == w
		})
		stem := stemmed.Analyze([]byte(w))
		if !near && (len(stem) == 0 || !slices.Contains(publishedStems, string(stem[0].Term))) {
			return w
		}
	}
	return ""
}
