package render

import "github.com/helpsite/helpsite/internal/slug"

// Slugify makes the slug Intercom would give a title (see package
// internal/slug): Latin letters folded to ASCII and lowercased, letters of
// other scripts kept, every other run of characters a single hyphen, cut
// at a word boundary to slug.MaxBytes. It may be empty.
func Slugify(title string) string { return slug.Make(title) }

// urlSlug returns the slug of an Intercom page URL such as
// https://intercom.help/acme/en/articles/123-reset-password, normalized as
// Slugify would write it, or "" if the URL has none for the id.
func urlSlug(rawURL, id string) string { return slug.FromURL(rawURL, id) }
