package search

import (
	"log/slog"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// draftWords appear only in draft translations of generated sites.
var draftWords = map[string]string{
	"en": "zanzibarquux", "fr": "zanzibarquux", "de": "zanzibarquux", "ja": "秘密草稿", "ar": "زنجبارية",
}

// generatedSite returns a site made by the fake Intercom's generator, with
// one more article whose translations are all drafts holding draftWords.
func generatedSite(articles int, locales []string, seed int64) *content.Site {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: articles, Locales: locales, Seed: seed})
	draft := content.Article{ID: "99999999", Translations: map[string]content.Translation{}}
	for _, l := range locales {
		w := draftWords[l]
		draft.Translations[l] = content.Translation{Title: "Draft " + w, Body: "<p>" + w + "</p>", State: content.Draft}
	}
	site.Articles = append(site.Articles, draft)
	site.Sort()
	return site
}

// articleURL is the test sites' URL scheme.
func articleURL(a *content.Article, locale string) string {
	return "/" + locale + "/articles/" + a.ID + "-article/"
}

var testOptions = Options{URL: articleURL, Logger: slog.New(slog.DiscardHandler)}
