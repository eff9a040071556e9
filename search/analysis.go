package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/da"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fa"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/hi"
	"github.com/blevesearch/bleve/v2/analysis/lang/hr"
	"github.com/blevesearch/bleve/v2/analysis/lang/hu"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetokenizer "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// A language says how the text of one locale is analyzed.
//
// Every locale has two analyses. The stemmed one (bleve's analyzer for the
// language, then accent folding) feeds the main fields and the static index.
// The plain one (tokenize, lowercase, the script's normalization, accent
// folding, no stop words, no stemming) feeds the *_plain fields, which fuzzy
// and prefix queries search: bleve does not analyze those queries, and a
// misspelt or half-typed word is closer to the word than to its stem.
type language struct {
	// name is the language's key in this file's tables ("fr", "cjk", "").
	name string
	// analyzer is the registered name of the stemmed analyzer.
	analyzer string
	// plain is the registered name of the plain analyzer, or "" when the
	// stemmed analyzer neither stems nor drops words, so the main fields serve
	// fuzzy and prefix queries too.
	plain string
}

// hasPlainFields reports whether the index has *_plain fields.
func (l language) hasPlainFields() bool { return l.plain != "" }

// cjk reports whether the language is indexed as CJK bigrams.
func (l language) cjk() bool { return l.name == cjk.AnalyzerName }

// bleveLanguages are the languages bleve has an analyzer for, by that
// analyzer's name, which is also the language code. Polish is missing: its
// stemmer needs a module (blevesearch/stempel) that go.mod does not require.
var bleveLanguages = []string{
	ar.AnalyzerName, da.AnalyzerName, de.AnalyzerName, en.AnalyzerName, es.AnalyzerName,
	fa.AnalyzerName, fi.AnalyzerName, fr.AnalyzerName, hi.AnalyzerName, hr.AnalyzerName,
	hu.AnalyzerName, it.AnalyzerName, nl.AnalyzerName, no.AnalyzerName,
	pt.AnalyzerName, ro.AnalyzerName, ru.AnalyzerName, sv.AnalyzerName, tr.AnalyzerName,
	cjk.AnalyzerName,
}

// Registered names of helpsite's analyzers and token filter.
const (
	analyzerPrefix = "helpsite_"
	plainAnalyzer  = "helpsite_plain"
	plainArabic    = "helpsite_plain_ar"
	plainPersian   = "helpsite_plain_fa"
	foldFilterName = "helpsite_fold"
)

// plainAnalyzers are the token filters of the plain analyzers after the
// unicode tokenizer. Arabic script needs its normalization (hamza forms,
// diacritics) to ignore "accents" the way Latin folding does.
var plainAnalyzers = map[string][]string{
	plainAnalyzer: {lowercase.Name, foldFilterName},
	plainArabic:   {lowercase.Name, "nfkc", ar.NormalizeName, foldFilterName},
	plainPersian:  {lowercase.Name, "nfkc", ar.NormalizeName, fa.NormalizeName, foldFilterName},
}

// languageOf returns how a locale (an Intercom locale code such as "fr",
// "pt-BR" or "zh-TW") is analyzed: with bleve's analyzer for its language,
// as CJK bigrams for Chinese, Japanese and Korean, and for the languages
// bleve has no analyzer for, with the plain analysis alone.
func languageOf(locale string) language {
	code, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(locale, "_", "-")), "-")
	switch code {
	case "nb", "nn":
		code = no.AnalyzerName
	case "zh", "ja", "ko":
		code = cjk.AnalyzerName
	}
	switch {
	case code == cjk.AnalyzerName:
		return language{name: code, analyzer: analyzerPrefix + code}
	case code == ar.AnalyzerName:
		return language{name: code, analyzer: analyzerPrefix + code, plain: plainArabic}
	case code == fa.AnalyzerName:
		return language{name: code, analyzer: analyzerPrefix + code, plain: plainPersian}
	case slices.Contains(bleveLanguages, code):
		return language{name: code, analyzer: analyzerPrefix + code, plain: plainAnalyzer}
	}
	return language{analyzer: plainAnalyzer}
}

// Bleve finds analyzers by name, also when it reopens an index, so
// helpsite's are registered with it once, here.
func init() {
	must(registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	for _, name := range bleveLanguages {
		must(registry.RegisterAnalyzer(analyzerPrefix+name, foldedAnalyzer(name)))
	}
	for name, filters := range plainAnalyzers {
		must(registry.RegisterAnalyzer(name, chainAnalyzer(filters)))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// foldedAnalyzer returns the constructor of bleve's analyzer base followed by
// accent folding. Folding comes last so that the stemmer sees the words as
// written; a query typed without accents still finds them through the plain
// fields.
func foldedAnalyzer(base string) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		a, err := cache.AnalyzerNamed(base)
		if err != nil {
			return nil, err
		}
		d, ok := a.(*analysis.DefaultAnalyzer)
		if !ok {
			return nil, fmt.Errorf("bleve analyzer %q is a %T, not a DefaultAnalyzer", base, a)
		}
		return &analysis.DefaultAnalyzer{
			CharFilters:  d.CharFilters,
			Tokenizer:    d.Tokenizer,
			TokenFilters: append(slices.Clip(d.TokenFilters), foldFilter{}),
		}, nil
	}
}

// chainAnalyzer returns the constructor of an analyzer made of the unicode
// tokenizer and the named token filters ("nfkc" is Unicode NFKC).
func chainAnalyzer(filters []string) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tokenizer, err := cache.TokenizerNamed(unicodetokenizer.Name)
		if err != nil {
			return nil, err
		}
		a := &analysis.DefaultAnalyzer{Tokenizer: tokenizer}
		for _, name := range filters {
			if name == "nfkc" {
				a.TokenFilters = append(a.TokenFilters, unicodenorm.MustNewUnicodeNormalizeFilter(unicodenorm.NFKC))
				continue
			}
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, err
			}
			a.TokenFilters = append(a.TokenFilters, f)
		}
		return a, nil
	}
}

// foldFilter removes accents from tokens without moving their offsets, so
// highlighting still points into the original text.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = fold(t.Term)
	}
	return input
}

// foldSpecial are the letters that do not decompose into a base letter and
// marks but that readers treat as accented forms of one.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l", 'þ': "th", 'ı': "i",
	'ё': "е", // Cyrillic yo, often typed as ye
}

// needsFold reports whether fold may change term: whether it has a Latin
// letter beyond ASCII, a combining mark or a special letter.
func needsFold(term []byte) bool {
	for _, r := range string(term) {
		if r < utf8.RuneSelf {
			continue
		}
		if _, special := foldSpecial[r]; special || unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r) {
			return true
		}
	}
	return false
}

// fold removes the diacritics of Latin letters (é → e, ñ → n, ß → ss) and
// maps ё to е. Marks on other scripts are letters of their own (Devanagari
// vowel signs, the Cyrillic й) and stay. The static search engine's fold
// function in static/search-engine.js must give the same results.
func fold(term []byte) []byte {
	if !needsFold(term) {
		return term
	}
	var b strings.Builder
	for _, r := range string(term) {
		if s, ok := foldSpecial[r]; ok {
			b.WriteString(s)
		} else {
			b.WriteRune(r)
		}
	}
	decomposed := norm.NFD.String(b.String())
	out := make([]byte, 0, len(decomposed))
	latinBase := false
	for _, r := range decomposed {
		if unicode.Is(unicode.Mn, r) {
			if latinBase {
				continue
			}
		} else {
			latinBase = unicode.Is(unicode.Latin, r)
		}
		out = utf8.AppendRune(out, r)
	}
	return norm.NFC.Bytes(out)
}
