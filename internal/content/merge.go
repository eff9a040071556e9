package content

import "slices"

// MergeArticle folds incoming, a possibly stale or out-of-order copy of an
// article, into current, never letting older content replace newer: each
// locale keeps whichever side's translation was updated later, and the
// parents and set of locales follow incoming only if its top-level
// updated_at is not older than current's. It reports whether anything
// changed.
func MergeArticle(current *Article, incoming Article) (Article, bool) {
	if current == nil {
		return incoming, true
	}
	merged := *current
	merged.Translations = make(map[string]Translation, len(current.Translations))
	for l, t := range current.Translations {
		merged.Translations[l] = t
	}
	newer := !incoming.UpdatedAt.Before(current.UpdatedAt)
	if newer {
		merged.ParentIDs = incoming.ParentIDs
		merged.DefaultLocale = incoming.DefaultLocale
		merged.CreatedAt, merged.UpdatedAt = incoming.CreatedAt, incoming.UpdatedAt
		for l := range current.Translations {
			if _, ok := incoming.Translations[l]; !ok {
				delete(merged.Translations, l) // the translation was removed
			}
		}
	}
	for l, t := range incoming.Translations {
		if old, ok := current.Translations[l]; !ok || !t.UpdatedAt.Before(old.UpdatedAt) {
			merged.Translations[l] = t
		}
	}
	return merged, !articleEqual(current, &merged)
}

func articleEqual(a, b *Article) bool {
	if !slices.Equal(a.ParentIDs, b.ParentIDs) || a.DefaultLocale != b.DefaultLocale ||
		!a.UpdatedAt.Equal(b.UpdatedAt) || len(a.Translations) != len(b.Translations) {
		return false
	}
	for l, ta := range a.Translations {
		if tb, ok := b.Translations[l]; !ok || ta != tb {
			return false
		}
	}
	return true
}

// PutArticle inserts a or replaces the article with its id, keeping
// s.Articles sorted.
func (s *Site) PutArticle(a Article) {
	i, found := slices.BinarySearchFunc(s.Articles, a.ID, func(x Article, id string) int { return compareIDs(x.ID, id) })
	if found {
		s.Articles[i] = a
		return
	}
	s.Articles = slices.Insert(s.Articles, i, a)
}

// RemoveArticle deletes the article with id and reports whether it was
// there.
func (s *Site) RemoveArticle(id string) bool {
	i, found := slices.BinarySearchFunc(s.Articles, id, func(x Article, id string) int { return compareIDs(x.ID, id) })
	if found {
		s.Articles = slices.Delete(s.Articles, i, i+1)
	}
	return found
}

// Clone returns a copy of s whose slices can be changed without changing
// s. Articles and collections are copied shallowly: replace them, do not
// modify them in place.
func (s *Site) Clone() *Site {
	c := *s
	c.HelpCenters = slices.Clone(s.HelpCenters)
	c.Collections = slices.Clone(s.Collections)
	c.Articles = slices.Clone(s.Articles)
	c.Refused = slices.Clone(s.Refused)
	c.Deleted = slices.Clone(s.Deleted)
	return &c
}
