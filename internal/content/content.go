// Package content is helpsite's model of a Help Center: help centers, the
// collection tree and articles with their per-locale translations.
//
// It is independent of the Intercom API version that produced it. The fetch
// package fills it, the snapshot store persists it, and render and search read
// nothing else.
package content

import (
	"slices"
	"time"
)

// Site is everything mirrored from one Intercom workspace.
type Site struct {
	// APIVersion is the Intercom-Version the content was fetched with.
	APIVersion string `json:"api_version"`
	// SyncedAt is when the last successful sync finished.
	SyncedAt    time.Time    `json:"synced_at"`
	HelpCenters []HelpCenter `json:"help_centers"`
	// Collections holds the whole tree, sections (API 2.7–2.9) included,
	// sorted by ID.
	Collections []Collection `json:"collections"`
	// Articles is sorted by ID.
	Articles []Article `json:"articles"`
	// Refused are the items the API sent that could not be kept because
	// their id or locale is malformed (see Clean), so that every build
	// reports them until they are fixed.
	Refused []Skipped `json:"refused,omitempty"`
	// Deleted are the articles deleted from Intercom that were published,
	// sorted by ID: their URLs keep leading to their collection.
	Deleted []DeletedArticle `json:"deleted_articles,omitempty"`
}

// DeletedArticle is what a site keeps of a deleted article: where it was.
type DeletedArticle struct {
	ID        string   `json:"id"`
	ParentIDs []string `json:"parent_ids,omitempty"`
	// Slugs maps a locale to every slug the article was published under
	// there.
	Slugs map[string][]string `json:"slugs"`
}

// HelpCenter is one Help Center of the workspace.
type HelpCenter struct {
	ID              string    `json:"id"`
	WorkspaceID     string    `json:"workspace_id,omitempty"`
	Identifier      string    `json:"identifier"`
	DisplayName     string    `json:"display_name"`
	URL             string    `json:"url,omitempty"`
	CustomDomain    string    `json:"custom_domain,omitempty"`
	WebsiteTurnedOn bool      `json:"website_turned_on"`
	Default         bool      `json:"default,omitempty"` // API 2.16+
	Locales         []string  `json:"locales,omitempty"` // API 2.16+
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Collection is a node of the collection tree. Sections of API 2.7–2.9 are
// collections whose parent is their collection.
type Collection struct {
	ID           string `json:"id"`
	HelpCenterID string `json:"help_center_id,omitempty"`
	// ParentID is empty for a top-level collection.
	ParentID      string `json:"parent_id,omitempty"`
	Order         int    `json:"order"`
	Icon          string `json:"icon,omitempty"`
	DefaultLocale string `json:"default_locale,omitempty"`
	URL           string `json:"url,omitempty"`
	// Translations maps a locale to the collection's name and description.
	Translations map[string]GroupText `json:"translations"`
	// FormerSlugs maps a locale to the slugs the collection's page had
	// before its current one, oldest first (see TrackSlugs).
	FormerSlugs map[string][]string `json:"former_slugs,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
}

// GroupText is a collection's name and description in one locale.
type GroupText struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Article is one article with all its translations.
type Article struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id,omitempty"`
	// ParentIDs lists the collections that hold the article, first the
	// primary one; it is empty for an article that stands alone.
	ParentIDs     []string `json:"parent_ids,omitempty"`
	DefaultLocale string   `json:"default_locale,omitempty"`
	// Translations maps a locale to its content, drafts included.
	Translations map[string]Translation `json:"translations"`
	// FormerSlugs maps a locale to the slugs the translation was published
	// under before its current one, oldest first (see TrackSlugs): their
	// URLs keep leading to the article.
	FormerSlugs map[string][]string `json:"former_slugs,omitempty"`
	// CreatedAt and UpdatedAt are the default locale's, as the API reports
	// them at the top level.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// State is the publication state of one translation.
type State string

// The publication states Intercom reports.
const (
	Published State = "published"
	Draft     State = "draft"
)

// Translation is an article's content in one locale.
type Translation struct {
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Body        string    `json:"body,omitempty"` // HTML from Intercom's editor
	AuthorID    string    `json:"author_id,omitempty"`
	State       State     `json:"state"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	URL         string    `json:"url,omitempty"` // public URL on Intercom's help center
}

// Published reports whether the translation is public.
func (t Translation) Published() bool { return t.State == Published }

// PublishedLocales returns the locales in which a is public, sorted.
func (a *Article) PublishedLocales() []string {
	var locales []string
	for l, t := range a.Translations {
		if t.Published() {
			locales = append(locales, l)
		}
	}
	slices.Sort(locales)
	return locales
}

// PublishedLocales returns every locale in which some article of s is
// public, sorted: the locales a site is built in.
func (s *Site) PublishedLocales() []string {
	var locales []string
	for i := range s.Articles {
		for l, t := range s.Articles[i].Translations {
			if !slices.Contains(locales, l) && t.Published() {
				locales = append(locales, l)
			}
		}
	}
	slices.Sort(locales)
	return locales
}

// Article returns the article with the given id, or nil.
func (s *Site) Article(id string) *Article {
	i, ok := slices.BinarySearchFunc(s.Articles, id, func(a Article, id string) int { return compareIDs(a.ID, id) })
	if !ok {
		return nil
	}
	return &s.Articles[i]
}

// Collection returns the collection with the given id, or nil.
func (s *Site) Collection(id string) *Collection {
	i, ok := slices.BinarySearchFunc(s.Collections, id, func(c Collection, id string) int { return compareIDs(c.ID, id) })
	if !ok {
		return nil
	}
	return &s.Collections[i]
}

// Sort puts help centers, collections and articles in ID order, which
// Article and Collection rely on and which makes a snapshot reproducible.
func (s *Site) Sort() {
	slices.SortFunc(s.HelpCenters, func(a, b HelpCenter) int { return compareIDs(a.ID, b.ID) })
	slices.SortFunc(s.Collections, func(a, b Collection) int { return compareIDs(a.ID, b.ID) })
	slices.SortFunc(s.Articles, func(a, b Article) int { return compareIDs(a.ID, b.ID) })
	slices.SortFunc(s.Deleted, func(a, b DeletedArticle) int { return compareIDs(a.ID, b.ID) })
}

// compareIDs orders Intercom ids, which are decimal numbers in strings,
// numerically: shorter first, then lexically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
