package browsertest

import (
	"fmt"
	"slices"
	"testing"
)

// The helpers below drive the theme's search UI (templates/ and
// static/js/search.js), for the tests of every way a site is served.

// OpenSuggestions types query into the search combobox input (a CSS
// selector such as "#search-home") and waits until its listbox shows the
// suggestions for the whole query. It fails the test unless the combobox
// then follows the ARIA Authoring Practices' pattern (checkCombobox) and
// says it is expanded.
func OpenSuggestions(t testing.TB, p *Page, input, query string) {
	t.Helper()
	p.Type(input, query)
	p.WaitVisible(fmt.Sprintf("%s-listbox[data-query=%q] .search-title", input, query))
	if got := p.Attr(input, "aria-expanded"); got != "true" {
		t.Errorf("%s: aria-expanded=%q with the suggestions shown", input, got)
	}
	checkCombobox(t, p, input)
}

// CloseWithEscape chooses the first suggestion of the open combobox input
// with ArrowDown, presses Escape, and fails the test unless that closed
// the listbox, collapsed the combobox and cleared its active option,
// leaving the focus and the query in the input.
func CloseWithEscape(t testing.TB, p *Page, input string) {
	t.Helper()
	var value string
	p.Eval(fmt.Sprintf(`document.querySelector(%q).value`, input), &value)
	p.Press("ArrowDown")
	checkActiveOption(t, p, input)
	p.Press("Escape")
	var state struct {
		Hidden, Focused bool
		Expanded        string
		Active          string
		Value           string
	}
	p.Eval(fmt.Sprintf(`(() => {
		const input = document.querySelector(%q);
		return {
			hidden: document.getElementById(input.getAttribute("aria-controls")).hidden,
			focused: document.activeElement === input,
			expanded: input.getAttribute("aria-expanded"),
			active: input.getAttribute("aria-activedescendant") || "",
			value: input.value,
		};
	})()`, input), &state)
	if !state.Hidden || state.Expanded != "false" || state.Active != "" {
		t.Errorf("%s: after Escape the listbox is hidden=%v, aria-expanded=%q, aria-activedescendant=%q; want it closed", input, state.Hidden, state.Expanded, state.Active)
	}
	if !state.Focused || state.Value != value {
		t.Errorf("%s: after Escape focused=%v and the value is %q, want the focus and %q kept", input, state.Focused, state.Value, value)
	}
}

// checkActiveOption fails the test unless input's aria-activedescendant
// names an option marked aria-selected, and no other option is.
func checkActiveOption(t testing.TB, p *Page, input string) {
	t.Helper()
	active := p.Attr(input, "aria-activedescendant")
	var selected []string
	p.Eval(fmt.Sprintf(`[...document.querySelectorAll('%s-listbox [aria-selected="true"]')].map(o => o.id)`, input), &selected)
	if active == "" || !slices.Equal(selected, []string{active}) {
		t.Errorf("%s: aria-activedescendant=%q, and the selected options are %q", input, active, selected)
	}
}

// SearchAndOpen types query into the search combobox input, waits for the
// suggestions (OpenSuggestions), moves to the one titled title with the
// arrow keys, checks the ARIA state on the way, and presses Enter to open
// it. It fails the test unless that suggestion is among the first three
// and opens an article with that title.
func SearchAndOpen(t testing.TB, p *Page, input, query, title string) {
	t.Helper()
	OpenSuggestions(t, p, input, query)
	list := fmt.Sprintf("%s-listbox[data-query=%q]", input, query)
	var titles []string
	p.Eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent)`, list+" .search-title"), &titles)
	i := slices.Index(titles, title)
	if i < 0 || i >= 3 {
		t.Fatalf("%s: typing %q suggests %q, not %q in the first three", p.URL(), query, titles, title)
	}
	for range i + 1 {
		p.Press("ArrowDown")
	}
	checkActiveOption(t, p, input)
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
// options are neither links nor focusable, and hold nothing interactive.
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
			if (o.matches("a, [href], [tabindex]")) out.push("option " + o.id + " is a link or focusable");
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
