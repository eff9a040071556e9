package browsertest

import (
	"fmt"
	"slices"
	"testing"
)

// The helpers below drive the theme's search UI (templates/ and
// static/js/search.js), for the tests of every way a site is served.

// SearchAndOpen types query into the search combobox input (a CSS
// selector such as "#search-home"), waits for the suggestions for the
// whole query, moves to the one titled title with the arrow keys, checks
// the ARIA state on the way, and presses Enter to open it. It fails the
// test unless that suggestion is among the first three and opens an
// article with that title.
func SearchAndOpen(t testing.TB, p *Page, input, query, title string) {
	t.Helper()
	p.Type(input, query)
	list := fmt.Sprintf("%s-listbox[data-query=%q]", input, query)
	p.WaitVisible(list + " .search-title")
	if got := p.Attr(input, "aria-expanded"); got != "true" {
		t.Errorf("%s: aria-expanded=%q with the suggestions shown", input, got)
	}
	var titles []string
	p.Eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent)`, list+" .search-title"), &titles)
	i := slices.Index(titles, title)
	if i < 0 || i >= 3 {
		t.Fatalf("%s: typing %q suggests %q, not %q in the first three", p.URL(), query, titles, title)
	}
	for range i + 1 {
		p.Press("ArrowDown")
	}
	if active := p.Attr(input, "aria-activedescendant"); active == "" || p.Attr("#"+active, "aria-selected") != "true" {
		t.Errorf("%s: after ArrowDown, aria-activedescendant=%q is not a selected option", input, active)
	}
	p.Press("Enter")
	p.WaitVisible("article h1")
	if got := p.Text("article h1"); got != title {
		t.Errorf("Enter on the suggestion %q opened %q (%s)", title, got, p.URL())
	}
}

// SearchResults waits until the results page shows its results for query
// and returns their titles in order, and the words highlighted in their
// snippets.
func SearchResults(t testing.TB, p *Page, query string) (titles, marks []string) {
	t.Helper()
	results := fmt.Sprintf("#search-results[data-query=%q]", query)
	p.WaitVisible(results + " .search-title")
	p.Eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent)`, results+" .search-title"), &titles)
	p.Eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent)`, results+" mark"), &marks)
	return titles, marks
}
