package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Titles, names and descriptions come from editors: they are shown as
// text, with control characters and invalid UTF-8 replaced and runs of
// white space folded, and cut where a page lists many of them.
const (
	// maxTitle is the longest article title or collection name shown, in
	// characters; page titles and meta descriptions are shorter still
	// (the theme cuts them).
	maxTitle = 300
	// maxDescription is the longest description shown in lists.
	maxDescription = 1000
)

func cleanTitle(s string) string { return cleanText(s, maxTitle) }

// cleanText returns s as one line of valid UTF-8 without control
// characters, cut at a word boundary to at most max characters, with an
// ellipsis when it was cut.
func cleanText(s string, max int) string {
	if isClean(s, max) {
		return s
	}
	var b strings.Builder
	space := false
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if space {
			if n+1 >= max {
				break
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= max {
			break
		}
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if utf8.RuneCountInString(strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")) <= max {
		return out
	}
	// Cut to make room for the ellipsis, back to the last word boundary
	// if there is one not too far back.
	out = string([]rune(out)[:max-1])
	if i := strings.LastIndexByte(out, ' '); i > len(out)/2 {
		out = out[:i]
	}
	return strings.TrimRight(out, " ") + "…"
}

// isClean reports whether s needs no cleaning: valid, short enough, no
// control characters and no white space but single spaces inside. It
// looks at each byte of ASCII once: a plan asks it of every title and
// description of the site.
func isClean(s string, max int) bool {
	if len(s) > max {
		return false
	}
	space := true // a space here would lead or double one
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == ' ' && space {
				return false
			}
			space = c == ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
		space = false
		i += size
	}
	return !space || s == ""
}
