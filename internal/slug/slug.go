// Package slug makes the slugs of article and collection URLs the way
// Intercom makes them, so that the URLs of a migrated help center are
// Intercom's own: Latin letters folded to ASCII and lowercased, letters of
// other scripts (Japanese, Chinese, Korean, Arabic, Hindi…) kept as they
// are, and every other run of characters a single hyphen. Intercom's own
// URLs show it, e.g. /ja/articles/11145838-max-プランでの-claude-code-の使用
// and /zh-CN/articles/12512198-如何创建自定义-skills.
//
// Slugs are cut to MaxBytes at a word boundary, so that no path component
// of a page, in any script, comes near the 255-byte limit of file systems.
package slug

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxBytes is the longest slug, in bytes of UTF-8: an article's folder,
// "{id}-{slug}", stays far below the 255 bytes file systems allow.
const MaxBytes = 100

// Make returns the slug of a title, at most MaxBytes long. It is empty
// when the title has no letter or digit.
func Make(title string) string {
	var b strings.Builder
	hyphen := false
	word := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFC.String(title) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word(string(unicode.ToLower(r)))
		case foldings[r] != "":
			word(foldings[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if ascii := fold(r); ascii != "" {
				word(ascii)
			} else {
				word(string(unicode.ToLower(r)))
			}
		case unicode.In(r, unicode.Mn, unicode.Mc) && b.Len() > 0 && !hyphen:
			// A vowel sign or virama (Devanagari, Arabic) belongs to the
			// letter before it; after a folded Latin letter it is dropped.
			if last, _ := utf8.DecodeLastRuneInString(b.String()); last >= utf8.RuneSelf {
				b.WriteRune(r)
			}
		default:
			hyphen = true
		}
	}
	return Cut(b.String(), MaxBytes)
}

// fold returns the ASCII spelling of a letter or digit that decomposes to
// one with accents (é, ﬁ, full-width Ａ), lowercased, or "" if it has none.
func fold(r rune) string {
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, d):
		case d < utf8.RuneSelf && (unicode.IsLetter(d) || unicode.IsDigit(d)):
			b.WriteRune(unicode.ToLower(d))
		default:
			return ""
		}
	}
	return b.String()
}

// foldings spell letters that NFKD does not reduce to ASCII.
var foldings = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l",
	'ı': "i", 'ħ': "h", 'Ħ': "h",
}

// Cut shortens a slug to at most max bytes: at its last hyphen that keeps
// it within max, or, when its first word alone is longer, at the last whole
// character (with its combining marks) that fits.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if i := strings.LastIndexByte(s[:max+1], '-'); i > 0 {
		return s[:i]
	}
	cut := 0
	for i, r := range s {
		if i > max {
			break
		}
		if !unicode.In(r, unicode.Mn, unicode.Mc) {
			cut = i // s[:i] fits and leaves no mark without its letter
		}
	}
	return s[:cut]
}

// FromURL returns the slug of an Intercom page URL such as
// https://intercom.help/acme/ja/articles/123-パスワード, made as Make
// would make it, or "" if the URL has none for the id.
func FromURL(rawURL, id string) string {
	u, err := url.Parse(rawURL)
	if err != nil || id == "" {
		return ""
	}
	rest, ok := strings.CutPrefix(path.Base(strings.TrimSuffix(u.Path, "/")), id+"-")
	if !ok {
		return ""
	}
	return Make(rest)
}
