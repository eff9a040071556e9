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
	checkCombobox(t, p, input)
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

// checkCombobox fails the test unless input and its open listbox follow
// the ARIA Authoring Practices' combobox pattern: a text input (not
// type=search) with role=combobox that controls a labelled listbox whose
// options hold nothing interactive.
func checkCombobox(t testing.TB, p *Page, input string) {
	t.Helper()
	var problems []string
	p.Eval(fmt.Sprintf(`(() => {
		const input = document.querySelector(%q), out = [];
		if (input.type !== "text") out.push("the combobox is an input of type " + input.type);
		if (input.getAttribute("role") !== "combobox") out.push("the input has role " + input.getAttribute("role"));
		if (input.getAttribute("aria-autocomplete") !== "list") out.push("aria-autocomplete is not list");
		const list = document.getElementById(input.getAttribute("aria-controls") || "");
		if (!list || list.getAttribute("role") !== "listbox") return out.concat("aria-controls names no listbox");
		if (!list.getAttribute("aria-label") && !list.getAttribute("aria-labelledby")) out.push("the listbox has no label");
		const options = list.querySelectorAll('[role="option"]');
		if (!options.length || options.length !== list.children.length) out.push("the listbox holds other things than options");
		for (const o of options) {
			if (!o.id) out.push("an option has no id");
			if (o.querySelector("a, button, input, select, textarea, [tabindex]")) out.push("option " + o.id + " holds an interactive element");
		}
		return out;
	})()`, input), &problems)
	for _, problem := range problems {
		t.Errorf("%s: %s", input, problem)
	}
}

// A LoadedFile is a file of the static search that a page loaded.
type LoadedFile struct {
	Name  string `json:"name"`  // the file name
	Bytes int    `json:"bytes"` // its size as sent (0 from file://)
}

// SearchFiles returns the static search files (search/search-*.js) the
// page has loaded, in order, from its Resource Timing entries.
func SearchFiles(p *Page) []LoadedFile {
	var files []LoadedFile
	p.Eval(`performance.getEntriesByType("resource")
		.filter(e => /\/search\/search-[^/]*\.js$/.test(new URL(e.name).pathname))
		.map(e => ({name: new URL(e.name).pathname.split("/").pop(), bytes: e.encodedBodySize || 0}))`, &files)
	return files
}
