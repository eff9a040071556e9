package content

import (
	"cmp"
	"maps"
	"slices"

	"github.com/helpsite/helpsite/internal/slug"
)

// Slug returns the slug of the translation's page: the one of its Intercom
// URL, else one made from its title. articleID is the article's id, which
// the URL's last segment starts with. It may be empty.
func (t Translation) Slug(articleID string) string {
	return cmp.Or(slug.FromURL(t.URL, articleID), slug.Make(t.Title))
}

// Slug returns the slug of the collection's page in locale: that of its
// Intercom URL in its default locale (defaultLocale when the collection
// names none), else one made from its name in locale, else the URL's, else
// one made from its default locale's name. It may be empty.
func (c *Collection) Slug(locale, defaultLocale string) string {
	own := cmp.Or(c.DefaultLocale, defaultLocale)
	if locale == own {
		if s := slug.FromURL(c.URL, c.ID); s != "" {
			return s
		}
	}
	if s := slug.Make(c.Translations[locale].Name); s != "" {
		return s
	}
	return cmp.Or(slug.FromURL(c.URL, c.ID), slug.Make(c.Translations[own].Name))
}

// TrackSlugs gives next, a newer copy of the article prev (nil if it is
// new), prev's former slugs, and adds the slug of each translation prev
// published that next no longer has: a retitled article's old URL, and an
// unpublished one's last. A slug that is current again is no longer
// former. next's FormerSlugs is replaced, never modified in place, since
// copies of an article share it.
func TrackSlugs(prev, next *Article) {
	former := map[string][]string{}
	if prev != nil {
		addSlugs(former, prev.FormerSlugs)
	}
	addSlugs(former, next.FormerSlugs)
	if prev != nil {
		for l, t := range prev.Translations {
			if s := t.Slug(prev.ID); t.Published() && s != "" && !slices.Contains(former[l], s) {
				former[l] = append(former[l], s)
			}
		}
	}
	next.FormerSlugs = withoutCurrent(former, func(l string) string {
		if t, ok := next.Translations[l]; ok && t.Published() {
			return t.Slug(next.ID)
		}
		return ""
	})
}

// TrackCollectionSlugs is TrackSlugs for a collection, whose slug in every
// locale that names it counts; defaultLocale is the site's.
func TrackCollectionSlugs(prev, next *Collection, defaultLocale string) {
	former := map[string][]string{}
	addSlugs(former, prev.FormerSlugs)
	addSlugs(former, next.FormerSlugs)
	for _, l := range slices.Sorted(maps.Keys(prev.Translations)) {
		if s := prev.Slug(l, defaultLocale); s != "" && !slices.Contains(former[l], s) {
			former[l] = append(former[l], s)
		}
	}
	next.FormerSlugs = withoutCurrent(former, func(l string) string { return next.Slug(l, defaultLocale) })
}

// addSlugs adds to former the slugs of more it lacks, in order.
func addSlugs(former, more map[string][]string) {
	for l, slugs := range more {
		for _, s := range slugs {
			if !slices.Contains(former[l], s) {
				former[l] = append(former[l], s)
			}
		}
	}
}

// withoutCurrent drops from former each locale's current slug, and the
// locales left with none; nil if none is left.
func withoutCurrent(former map[string][]string, current func(locale string) string) map[string][]string {
	for l, slugs := range former {
		cur := current(l)
		slugs = slices.DeleteFunc(slugs, func(s string) bool { return s == cur })
		if len(slugs) == 0 {
			delete(former, l)
		} else {
			former[l] = slugs
		}
	}
	if len(former) == 0 {
		return nil
	}
	return former
}

// TrackSlugs records in s, a newer copy of prev, the former slugs of every
// article and collection that prev also has (see TrackSlugs), and the slugs
// of the articles prev has and s no longer has (see RecordDeleted), keeping
// prev's record of deleted articles: fetch calls it on each sync, so that
// the snapshot keeps every slug an article was published under.
func (s *Site) TrackSlugs(prev *Site) {
	if prev == nil {
		return
	}
	for _, d := range prev.Deleted {
		if s.Article(d.ID) == nil && !slices.ContainsFunc(s.Deleted, func(x DeletedArticle) bool { return x.ID == d.ID }) {
			s.Deleted = append(s.Deleted, d)
		}
	}
	for i := range prev.Articles {
		if p := &prev.Articles[i]; s.Article(p.ID) == nil {
			s.RecordDeleted(p)
		}
	}
	for i := range s.Articles {
		if p := prev.Article(s.Articles[i].ID); p != nil {
			TrackSlugs(p, &s.Articles[i])
		}
	}
	for i := range s.Collections {
		if p := prev.Collection(s.Collections[i].ID); p != nil {
			TrackCollectionSlugs(p, &s.Collections[i], "")
		}
	}
}

// RecordDeleted adds to s.Deleted the slugs a, an article deleted from s,
// was published under, if any, so that its URLs keep leading to its
// collection. An article deleted again replaces its record.
func (s *Site) RecordDeleted(a *Article) {
	slugs := map[string][]string{}
	addSlugs(slugs, a.FormerSlugs)
	for l, t := range a.Translations {
		if sl := t.Slug(a.ID); t.Published() && sl != "" && !slices.Contains(slugs[l], sl) {
			slugs[l] = append(slugs[l], sl)
		}
	}
	if len(slugs) == 0 {
		return
	}
	d := DeletedArticle{ID: a.ID, ParentIDs: slices.Clone(a.ParentIDs), Slugs: slugs}
	s.Deleted = slices.DeleteFunc(s.Deleted, func(x DeletedArticle) bool { return x.ID == a.ID })
	i, _ := slices.BinarySearchFunc(s.Deleted, a.ID, func(x DeletedArticle, id string) int { return compareIDs(x.ID, id) })
	s.Deleted = slices.Insert(s.Deleted, i, d)
}
