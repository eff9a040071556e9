package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/browsertest"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
)

// TestStaticSearchInBrowser serves the built demo from a plain file server,
// with no search API, and searches it in headless Chromium in every demo
// locale: typing an article's title suggests it and Enter opens it; the
// results page finds it, highlights matches, and finds nothing for a word
// only a draft uses.
func TestStaticSearchInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	_, srv := serveDemo(t)
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	article := publishedEverywhere(t, site, site.HelpCenters[0].Locales)
	b := browsertest.New(t)
	for _, locale := range site.HelpCenters[0].Locales {
		title := article.Translations[locale].Title
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/" + strings.ToLower(locale) + "/")
		browsertest.SearchAndOpen(t, p, "#search-home", title, title)

		p.Type("#search-header", title+"\n")
		titles, marks := browsertest.SearchResults(t, p, title)
		if !slices.Contains(titles[:min(3, len(titles))], title) {
			t.Errorf("%s: the results page for %q shows %q", locale, title, titles)
		}
		if len(marks) == 0 {
			t.Errorf("%s: the results for %q highlight nothing", locale, title)
		}
		p.NoErrors(t)
	}

	t.Run("misspelt and draft-only words", func(t *testing.T) {
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/en/")
		title := article.Translations["en"].Title
		misspelt := misspell(title)
		browsertest.SearchAndOpen(t, p, "#search-home", misspelt, title)

		// "Halyard" is the codename only the demo's draft article uses.
		p.Navigate(srv.URL + "/en/search/?q=Halyard")
		p.WaitVisible(`#search-results[data-query="Halyard"] .search-summary`)
		if got := p.Text("#search-results"); !strings.Contains(got, "No articles match") {
			t.Errorf("searching a draft-only word shows %q", got)
		}
		p.NoErrors(t)
	})
}

// publishedEverywhere returns an article of site published in every one of
// locales, and without a video, which the browser would be refused.
func publishedEverywhere(t *testing.T, site *content.Site, locales []string) *content.Article {
	t.Helper()
	for i := range site.Articles {
		a := &site.Articles[i]
		if !slices.ContainsFunc(locales, func(l string) bool {
			return !a.Translations[l].Published() || strings.Contains(a.Translations[l].Body, "<iframe")
		}) {
			return a
		}
	}
	t.Fatal("the demo has no article published in every locale")
	return nil
}

// misspell swaps two letters in the middle of the title's longest word.
func misspell(title string) string {
	words := strings.Fields(title)
	longest := 0
	for i, w := range words {
		if len(w) > len(words[longest]) {
			longest = i
		}
	}
	w := []byte(words[longest])
	m := len(w) / 2
	w[m], w[m+1] = w[m+1], w[m]
	words[longest] = string(w)
	return strings.Join(words, " ")
}

// TestStaticSearchLoadsChunks checks in headless Chromium that a query
// loads the engine, the locale's manifest and its chunks (each once; the
// demo is too small for a query to need only some: the search package's
// tests check that on a larger site), a second query only the chunks it
// adds, and the results page for a query
// in its URL the same, with its results' room reserved so that the footer
// stays out of view.
func TestStaticSearchLoadsChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	out, srv := serveDemo(t)
	chunks, err := filepath.Glob(filepath.Join(out, "search", "search-en.*.js"))
	if err != nil || len(chunks) < 3 {
		t.Fatalf("the en index has %d chunks (%v), want several", len(chunks), err)
	}
	names := func(files []browsertest.LoadedFile) []string {
		var out []string
		for _, f := range files {
			out = append(out, f.Name)
		}
		return out
	}
	check := func(what string, files []browsertest.LoadedFile) {
		t.Helper()
		got := names(files)
		loaded := 0
		for _, n := range got {
			if strings.HasPrefix(n, "search-en.") && n != "search-en.js" {
				loaded++
			}
		}
		if !slices.Contains(got, "search-engine.js") || !slices.Contains(got, "search-en.js") || loaded == 0 || loaded > len(chunks) {
			t.Errorf("%s loaded %q: want the engine, the manifest and chunks of the %d", what, got, len(chunks))
		}
		seen := map[string]bool{}
		for _, n := range got {
			if seen[n] {
				t.Errorf("%s loaded %s twice", what, n)
			}
			seen[n] = true
		}
	}

	b := browsertest.New(t)
	p := b.NewPage(t)
	p.Navigate(srv.URL + "/en/")
	p.Type("#search-home", "password")
	p.WaitVisible(`#search-home-listbox[data-query="password"] .search-title`)
	first := browsertest.SearchFiles(p)
	check("a first query", first)
	p.Type("#search-home", " invoices")
	p.WaitVisible(`#search-home-listbox[data-query="password invoices"] .search-title`)
	later := browsertest.SearchFiles(p)[len(first):]
	for _, f := range later {
		if !strings.HasPrefix(f.Name, "search-en.") || f.Name == "search-en.js" {
			t.Errorf("a later query loaded %s", f.Name)
		}
	}
	size := func(files []browsertest.LoadedFile) int {
		n := 0
		for _, f := range files {
			n += f.Bytes
		}
		return n
	}
	t.Logf("first query: %d requests, %d bytes %q; a later one: %d requests, %d bytes",
		len(first), size(first), names(first), len(later), size(later))
	if size(first) == 0 {
		t.Error("the first query's files report no size")
	}
	p.NoErrors(t)

	p = b.NewPage(t)
	p.Navigate(srv.URL + "/en/search/?q=password")
	var footerBelow bool
	p.Eval(`document.querySelector("footer").getBoundingClientRect().top >= innerHeight`, &footerBelow)
	if !footerBelow {
		t.Error("the results page shows its footer before the results arrive: they would move it")
	}
	browsertest.SearchResults(t, p, "password")
	check("the results page", browsertest.SearchFiles(p))
	var boxes int
	p.Eval(`document.querySelectorAll('.search-form input[name="q"]').length`, &boxes)
	if boxes != 1 {
		t.Errorf("the results page has %d search boxes, want 1", boxes)
	}
	p.NoErrors(t)
}
