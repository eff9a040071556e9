package fakeintercom

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/slug"
)

// ErrNotFound is returned by the mutations for an unknown article or
// collection.
var ErrNotFound = errors.New("not found")

// store is the canonical Help Center with the indexes the handlers read. It
// is not safe for concurrent use; Server guards it.
type store struct {
	site          *content.Site
	defaultLocale string
	workspaceID   string

	helpCenters map[string]*content.HelpCenter
	collections map[string]*content.Collection
	// byUpdated lists are in the order the API lists them: updated_at
	// descending, then id descending.
	articlesByUpdated    []*content.Article
	collectionsByUpdated []*content.Collection
	// topByUpdated and nestedByUpdated split collectionsByUpdated into what
	// API 2.7–2.9 serves as collections and as sections.
	topByUpdated    []*content.Collection
	nestedByUpdated []*content.Collection
	// slugs caches slugify, which every reindex needs for every title.
	slugs map[string]string
}

// newStore deep-copies site and normalizes it the way Intercom would report
// it: timestamps in whole seconds, a default locale everywhere, nested
// collections in their root's help center, article timestamps from the
// default locale, and the public URLs Intercom derives from titles.
func newStore(site *content.Site) (*store, error) {
	s := &store{site: cloneSite(site), slugs: make(map[string]string)}
	s.site.Sort()
	s.defaultLocale = siteDefaultLocale(s.site)
	s.workspaceID = siteWorkspaceID(s.site)
	for i := range s.site.HelpCenters {
		hc := &s.site.HelpCenters[i]
		hc.CreatedAt, hc.UpdatedAt = second(hc.CreatedAt), second(hc.UpdatedAt)
		if hc.WorkspaceID == "" {
			hc.WorkspaceID = s.workspaceID
		}
		hc.URL = s.helpCenterURL(hc)
	}
	for i := range s.site.Collections {
		c := &s.site.Collections[i]
		c.CreatedAt, c.UpdatedAt = second(c.CreatedAt), second(c.UpdatedAt)
		if c.DefaultLocale == "" {
			c.DefaultLocale = s.defaultLocale
		}
	}
	for i := range s.site.Articles {
		a := &s.site.Articles[i]
		if a.WorkspaceID == "" {
			a.WorkspaceID = s.workspaceID
		}
		if a.DefaultLocale == "" {
			a.DefaultLocale = s.defaultLocale
		}
		for l, t := range a.Translations {
			t.CreatedAt, t.UpdatedAt = second(t.CreatedAt), second(t.UpdatedAt)
			a.Translations[l] = t
		}
	}
	if err := s.reindex(); err != nil {
		return nil, err
	}
	return s, nil
}

func second(t time.Time) time.Time { return t.Truncate(time.Second).UTC() }

func siteDefaultLocale(site *content.Site) string {
	for _, hc := range site.HelpCenters {
		if hc.Default && len(hc.Locales) > 0 {
			return hc.Locales[0]
		}
	}
	for _, a := range site.Articles {
		if a.DefaultLocale != "" {
			return a.DefaultLocale
		}
	}
	return "en"
}

func siteWorkspaceID(site *content.Site) string {
	for _, hc := range site.HelpCenters {
		if hc.WorkspaceID != "" {
			return hc.WorkspaceID
		}
	}
	for _, a := range site.Articles {
		if a.WorkspaceID != "" {
			return a.WorkspaceID
		}
	}
	return "fakewksp"
}

// reindex checks the tree, re-derives inherited fields and URLs and rebuilds
// the indexes. Every mutation ends with it.
func (s *store) reindex() error {
	s.helpCenters = make(map[string]*content.HelpCenter, len(s.site.HelpCenters))
	for i := range s.site.HelpCenters {
		s.helpCenters[s.site.HelpCenters[i].ID] = &s.site.HelpCenters[i]
	}
	s.collections = make(map[string]*content.Collection, len(s.site.Collections))
	for i := range s.site.Collections {
		s.collections[s.site.Collections[i].ID] = &s.site.Collections[i]
	}
	for i := range s.site.Collections {
		c := &s.site.Collections[i]
		root, err := s.root(c)
		if err != nil {
			return err
		}
		c.HelpCenterID = root.HelpCenterID
		c.URL = s.collectionURL(c)
	}
	for i := range s.site.Articles {
		a := &s.site.Articles[i]
		for _, p := range a.ParentIDs {
			if s.collections[p] == nil {
				return fmt.Errorf("article %s: parent collection %s does not exist", a.ID, p)
			}
		}
		if _, ok := a.Translations[a.DefaultLocale]; !ok {
			return fmt.Errorf("article %s: no translation in its default locale %q", a.ID, a.DefaultLocale)
		}
		s.deriveArticle(a)
	}

	s.articlesByUpdated = byUpdated(s.site.Articles, func(a *content.Article) (time.Time, string) { return a.UpdatedAt, a.ID })
	s.collectionsByUpdated = byUpdated(s.site.Collections, func(c *content.Collection) (time.Time, string) { return c.UpdatedAt, c.ID })
	s.topByUpdated = s.topByUpdated[:0]
	s.nestedByUpdated = s.nestedByUpdated[:0]
	for _, c := range s.collectionsByUpdated {
		if c.ParentID == "" {
			s.topByUpdated = append(s.topByUpdated, c)
		} else {
			s.nestedByUpdated = append(s.nestedByUpdated, c)
		}
	}
	return nil
}

// root returns the top-level collection above c, or an error for a parent
// that does not exist or a cycle.
func (s *store) root(c *content.Collection) (*content.Collection, error) {
	for depth := 0; c.ParentID != ""; depth++ {
		parent := s.collections[c.ParentID]
		if parent == nil {
			return nil, fmt.Errorf("collection %s: parent %s does not exist", c.ID, c.ParentID)
		}
		if depth > len(s.collections) {
			return nil, fmt.Errorf("collection %s: parent cycle", c.ID)
		}
		c = parent
	}
	return c, nil
}

// deriveArticle sets what Intercom derives: each published translation's URL
// and the top-level timestamps of the default locale.
func (s *store) deriveArticle(a *content.Article) {
	base := s.helpCenterURL(s.articleHelpCenter(a))
	for l, t := range a.Translations {
		t.URL = ""
		if t.Published() {
			t.URL = base + "/" + l + "/articles/" + s.idSlug(a.ID, t.Title)
		}
		a.Translations[l] = t
	}
	d := a.Translations[a.DefaultLocale]
	a.CreatedAt, a.UpdatedAt = d.CreatedAt, d.UpdatedAt
}

func (s *store) collectionURL(c *content.Collection) string {
	return s.helpCenterURL(s.helpCenters[c.HelpCenterID]) + "/" + c.DefaultLocale + "/collections/" +
		s.idSlug(c.ID, c.Translations[c.DefaultLocale].Name)
}

// articleHelpCenter is the help center of the article's first collection,
// or the default one for an article in no collection.
func (s *store) articleHelpCenter(a *content.Article) *content.HelpCenter {
	if len(a.ParentIDs) > 0 {
		if c := s.collections[a.ParentIDs[0]]; c != nil && s.helpCenters[c.HelpCenterID] != nil {
			return s.helpCenters[c.HelpCenterID]
		}
	}
	return s.defaultHelpCenter()
}

func (s *store) defaultHelpCenter() *content.HelpCenter {
	for i := range s.site.HelpCenters {
		if s.site.HelpCenters[i].Default {
			return &s.site.HelpCenters[i]
		}
	}
	if len(s.site.HelpCenters) > 0 {
		return &s.site.HelpCenters[0]
	}
	return nil
}

func (s *store) helpCenterURL(hc *content.HelpCenter) string {
	switch {
	case hc == nil:
		return "https://intercom.help/" + s.workspaceID
	case hc.URL != "":
		return strings.TrimSuffix(hc.URL, "/")
	case hc.CustomDomain != "":
		return "https://" + hc.CustomDomain
	}
	return "https://intercom.help/" + hc.Identifier
}

// byUpdated returns pointers to items in API list order.
func byUpdated[T any](items []T, key func(*T) (time.Time, string)) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	slices.SortFunc(out, func(a, b *T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		if c := tb.Compare(ta); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(len(ib), len(ia)), cmp.Compare(ib, ia))
	})
	return out
}

// idSlug is idSlug with the store's slug cache.
func (s *store) idSlug(id, title string) string {
	slug, ok := s.slugs[title]
	if !ok {
		slug = slugify(title)
		s.slugs[title] = slug
	}
	return joinSlug(id, slug)
}

// idSlug is the "<id>-<slug>" path segment of a help center URL, or the bare
// id when the title has nothing to slug.
func idSlug(id, title string) string { return joinSlug(id, slugify(title)) }

func joinSlug(id, slug string) string {
	if slug == "" {
		return id
	}
	return id + "-" + slug
}

// slugify makes the slug Intercom gives a title in its public URLs: Latin
// letters folded to ASCII and lowercased, letters of other scripts kept,
// every other run of characters a hyphen, as its own help centers show
// (/ja/articles/11145838-max-プランでの-claude-code-の使用,
// /zh-CN/articles/12512198-如何创建自定义-skills,
// /fi/articles/4167040-lukitun-kuukauden-kayttaminen-…).
func slugify(title string) string { return slug.Make(title) }

// expected is the site as a perfect client fetching with version v sees it.
func (s *store) expected(v version) *content.Site {
	site := cloneSite(s.site)
	site.APIVersion = v.String()
	site.SyncedAt = time.Time{}
	if !v.helpCenterLocales() {
		for i := range site.HelpCenters {
			site.HelpCenters[i].Default = false
			site.HelpCenters[i].Locales = nil
		}
	}
	if !v.parentIDs() {
		for i := range site.Articles {
			if a := &site.Articles[i]; len(a.ParentIDs) > 1 {
				a.ParentIDs = a.ParentIDs[:1]
			}
		}
	}
	return site
}

func cloneSite(site *content.Site) *content.Site {
	out := *site
	out.HelpCenters = slices.Clone(site.HelpCenters)
	for i := range out.HelpCenters {
		out.HelpCenters[i].Locales = slices.Clone(out.HelpCenters[i].Locales)
	}
	out.Collections = slices.Clone(site.Collections)
	for i := range out.Collections {
		out.Collections[i].Translations = maps.Clone(out.Collections[i].Translations)
	}
	out.Articles = slices.Clone(site.Articles)
	for i := range out.Articles {
		out.Articles[i] = cloneArticle(out.Articles[i])
	}
	return &out
}

func cloneArticle(a content.Article) content.Article {
	a.ParentIDs = slices.Clone(a.ParentIDs)
	a.Translations = maps.Clone(a.Translations)
	return a
}

// updateArticle applies fn to a copy of the article and stamps now on every
// translation whose content changed; a move to other collections counts as a
// change of the default locale.
func (s *store) updateArticle(id string, now time.Time, fn func(*content.Article)) error {
	a := s.site.Article(id)
	if a == nil {
		return fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	next := cloneArticle(*a)
	fn(&next)
	if next.ID != id {
		return fmt.Errorf("article %s: the id cannot change", id)
	}
	for l, t := range next.Translations {
		old, ok := a.Translations[l]
		if !ok || translationChanged(old, t) || (l == next.DefaultLocale && !slices.Equal(a.ParentIDs, next.ParentIDs)) {
			t.UpdatedAt = now
			if !ok && t.CreatedAt.IsZero() {
				t.CreatedAt = now
			}
			next.Translations[l] = t
		}
	}
	return s.replace(func() { *a = next })
}

func translationChanged(a, b content.Translation) bool {
	return a.Title != b.Title || a.Description != b.Description || a.Body != b.Body ||
		a.AuthorID != b.AuthorID || a.State != b.State
}

func (s *store) createArticle(a content.Article, now time.Time) error {
	if a.ID == "" {
		return errors.New("create article: no id")
	}
	if s.site.Article(a.ID) != nil {
		return fmt.Errorf("create article %s: the id is taken", a.ID)
	}
	a = cloneArticle(a)
	if a.WorkspaceID == "" {
		a.WorkspaceID = s.workspaceID
	}
	if a.DefaultLocale == "" {
		a.DefaultLocale = s.defaultLocale
	}
	for l, t := range a.Translations {
		if t.CreatedAt.IsZero() {
			t.CreatedAt = now
		}
		if t.UpdatedAt.IsZero() {
			t.UpdatedAt = now
		}
		t.CreatedAt, t.UpdatedAt = second(t.CreatedAt), second(t.UpdatedAt)
		a.Translations[l] = t
	}
	return s.replace(func() {
		s.site.Articles = append(s.site.Articles, a)
		s.site.Sort()
	})
}

func (s *store) deleteArticle(id string) error {
	n := len(s.site.Articles)
	articles := slices.DeleteFunc(slices.Clone(s.site.Articles), func(a content.Article) bool { return a.ID == id })
	if len(articles) == n {
		return fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	return s.replace(func() { s.site.Articles = articles })
}

// updateCollection applies fn to a copy of the collection and stamps now if
// anything but its timestamps changed.
func (s *store) updateCollection(id string, now time.Time, fn func(*content.Collection)) error {
	c := s.site.Collection(id)
	if c == nil {
		return fmt.Errorf("collection %s: %w", id, ErrNotFound)
	}
	next := *c
	next.Translations = maps.Clone(c.Translations)
	fn(&next)
	if next.ID != id {
		return fmt.Errorf("collection %s: the id cannot change", id)
	}
	if next.DefaultLocale == "" {
		next.DefaultLocale = s.defaultLocale
	}
	if collectionChanged(*c, next) {
		next.UpdatedAt = now
	}
	return s.replace(func() { *c = next })
}

func collectionChanged(a, b content.Collection) bool {
	return a.HelpCenterID != b.HelpCenterID || a.ParentID != b.ParentID || a.Order != b.Order ||
		a.Icon != b.Icon || a.DefaultLocale != b.DefaultLocale || !maps.Equal(a.Translations, b.Translations)
}

// deleteCollection deletes the collection and everything nested in it; the
// articles they held stay, without those parents and without an edit stamp.
func (s *store) deleteCollection(id string) error {
	if s.site.Collection(id) == nil {
		return fmt.Errorf("collection %s: %w", id, ErrNotFound)
	}
	doomed := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, c := range s.site.Collections {
			if !doomed[c.ID] && doomed[c.ParentID] {
				doomed[c.ID], grew = true, true
			}
		}
	}
	collections := slices.DeleteFunc(slices.Clone(s.site.Collections), func(c content.Collection) bool { return doomed[c.ID] })
	articles := slices.Clone(s.site.Articles)
	for i := range articles {
		if slices.ContainsFunc(articles[i].ParentIDs, func(p string) bool { return doomed[p] }) {
			articles[i] = cloneArticle(articles[i])
			articles[i].ParentIDs = slices.DeleteFunc(articles[i].ParentIDs, func(p string) bool { return doomed[p] })
		}
	}
	return s.replace(func() {
		s.site.Collections = collections
		s.site.Articles = articles
	})
}

// replace applies change and reindexes; if the result is inconsistent it
// restores the previous state and returns why.
func (s *store) replace(change func()) error {
	saved := cloneSite(s.site)
	change()
	if err := s.reindex(); err != nil {
		s.site = saved
		if err := s.reindex(); err != nil {
			panic("fakeintercom: restoring a consistent site failed: " + err.Error())
		}
		return err
	}
	return nil
}
