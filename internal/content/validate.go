package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// The ids and locales of a Site become folder names and URL segments, so
// they are checked where they enter helpsite: an item whose id or locale
// is not of Intercom's form is refused and reported, never written.

// MaxIDLength is the longest id accepted: Intercom's ids are 64-bit
// integers, at most 20 digits.
const MaxIDLength = 20

// ValidID reports whether id has the form of an Intercom id: 1 to 20
// decimal digits.
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// ValidLocale reports whether locale is a language tag of the form
// Intercom uses: a language of two or three letters and at most two
// subtags of two to eight letters or digits ("en", "pt-BR", "zh-Hant-TW",
// "es-419").
func ValidLocale(locale string) bool {
	parts := strings.Split(locale, "-")
	if len(parts) > 3 || len(parts[0]) < 2 || len(parts[0]) > 3 || !isAlnum(parts[0], false) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) < 2 || len(p) > 8 || !isAlnum(p, true) {
			return false
		}
	}
	return true
}

func isAlnum(s string, digits bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower-case ASCII letters; leaves digits alone
		if !(c >= 'a' && c <= 'z' || digits && s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// Skipped is an item that helpsite left out because it cannot be published
// safely, with the reason.
type Skipped struct {
	// Kind is "article", "translation", "collection" or "help center".
	Kind string `json:"kind"`
	// ID is the item's id as the API sent it (possibly malformed).
	ID string `json:"id"`
	// Locale is the translation's locale, if the item is one.
	Locale string `json:"locale,omitempty"`
	// Reason says what is wrong and what to do about it.
	Reason string `json:"reason"`
}

func (s Skipped) String() string {
	if s.Locale != "" {
		return fmt.Sprintf("%s %s (%s) skipped: %s", s.Kind, Quote(s.ID), Quote(s.Locale), s.Reason)
	}
	return fmt.Sprintf("%s %s skipped: %s", s.Kind, Quote(s.ID), s.Reason)
}

// Quote returns s quoted for a message, cut to 64 bytes so that a
// hostile value cannot flood a log line.
func Quote(s string) string {
	const max = 64
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…(%d bytes)", s[:cut], len(s))
}

// idReason and localeReason explain a refused id or locale.
func idReason(kind string) string {
	return fmt.Sprintf("its id is not an Intercom id (1 to %d digits); check the %s in Intercom or the API proxy", MaxIDLength, kind)
}

const localeReason = "its locale is not a language tag like en or pt-BR; fix the translation's language in Intercom"

// Clean removes from s every item whose id or locale could not be used
// safely in a path or URL, and returns what it removed: help centers,
// collections and articles with a malformed id, translations with a
// malformed locale. What remains is safe to plan and render.
func (s *Site) Clean() []Skipped {
	var skipped []Skipped
	s.HelpCenters = slices.DeleteFunc(s.HelpCenters, func(h HelpCenter) bool {
		if ValidID(h.ID) {
			return false
		}
		skipped = append(skipped, Skipped{Kind: "help center", ID: h.ID, Reason: idReason("help center")})
		return true
	})
	s.Collections = slices.DeleteFunc(s.Collections, func(c Collection) bool {
		if !ValidID(c.ID) {
			skipped = append(skipped, Skipped{Kind: "collection", ID: c.ID, Reason: idReason("collection")})
			return true
		}
		skipped = cleanLocales(skipped, "collection", c.ID, c.Translations)
		return false
	})
	s.Articles = slices.DeleteFunc(s.Articles, func(a Article) bool {
		if !ValidID(a.ID) {
			skipped = append(skipped, Skipped{Kind: "article", ID: a.ID, Reason: idReason("article")})
			return true
		}
		skipped = cleanLocales(skipped, "translation", a.ID, a.Translations)
		return false
	})
	return skipped
}

// CleanArticle is Clean for one article: it removes the translations with
// a malformed locale and reports them, or reports the whole article if its
// id is malformed, in which case ok is false.
func CleanArticle(a *Article) (skipped []Skipped, ok bool) {
	if !ValidID(a.ID) {
		return []Skipped{{Kind: "article", ID: a.ID, Reason: idReason("article")}}, false
	}
	for l := range a.Translations {
		if !ValidLocale(l) {
			// The map may be shared with a copy of the article.
			a.Translations = maps.Clone(a.Translations)
			return cleanLocales(nil, "translation", a.ID, a.Translations), true
		}
	}
	return nil, true
}

// SetRefused replaces what s.Refused says about the item id with skipped.
func (s *Site) SetRefused(id string, skipped []Skipped) {
	s.Refused = append(slices.DeleteFunc(slices.Clone(s.Refused), func(r Skipped) bool { return r.ID == id }), skipped...)
}

// cleanLocales deletes the entries of translations whose locale is
// malformed, reporting each.
func cleanLocales[T any](skipped []Skipped, kind, id string, translations map[string]T) []Skipped {
	for _, l := range slices.Sorted(maps.Keys(translations)) {
		if !ValidLocale(l) {
			delete(translations, l)
			skipped = append(skipped, Skipped{Kind: kind, ID: id, Locale: l, Reason: localeReason})
		}
	}
	return skipped
}
