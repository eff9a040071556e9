package fakeintercom

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// The reference client below reads the API the way the spec describes it;
// json.Number takes ids as strings or numbers and null as empty.

type refGroup struct {
	ID                json.Number                `json:"id"`
	URL               string                     `json:"url"`
	Order             int                        `json:"order"`
	Icon              string                     `json:"icon"`
	ParentID          json.Number                `json:"parent_id"`
	HelpCenterID      json.Number                `json:"help_center_id"`
	DefaultLocale     string                     `json:"default_locale"`
	CreatedAt         int64                      `json:"created_at"`
	UpdatedAt         int64                      `json:"updated_at"`
	TranslatedContent map[string]json.RawMessage `json:"translated_content"`
}

type refArticle struct {
	ID                json.Number                `json:"id"`
	WorkspaceID       string                     `json:"workspace_id"`
	ParentID          json.Number                `json:"parent_id"`
	ParentIDs         []json.Number              `json:"parent_ids"`
	DefaultLocale     string                     `json:"default_locale"`
	CreatedAt         int64                      `json:"created_at"`
	UpdatedAt         int64                      `json:"updated_at"`
	TranslatedContent map[string]json.RawMessage `json:"translated_content"`
}

type refTranslation struct {
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Body        string      `json:"body"`
	AuthorID    json.Number `json:"author_id"`
	State       string      `json:"state"`
	URL         string      `json:"url"`
	CreatedAt   int64       `json:"created_at"`
	UpdatedAt   int64       `json:"updated_at"`
}

func unix(s int64) time.Time { return time.Unix(s, 0).UTC() }

// refList fetches every page of a list.
func refList[T any](t *testing.T, base, path, version string) []T {
	t.Helper()
	var all []T
	for page := 1; ; page++ {
		var p struct {
			Data  []T `json:"data"`
			Pages struct {
				TotalPages int `json:"total_pages"`
			} `json:"pages"`
		}
		r := call(t, fmt.Sprintf("%s%s?per_page=13&page=%d", base, path, page), "test-token", version)
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("%s page %d: %v: %s", path, page, err, r.body)
		}
		all = append(all, p.Data...)
		if page >= p.Pages.TotalPages {
			return all
		}
	}
}

func refTranslations[T any](t *testing.T, raw map[string]json.RawMessage) map[string]T {
	t.Helper()
	out := map[string]T{}
	for l, msg := range raw {
		if l == "type" || string(msg) == "null" {
			continue
		}
		var v T
		if err := json.Unmarshal(msg, &v); err != nil {
			t.Fatal(err)
		}
		out[l] = v
	}
	return out
}

// fetchAll is a perfect client: it reads the whole Help Center in version.
func fetchAll(t *testing.T, base, version string) *content.Site {
	t.Helper()
	v, _ := parseVersion(version)
	site := &content.Site{APIVersion: version}

	var hcs struct {
		Data []struct {
			ID              json.Number `json:"id"`
			WorkspaceID     string      `json:"workspace_id"`
			Identifier      string      `json:"identifier"`
			DisplayName     string      `json:"display_name"`
			URL             string      `json:"url"`
			CustomDomain    string      `json:"custom_domain"`
			WebsiteTurnedOn bool        `json:"website_turned_on"`
			Default         bool        `json:"default"`
			Locales         []string    `json:"locales"`
			CreatedAt       int64       `json:"created_at"`
			UpdatedAt       int64       `json:"updated_at"`
		} `json:"data"`
	}
	json.Unmarshal(call(t, base+"/help_center/help_centers", "test-token", version).body, &hcs)
	for _, h := range hcs.Data {
		site.HelpCenters = append(site.HelpCenters, content.HelpCenter{ID: h.ID.String(), WorkspaceID: h.WorkspaceID,
			Identifier: h.Identifier, DisplayName: h.DisplayName, URL: h.URL, CustomDomain: h.CustomDomain,
			WebsiteTurnedOn: h.WebsiteTurnedOn, Default: h.Default, Locales: h.Locales,
			CreatedAt: unix(h.CreatedAt), UpdatedAt: unix(h.UpdatedAt)})
	}

	groups := refList[refGroup](t, base, "/help_center/collections", version)
	if v.sections() {
		groups = append(groups, refList[refGroup](t, base, "/help_center/sections", version)...)
	}
	for _, g := range groups {
		c := content.Collection{ID: g.ID.String(), HelpCenterID: g.HelpCenterID.String(), ParentID: g.ParentID.String(),
			Order: g.Order, Icon: g.Icon, DefaultLocale: g.DefaultLocale, URL: g.URL,
			CreatedAt: unix(g.CreatedAt), UpdatedAt: unix(g.UpdatedAt), Translations: map[string]content.GroupText{}}
		for l, tr := range refTranslations[content.GroupText](t, g.TranslatedContent) {
			c.Translations[l] = tr
		}
		site.Collections = append(site.Collections, c)
	}
	site.Sort()
	// Sections and, with Quirks, nested collections do not name their help
	// center: it is their root's.
	for i := range site.Collections {
		root := &site.Collections[i]
		for root.ParentID != "" {
			root = site.Collection(root.ParentID)
		}
		site.Collections[i].HelpCenterID = root.HelpCenterID
	}

	for _, a := range refList[refArticle](t, base, "/articles", version) {
		art := content.Article{ID: a.ID.String(), WorkspaceID: a.WorkspaceID, DefaultLocale: a.DefaultLocale,
			CreatedAt: unix(a.CreatedAt), UpdatedAt: unix(a.UpdatedAt), Translations: map[string]content.Translation{}}
		for _, p := range a.ParentIDs {
			art.ParentIDs = append(art.ParentIDs, p.String())
		}
		if a.ParentID != "" {
			art.ParentIDs = []string{a.ParentID.String()}
		}
		for l, tr := range refTranslations[refTranslation](t, a.TranslatedContent) {
			art.Translations[l] = content.Translation{Title: tr.Title, Description: tr.Description, Body: Unsign(tr.Body),
				AuthorID: tr.AuthorID.String(), State: content.State(tr.State), URL: tr.URL,
				CreatedAt: unix(tr.CreatedAt), UpdatedAt: unix(tr.UpdatedAt)}
		}
		site.Articles = append(site.Articles, art)
	}
	site.Sort()
	return site
}

// TestExpectedIsFetchable checks that what Expected promises is exactly what
// the API serves, in every version, with and without Quirks.
func TestExpectedIsFetchable(t *testing.T) {
	site := testSite(t)
	for _, quirks := range []bool{false, true} {
		s, ts := start(t, site, Options{Quirks: quirks})
		for _, version := range Versions() {
			got, want := fetchAll(t, ts.URL, version), s.Expected(version)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Quirks %v, %s: fetched site differs from Expected\n%s", quirks, version, firstDifference(got, want))
			}
		}
	}
}

// firstDifference names the first object that differs, for a readable
// failure.
func firstDifference(got, want *content.Site) string {
	if !reflect.DeepEqual(got.HelpCenters, want.HelpCenters) {
		return fmt.Sprintf("help centers:\n%+v\n%+v", got.HelpCenters, want.HelpCenters)
	}
	for i := range min(len(got.Collections), len(want.Collections)) {
		if !reflect.DeepEqual(got.Collections[i], want.Collections[i]) {
			return fmt.Sprintf("collection:\n%+v\n%+v", got.Collections[i], want.Collections[i])
		}
	}
	for i := range min(len(got.Articles), len(want.Articles)) {
		if !reflect.DeepEqual(got.Articles[i], want.Articles[i]) {
			return fmt.Sprintf("article:\n%+v\n%+v", got.Articles[i], want.Articles[i])
		}
	}
	return fmt.Sprintf("%d/%d collections, %d/%d articles, version %q/%q", len(got.Collections), len(want.Collections),
		len(got.Articles), len(want.Articles), got.APIVersion, want.APIVersion)
}
