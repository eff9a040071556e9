package search

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/helpsite/helpsite/internal/content"
)

// A relevanceCase is a query and the article it must find.
type relevanceCase struct {
	name   string
	locale string
	q      string
	// want is the id of the article expected within the first top results;
	// "" means the query must find nothing.
	want string
	top  int
}

// An engine runs queries: the bleve index or the static engine.
type engine func(t *testing.T, queries []Query) []*Results

// checkRelevance runs cases on an engine and reports those it fails.
func checkRelevance(t *testing.T, run engine, cases []relevanceCase) {
	t.Helper()
	queries := make([]Query, len(cases))
	for i, c := range cases {
		queries[i] = Query{Q: c.q, Locale: c.locale, Limit: DefaultLimit}
	}
	results := run(t, queries)
	for i, c := range cases {
		var ids []string
		for _, r := range results[i].Results {
			ids = append(ids, r.ID)
		}
		switch rank := slices.Index(ids, c.want); {
		case c.want == "" && len(ids) > 0:
			t.Errorf("%s: %s %q found %v, want nothing", c.name, c.locale, c.q, ids)
		case c.want != "" && (rank < 0 || rank >= c.top):
			t.Errorf("%s: %s %q found %v, want %s in the first %d", c.name, c.locale, c.q, ids, c.want, c.top)
		}
	}
}

// miniCases are the expectations on miniSite, for both engines.
var miniCases = []relevanceCase{
	{"title", "en", "Reset your password", "1", 1},
	{"case", "en", "RESET PASSWORD", "1", 1},
	{"typo", "en", "pasword", "1", 1},
	{"prefix", "en", "authen", "2", 1},
	{"two typos in a long word", "en", "two-factor authentification", "2", 1},
	{"stem", "en", "invoice", "3", 1},
	{"draft only", "en", "zeppelinfare", "", 0},
	{"draft title", "en", "upcoming pricing", "", 0},
	{"accents and case", "fr", "PARAMETRES DE SECURITE", "2", 1},
	{"no accents", "fr", "reinitialiser mot de passe", "1", 1},
	{"prefix", "fr", "réinit", "1", 1},
	{"stem", "fr", "facture", "3", 1},
	{"published in fr, draft in en", "fr", "formule", "4", 1},
	{"umlauts and sharp s", "de", "grosse andern", "3", 1},
	{"no umlauts", "de", "Passwort zurucksetzen", "1", 1},
	{"compound", "de", "Authentifizierung", "2", 1},
	{"bigrams", "ja", "パスワード再設定", "1", 1},
	{"word", "ja", "請求書", "3", 1},
	{"kanji", "ja", "認証", "2", 1},
	{"prefix", "ja", "ダウン", "3", 1},
	{"phrase", "ar", "كلمة المرور", "1", 1},
	{"harakat", "ar", "كَلِمَة المُرور", "1", 1},
	{"definite article", "ar", "الفواتير", "3", 1},
	{"word", "ar", "المصادقة", "2", 1},
}

// titleCases expects each of the first n articles published in a locale
// whose title is distinctive to be found in the first three results by its
// title and by its title with one word misspelt. A title is distinctive
// when at most two other titles hold all its terms: no ranking could put it
// in the first three otherwise.
func titleCases(site *content.Site, locales []string, n int) []relevanceCase {
	var cases []relevanceCase
	for _, l := range locales {
		lang := languageOf(l)
		analyzer := indexMapping(lang).AnalyzerNamed(lang.analyzer)
		terms := map[string][]string{} // article id → title terms
		for _, a := range site.Articles {
			if t, ok := a.Translations[l]; ok && t.Published() {
				for _, tok := range analyzer.Analyze([]byte(t.Title)) {
					terms[a.ID] = append(terms[a.ID], string(tok.Term))
				}
			}
		}
		found := 0
		for _, a := range site.Articles {
			if _, ok := terms[a.ID]; !ok || found == n || !distinctive(a.ID, terms) {
				continue
			}
			found++
			title := a.Translations[l].Title
			cases = append(cases,
				relevanceCase{"title", l, title, a.ID, 3},
				relevanceCase{"misspelt title", l, misspell(title), a.ID, 3})
		}
	}
	return cases
}

// draftCases expects each word to find nothing in its locale.
func draftCases(words map[string]string) []relevanceCase {
	var cases []relevanceCase
	for l, w := range words {
		cases = append(cases, relevanceCase{"draft only", l, w, "", 0})
	}
	return cases
}

// distinctive reports whether at most two other articles' title terms hold
// all of article id's.
func distinctive(id string, terms map[string][]string) bool {
	others := 0
	for other, ts := range terms {
		if other != id && !slices.ContainsFunc(terms[id], func(t string) bool { return !slices.Contains(ts, t) }) {
			others++
		}
	}
	return others <= 2
}

// misspell replaces a letter in the middle of the longest word of title
// (of its longest run of letters, for CJK text) with another.
func misspell(title string) string {
	words := strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) })
	longest := slices.MaxFunc(words, func(a, b string) int {
		return utf8.RuneCountInString(a) - utf8.RuneCountInString(b)
	})
	r := []rune(longest)
	mid := len(r) / 2
	switch {
	case unicode.Is(unicode.Arabic, r[mid]):
		r[mid] = another(r[mid], 'ق', 'ف')
	case unicode.Is(unicode.Latin, r[mid]):
		r[mid] = another(r[mid], 'x', 'q')
	default:
		r[mid] = another(r[mid], 'ぬ', 'ね')
	}
	return strings.Replace(title, longest, string(r), 1)
}

// another returns a, or b if r is a.
func another(r, a, b rune) rune {
	if r == a {
		return b
	}
	return a
}
