package search

import (
	"cmp"
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// Snippet geometry, in bytes.
const (
	snippetBytes   = 200
	snippetContext = 40 // before the first match
	snippetSlack   = 20 // how far a cut may move to fall between words
)

// A span is a byte range of a text.
type span struct{ start, end int }

// snippet returns an excerpt of text of about snippetBytes around its
// densest cluster of matches, as HTML: the text escaped, the matches in
// <mark>, an ellipsis where text was cut. The custom formatting (bleve's
// HTML highlighter does not escape) keeps the snippet safe to insert.
func snippet(text string, matches []span) string {
	matches = cleanSpans(text, matches)
	from, to := snippetWindow(text, matches)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, m := range matches {
		if m.start < pos || m.end > to {
			continue
		}
		b.WriteString(escapeText(text[pos:m.start]))
		b.WriteString("<mark>")
		b.WriteString(escapeText(text[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(escapeText(text[pos:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// escapeText escapes text for HTML and puts its line breaks on one line.
func escapeText(s string) string {
	return html.EscapeString(strings.ReplaceAll(s, "\n", " "))
}

// cleanSpans sorts the matches, drops those outside text and merges those
// that overlap (a word found both stemmed and as a prefix).
func cleanSpans(text string, matches []span) []span {
	matches = slices.DeleteFunc(slices.Clone(matches), func(m span) bool {
		return m.start < 0 || m.end > len(text) || m.start >= m.end
	})
	slices.SortFunc(matches, func(a, b span) int { return cmp.Or(a.start-b.start, a.end-b.end) })
	var out []span
	for _, m := range matches {
		if n := len(out); n > 0 && m.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, m.end)
			continue
		}
		out = append(out, m)
	}
	return out
}

// snippetWindow returns the byte range of text to show: the window that
// holds the most matches, starting a little before the first, cut between
// words where a space is near.
func snippetWindow(text string, matches []span) (from, to int) {
	if len(text) <= snippetBytes {
		return 0, len(text)
	}
	first := 0 // start of the first match shown
	best := 0
	for i, m := range matches {
		n := 0
		for _, o := range matches[i:] {
			if o.end > m.start+snippetBytes-snippetContext {
				break
			}
			n++
		}
		if n > best {
			best, first = n, m.start
		}
	}
	from = max(0, min(first-snippetContext, len(text)-snippetBytes))
	for from > 0 && !utf8.RuneStart(text[from]) {
		from++
	}
	if from > 0 {
		if i := strings.IndexAny(text[from:min(from+snippetSlack, max(first, from))], " \n"); i >= 0 {
			from += i + 1
		}
	}
	to = min(len(text), from+snippetBytes)
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to--
	}
	if to < len(text) {
		if i := strings.LastIndexAny(text[max(from, to-snippetSlack):to], " \n"); i >= 0 {
			to = max(from, to-snippetSlack) + i
		}
	}
	return from, to
}
