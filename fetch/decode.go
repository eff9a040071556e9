package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The types in this file decode Intercom's JSON tolerantly: ids arrive as
// strings or numbers, parent ids as integers, strings or null, timestamps as
// Unix seconds (sometimes quoted), and optional objects as null.

// flexID is an id sent as a JSON string, a number or null.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("id %s is neither a string nor a number", b)
		}
		if i, err := n.Int64(); err == nil {
			*f = flexID(strconv.FormatInt(i, 10))
		} else {
			*f = flexID(n.String())
		}
	}
	return nil
}

// flexInt is an integer sent as a JSON number, a numeric string or null.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var id flexID
	if err := id.UnmarshalJSON(b); err != nil {
		return err
	}
	if id == "" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseFloat(string(id), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*f = flexInt(n)
	return nil
}

// unixTime is a timestamp in Unix seconds.
type unixTime int64

func (u *unixTime) UnmarshalJSON(b []byte) error {
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	*u = unixTime(n)
	return nil
}

func (u unixTime) Time() time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(int64(u), 0).UTC()
}

// listPage is one page of a list endpoint. Pages.Next is ignored on purpose:
// it comes as a URL, an object or not at all, so paging follows TotalPages.
type listPage[T any] struct {
	Type       string  `json:"type"`
	Data       []T     `json:"data"`
	TotalCount flexInt `json:"total_count"`
	Pages      *struct {
		Page       flexInt `json:"page"`
		PerPage    flexInt `json:"per_page"`
		TotalPages flexInt `json:"total_pages"`
	} `json:"pages"`
}

// totalPages is how many pages the list has; a list without a pages object
// has one.
func (p *listPage[T]) totalPages() int {
	if p.Pages == nil || p.Pages.TotalPages < 1 {
		return 1
	}
	return int(p.Pages.TotalPages)
}

type apiHelpCenter struct {
	ID              flexID   `json:"id"`
	WorkspaceID     string   `json:"workspace_id"`
	CreatedAt       unixTime `json:"created_at"`
	UpdatedAt       unixTime `json:"updated_at"`
	Identifier      string   `json:"identifier"`
	WebsiteTurnedOn bool     `json:"website_turned_on"`
	DisplayName     string   `json:"display_name"`
	URL             string   `json:"url"`
	CustomDomain    string   `json:"custom_domain"`
	Default         bool     `json:"default"`
	Locales         []string `json:"locales"`
}

// apiCollection is a collection or, in API 2.7–2.9, a section.
type apiCollection struct {
	ID                flexID                     `json:"id"`
	Name              string                     `json:"name"`
	Description       string                     `json:"description"`
	CreatedAt         unixTime                   `json:"created_at"`
	UpdatedAt         unixTime                   `json:"updated_at"`
	URL               string                     `json:"url"`
	Icon              string                     `json:"icon"`
	Order             flexInt                    `json:"order"`
	DefaultLocale     string                     `json:"default_locale"`
	TranslatedContent map[string]json.RawMessage `json:"translated_content"`
	ParentID          flexID                     `json:"parent_id"`
	HelpCenterID      flexID                     `json:"help_center_id"`
}

type apiGroupContent struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type apiArticle struct {
	ID                flexID                     `json:"id"`
	WorkspaceID       string                     `json:"workspace_id"`
	Title             string                     `json:"title"`
	Description       string                     `json:"description"`
	Body              string                     `json:"body"`
	AuthorID          flexID                     `json:"author_id"`
	State             string                     `json:"state"`
	CreatedAt         unixTime                   `json:"created_at"`
	UpdatedAt         unixTime                   `json:"updated_at"`
	URL               string                     `json:"url"`
	ParentID          flexID                     `json:"parent_id"`
	ParentIDs         []flexID                   `json:"parent_ids"`
	DefaultLocale     string                     `json:"default_locale"`
	TranslatedContent map[string]json.RawMessage `json:"translated_content"`
}

type apiArticleContent struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Body        string   `json:"body"`
	AuthorID    flexID   `json:"author_id"`
	State       string   `json:"state"`
	CreatedAt   unixTime `json:"created_at"`
	UpdatedAt   unixTime `json:"updated_at"`
	URL         string   `json:"url"`
}

// translations decodes a translated_content object: one entry per locale,
// plus a "type" key and null entries that are skipped.
func translations[T any](raw map[string]json.RawMessage) (map[string]T, error) {
	out := make(map[string]T, len(raw))
	for locale, msg := range raw {
		if locale == "type" || bytes.Equal(bytes.TrimSpace(msg), []byte("null")) {
			continue
		}
		var v T
		if err := json.Unmarshal(msg, &v); err != nil {
			return nil, fmt.Errorf("translated_content[%q]: %w", locale, err)
		}
		out[locale] = v
	}
	return out, nil
}
