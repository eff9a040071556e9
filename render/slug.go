package render

import (
	"net/url"
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes the ASCII slug Intercom would give a title: letters folded
// to ASCII and lowercased, every other run of characters a single hyphen.
// Letters with no ASCII form (CJK, Arabic, Cyrillic…) are dropped, so the
// result may be empty.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent split off by NFKD
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case foldings[r] != "":
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteString(foldings[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A letter without an ASCII form: dropped without splitting words.
		default:
			hyphen = true
		}
	}
	return cutSlug(b.String())
}

// maxSlug is the longest slug, in bytes: a page's folder, "{id}-{slug}",
// stays far below the 255 bytes file systems allow.
const maxSlug = 100

// cutSlug cuts slug to maxSlug bytes at a hyphen, if it is longer.
func cutSlug(slug string) string {
	if len(slug) <= maxSlug {
		return slug
	}
	slug = slug[:maxSlug]
	if i := strings.LastIndexByte(slug, '-'); i > maxSlug/2 {
		slug = slug[:i]
	}
	return strings.Trim(slug, "-")
}

// foldings spell letters that NFKD does not reduce to ASCII.
var foldings = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l",
	'ı': "i", 'ħ': "h", 'Ħ': "h",
}

// urlSlug returns the slug of an Intercom page URL such as
// https://intercom.help/acme/en/articles/123-reset-password, normalized as
// Slugify would write it, or "" if the URL has none for the id.
func urlSlug(rawURL, id string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(path.Base(strings.TrimSuffix(u.Path, "/")), id+"-")
	if !ok {
		return ""
	}
	return Slugify(rest)
}
