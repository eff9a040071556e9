package fetch_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
)

// A list item the API sends malformed, or with an id or locale that cannot
// be published, is left out and reported; the rest of its page is kept.
func TestSyncRefusesBadItemsKeepsTheRest(t *testing.T) {
	pages := map[string]string{
		"/help_center/help_centers": `{"type":"list","data":[{"id":"1","display_name":"Help"}]}`,
		"/help_center/collections":  `{"type":"list","data":[{"id":"10","name":"Start","translated_content":{"en":{"name":"Start"}}},{"id":"../10","name":"Bad"}]}`,
		"/articles": `{"type":"list","pages":{"page":1,"total_pages":1},"data":[
			{"id":"100","title":"Good","state":"published","parent_id":10,"updated_at":1700000300},
			{"id":"101","title":{"not":"a string"},"state":"published","updated_at":1700000200},
			{"id":"102","default_locale":"en","updated_at":1700000100,"translated_content":{
				"en":{"title":"Two locales","state":"published"},
				"../../etc":{"title":"Hostile","state":"published"}}},
			{"id":"12\n3","title":"Newline id","state":"published","updated_at":1700000000}]}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.Error(w, `{"type":"error.list","errors":[{"code":"not_found","message":"nope"}]}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	c, err := fetch.New(fetch.Config{BaseURL: srv.URL, Token: "t", Version: "2.11"})
	if err != nil {
		t.Fatal(err)
	}
	site, report, err := c.Sync(context.Background(), nil, fetch.SyncOptions{})
	if err != nil {
		t.Fatalf("one bad item failed the sync: %v", err)
	}
	var ids []string
	for _, a := range site.Articles {
		ids = append(ids, a.ID)
	}
	if !slices.Equal(ids, []string{"100", "102"}) {
		t.Errorf("articles %v, want 100 and 102", ids)
	}
	if a := site.Article("102"); a == nil || len(a.Translations) != 1 || !a.Translations["en"].Published() {
		t.Errorf("article 102 should keep only its good translation: %+v", a)
	}
	if len(site.Collections) != 1 || site.Collections[0].ID != "10" {
		t.Errorf("collections %+v, want only 10", site.Collections)
	}
	want := []string{`article "101"`, `translation "102" ("../../etc")`, `article "12\n3"`, `collection "../10"`}
	got := make([]string, len(report.Refused))
	for i, s := range report.Refused {
		got[i] = s.String()
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("refusal %s not reported: %q", w, got)
		}
	}
	if !slices.Equal(site.Refused, report.Refused) {
		t.Error("the site does not record what was refused")
	}

	// A delta sync that sees article 102 fixed drops its refusal and keeps
	// the others.
	pages["/articles"] = `{"type":"list","data":[{"id":"102","default_locale":"en","updated_at":1700000500,"translated_content":{"en":{"title":"Fixed","state":"published"}}}]}`
	next, report, err := c.Sync(context.Background(), site, fetch.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(next.Refused, func(s content.Skipped) bool { return s.ID == "102" }) ||
		!slices.ContainsFunc(next.Refused, func(s content.Skipped) bool { return s.ID == "101" }) {
		t.Errorf("after the fix: refused %v", report.Refused)
	}
}
