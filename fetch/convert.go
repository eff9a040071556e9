package fetch

import (
	"fmt"

	"github.com/helpsite/helpsite/internal/content"
)

// fallbackLocale is the locale of content from a help center that reports
// no default_locale (a single-language help center).
const fallbackLocale = "en"

func (h *apiHelpCenter) content() (content.HelpCenter, error) {
	return content.HelpCenter{
		ID:              string(h.ID),
		WorkspaceID:     h.WorkspaceID,
		Identifier:      h.Identifier,
		DisplayName:     h.DisplayName,
		URL:             h.URL,
		CustomDomain:    h.CustomDomain,
		WebsiteTurnedOn: h.WebsiteTurnedOn,
		Default:         h.Default,
		Locales:         h.Locales,
		CreatedAt:       h.CreatedAt.Time(),
		UpdatedAt:       h.UpdatedAt.Time(),
	}, nil
}

// content converts a collection or section. A section's parent_id is its
// collection; its help center is filled in later from that collection.
func (c *apiCollection) content() (content.Collection, error) {
	texts, err := translations[apiGroupContent](c.TranslatedContent)
	if err != nil {
		return content.Collection{}, fmt.Errorf("collection %s: %w", c.ID, err)
	}
	defaultLocale := orDefault(c.DefaultLocale)
	out := content.Collection{
		ID:            string(c.ID),
		HelpCenterID:  string(c.HelpCenterID),
		ParentID:      string(c.ParentID),
		Order:         int(c.Order),
		Icon:          c.Icon,
		DefaultLocale: defaultLocale,
		URL:           c.URL,
		Translations:  make(map[string]content.GroupText, len(texts)),
		CreatedAt:     c.CreatedAt.Time(),
		UpdatedAt:     c.UpdatedAt.Time(),
	}
	for locale, t := range texts {
		if t.Name == "" && t.Description == "" {
			continue // a locale the collection was never translated into
		}
		out.Translations[locale] = content.GroupText{Name: t.Name, Description: t.Description}
	}
	if len(out.Translations) == 0 {
		out.Translations[defaultLocale] = content.GroupText{Name: c.Name, Description: c.Description}
	}
	return out, nil
}

func (a *apiArticle) content() (content.Article, error) {
	texts, err := translations[apiArticleContent](a.TranslatedContent)
	if err != nil {
		return content.Article{}, fmt.Errorf("article %s: %w", a.ID, err)
	}
	defaultLocale := orDefault(a.DefaultLocale)
	if len(texts) == 0 {
		texts = map[string]apiArticleContent{defaultLocale: {
			Title: a.Title, Description: a.Description, Body: a.Body, AuthorID: a.AuthorID,
			State: a.State, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, URL: a.URL,
		}}
	}
	out := content.Article{
		ID:            string(a.ID),
		WorkspaceID:   a.WorkspaceID,
		DefaultLocale: defaultLocale,
		Translations:  make(map[string]content.Translation, len(texts)),
		CreatedAt:     a.CreatedAt.Time(),
		UpdatedAt:     a.UpdatedAt.Time(),
	}
	for _, id := range a.ParentIDs {
		if id != "" {
			out.ParentIDs = append(out.ParentIDs, string(id))
		}
	}
	if len(out.ParentIDs) == 0 && a.ParentID != "" {
		out.ParentIDs = []string{string(a.ParentID)}
	}
	for locale, t := range texts {
		out.Translations[locale] = content.Translation{
			Title:       t.Title,
			Description: t.Description,
			Body:        t.Body,
			AuthorID:    string(t.AuthorID),
			State:       content.State(t.State),
			CreatedAt:   t.CreatedAt.Time(),
			UpdatedAt:   t.UpdatedAt.Time(),
			URL:         t.URL,
		}
	}
	return out, nil
}

func orDefault(locale string) string {
	if locale == "" {
		return fallbackLocale
	}
	return locale
}

// inheritHelpCenters gives every collection without a help center id (the
// sections of API 2.7–2.9) the one of its nearest ancestor that has it.
func inheritHelpCenters(cols []content.Collection) {
	byID := make(map[string]*content.Collection, len(cols))
	for i := range cols {
		byID[cols[i].ID] = &cols[i]
	}
	var find func(c *content.Collection, depth int) string
	find = func(c *content.Collection, depth int) string {
		if c.HelpCenterID != "" || depth > len(cols) {
			return c.HelpCenterID
		}
		parent := byID[c.ParentID]
		if parent == nil {
			return ""
		}
		return find(parent, depth+1)
	}
	for i := range cols {
		cols[i].HelpCenterID = find(&cols[i], 0)
	}
}
