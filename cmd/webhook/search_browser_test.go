package main

import (
	"slices"
	"testing"

	"github.com/helpsite/helpsite/internal/browsertest"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// TestSearchInBrowser types an article's title into the search box of the
// served site in headless Chromium, opens the article from the suggestions
// with the keyboard, then submits the title from the article's header box
// and finds it on the results page: all through the server's search API,
// with the static index never loaded.
func TestSearchInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	h := start(t, 40, fakeintercom.Faults{}, t.TempDir())
	b := browsertest.New(t)
	article := h.api.Site().Article(publishedArticle(h.api))
	for _, locale := range []string{"en", "fr"} {
		title := article.Translations[locale].Title
		p := b.NewPage(t)
		p.Navigate(h.url + "/" + locale + "/")
		browsertest.SearchAndOpen(t, p, "#search-home", title, title)
		p.Type("#search-header", title+"\n")
		if got, _ := browsertest.SearchResults(t, p, title); !slices.Contains(got[:min(3, len(got))], title) {
			t.Errorf("%s: the results page for %q shows %q", locale, title, got)
		}
		var staticLoaded bool
		p.Eval(`typeof window.helpsiteSearch === "object"`, &staticLoaded)
		if staticLoaded {
			t.Errorf("%s: the page loaded the static index on a site served with the search API", locale)
		}
		p.NoErrors(t)
	}
}
