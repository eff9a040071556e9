package search

import (
	"slices"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// swapSite has articles whose distinctive words a visitor may type with
// two neighbouring letters swapped.
func swapSite() *content.Site {
	tr := func(title, body string) content.Translation {
		return content.Translation{Title: title, Body: "<p>" + body + "</p>", State: content.Published, UpdatedAt: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	}
	site := &content.Site{Articles: []content.Article{
		{ID: "1", Translations: map[string]content.Translation{"en": tr("Page layouts", "Choose one of the layouts for a page.")}},
		{ID: "2", Translations: map[string]content.Translation{"en": tr("Deploy with Astro", "Astro builds the site.")}},
		{ID: "3", Translations: map[string]content.Translation{"en": tr("Strony in Polish", "Strony means pages.")}},
		{ID: "4", Translations: map[string]content.Translation{"en": tr("Configuration reference", "Every setting explained.")}},
		{ID: "5", Translations: map[string]content.Translation{"ja": tr("東京の設定", "東京オフィスの設定です。")}},
		{ID: "6", Translations: map[string]content.Translation{"ja": tr("請求書の確認", "請求書を確認します。")}},
	}}
	site.Sort()
	return site
}

// damerauCases are typed with two neighbouring letters swapped: one typo.
var damerauCases = []relevanceCase{
	{name: "swap in a 7-letter word", locale: "en", q: "Laoyuts", want: "1", top: 1},
	{name: "swap in a 5-letter word", locale: "en", q: "Atsro", want: "2", top: 1},
	{name: "swap in a 6-letter word", locale: "en", q: "Storny", want: "3", top: 1},
	{name: "swap and a typo in a long word", locale: "en", q: "Confgiuraton", want: "4", top: 1},
	{name: "swapped CJK pair", locale: "ja", q: "京東", want: "5", top: 1},
	{name: "swapped CJK pair in a run", locale: "ja", q: "請書求", want: "6", top: 1},
	{name: "two swaps are two typos", locale: "en", q: "Aotsr", want: ""},
}

func TestDamerau(t *testing.T) {
	checkRelevance(t, bleveEngine(buildIndex(t, swapSite())), damerauCases)
}

func TestStaticDamerau(t *testing.T) {
	checkRelevance(t, staticEngine(swapSite()), damerauCases)
}

func TestSwaps(t *testing.T) {
	if got, want := swaps("abb東"), []string{"bab東", "ab東b"}; !slices.Equal(got, want) {
		t.Errorf("swaps: %q, want %q", got, want)
	}
}
