package fakeintercom

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// listPage is the part of a list answer paging depends on; ids and
// timestamps are read loosely, as Quirks may send ids as numbers.
type listPage struct {
	Data []struct {
		ID        json.Number `json:"id"`
		UpdatedAt int64       `json:"updated_at"`
	} `json:"data"`
	TotalCount int `json:"total_count"`
	Pages      struct {
		Page       int             `json:"page"`
		PerPage    int             `json:"per_page"`
		TotalPages int             `json:"total_pages"`
		Next       json.RawMessage `json:"next"`
	} `json:"pages"`
}

// walk lists every page of path and returns the ids in order, checking
// the paging fields on the way.
func walk(t *testing.T, base, path, version string, perPage int) []string {
	t.Helper()
	var ids []string
	var prev struct {
		updated int64
		id      string
	}
	for page := 1; ; page++ {
		r := call(t, fmt.Sprintf("%s%s?page=%d&per_page=%d", base, path, page, perPage), "test-token", version)
		if r.status != http.StatusOK {
			t.Fatalf("%s page %d: status %d: %s", path, page, r.status, r.body)
		}
		var p listPage
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("%s page %d: %v", path, page, err)
		}
		if p.Pages.Page != page || p.Pages.PerPage != perPage {
			t.Errorf("%s page %d: pages says page %d per_page %d", path, page, p.Pages.Page, p.Pages.PerPage)
		}
		last := page >= p.Pages.TotalPages
		if hasNext := len(p.Pages.Next) > 0 && string(p.Pages.Next) != "null"; hasNext == last && !strings.Contains(t.Name(), "Quirks") {
			t.Errorf("%s page %d of %d: next %s", path, page, p.Pages.TotalPages, p.Pages.Next)
		}
		for _, d := range p.Data {
			id := d.ID.String()
			if page > 1 || len(ids) > 0 {
				if d.UpdatedAt > prev.updated || (d.UpdatedAt == prev.updated && compareDesc(prev.id, id) >= 0) {
					t.Errorf("%s: %s (updated %d) listed after %s (updated %d)", path, id, d.UpdatedAt, prev.id, prev.updated)
				}
			}
			prev.updated, prev.id = d.UpdatedAt, id
			ids = append(ids, id)
		}
		if last {
			if len(ids) != p.TotalCount {
				t.Errorf("%s: %d items over %d pages, total_count %d", path, len(ids), page, p.TotalCount)
			}
			return ids
		}
		if len(p.Data) != perPage {
			t.Errorf("%s page %d of %d: %d items, want %d", path, page, p.Pages.TotalPages, len(p.Data), perPage)
		}
	}
}

// compareDesc is positive when id a sorts after b in descending id order,
// i.e. when a is the smaller number.
func compareDesc(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return int(y - x)
}

func sortedIDs[T any](items []T, id func(T) string, keep func(T) bool) []string {
	var out []string
	for _, it := range items {
		if keep(it) {
			out = append(out, id(it))
		}
	}
	slices.Sort(out)
	return out
}

func TestPaging(t *testing.T) {
	site := testSite(t)
	// Equal timestamps must be ordered by id.
	site.Articles[3].Translations["en"] = withUpdated(site.Articles[3].Translations["en"], site.Articles[4].UpdatedAt)
	allArticles := sortedIDs(site.Articles, func(a content.Article) string { return a.ID }, func(content.Article) bool { return true })
	allCollections := sortedIDs(site.Collections, func(c content.Collection) string { return c.ID }, func(content.Collection) bool { return true })
	top := sortedIDs(site.Collections, func(c content.Collection) string { return c.ID }, func(c content.Collection) bool { return c.ParentID == "" })
	nested := sortedIDs(site.Collections, func(c content.Collection) string { return c.ID }, func(c content.Collection) bool { return c.ParentID != "" })

	for _, quirks := range []bool{false, true} {
		t.Run(fmt.Sprintf("Quirks=%v", quirks), func(t *testing.T) {
			_, ts := start(t, site, Options{Quirks: quirks})
			for _, tc := range []struct {
				version, path string
				want          []string
			}{
				{"2.11", "/articles", allArticles},
				{"2.7", "/articles", allArticles},
				{"2.11", "/help_center/collections", allCollections},
				{"2.16", "/help_center/collections", allCollections},
				{"2.7", "/help_center/collections", top},
				{"2.9", "/help_center/sections", nested},
			} {
				for _, perPage := range []int{1, 7, 250} {
					got := walk(t, ts.URL, tc.path, tc.version, perPage)
					slices.Sort(got)
					if !slices.Equal(got, tc.want) {
						t.Errorf("%s %s per_page %d: listed %v, want %v", tc.version, tc.path, perPage, got, tc.want)
					}
				}
			}
		})
	}
}

func withUpdated(tr content.Translation, at time.Time) content.Translation {
	tr.UpdatedAt = at
	return tr
}

func TestPagingParameters(t *testing.T) {
	_, ts := start(t, testSite(t), Options{})
	for _, tc := range []struct {
		query       string
		status      int
		perPage     int
		code, field string
	}{
		{"", 200, 25, "", ""},
		{"?per_page=1000", 200, 250, "", ""},
		{"?page=0", 400, 0, "parameter_invalid", "page"},
		{"?page=x", 400, 0, "parameter_invalid", "page"},
		{"?per_page=-1", 400, 0, "parameter_invalid", "per_page"},
		{"?page=1000", 200, 25, "", ""},
	} {
		r := call(t, ts.URL+"/articles"+tc.query, "test-token", "")
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.query, r.status, tc.status)
			continue
		}
		if tc.status != 200 {
			v := r.decode(t)
			e := v["errors"].([]any)[0].(map[string]any)
			if e["code"] != tc.code || e["field"] != tc.field {
				t.Errorf("%s: error %v, want %s on %s", tc.query, e, tc.code, tc.field)
			}
			continue
		}
		var p listPage
		json.Unmarshal(r.body, &p)
		if p.Pages.PerPage != tc.perPage {
			t.Errorf("%s: per_page %d, want %d", tc.query, p.Pages.PerPage, tc.perPage)
		}
	}
	r := call(t, ts.URL+"/help_center/collections", "test-token", "")
	var p listPage
	json.Unmarshal(r.body, &p)
	if p.Pages.PerPage != 20 {
		t.Errorf("collections: default per_page %d, want 20", p.Pages.PerPage)
	}
}

func TestAuth(t *testing.T) {
	s, ts := start(t, testSite(t), Options{Tokens: []string{"one", "two"}})
	for _, tc := range []struct {
		name, header string
		status       int
	}{
		{"no header", "", 401},
		{"unknown token", "Bearer three", 401},
		{"basic", "Basic b25lOg==", 401},
		{"first token", "Bearer one", 200},
		{"second token", "bearer two", 200},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/help_center/help_centers", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		r := do(t, req)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.status)
		}
		if tc.status == 401 {
			if code := errorCode(t, r); code != "unauthorized" {
				t.Errorf("%s: code %q", tc.name, code)
			}
			if r.header.Get("X-RateLimit-Limit") != "" {
				t.Errorf("%s: rate-limit headers on an unauthenticated answer", tc.name)
			}
			if id, _ := r.decode(t)["request_id"].(string); len(id) != 36 {
				t.Errorf("%s: request_id %q is not uuid-like", tc.name, id)
			}
		}
	}
	s.SetFaults(Faults{RejectAllTokens: true})
	if r := call(t, ts.URL+"/articles", "one", ""); r.status != 401 {
		t.Errorf("RejectAllTokens: status %d", r.status)
	}
}

func TestErrorsAndVersions(t *testing.T) {
	site := testSite(t)
	var nested string
	for _, c := range site.Collections {
		if c.ParentID != "" {
			nested = c.ID
		}
	}
	_, ts := start(t, site, Options{DefaultVersion: "2.9"})
	for _, tc := range []struct {
		path, version string
		status        int
		code          string
	}{
		{"/articles/1", "", 404, "not_found"},
		{"/articles/abc", "", 404, "not_found"},
		{"/nope", "", 404, "not_found"},
		{"/articles/" + site.Articles[0].ID + "/extra", "", 404, "not_found"},
		{"/help_center/sections/" + nested, "", 200, ""}, // the default version, 2.9, has sections
		{"/help_center/sections/" + nested, "2.10", 400, "intercom_version_invalid"},
		{"/help_center/sections", "2.16", 400, "intercom_version_invalid"},
		{"/articles/search", "2.9", 400, "intercom_version_invalid"},
		{"/articles/search?state=maybe", "2.10", 400, "parameter_invalid"},
		{"/articles", "2.6", 400, "intercom_version_invalid"},
		{"/articles", "banana", 400, "intercom_version_invalid"},
		{"/help_center/collections/" + nested, "2.8", 404, "not_found"}, // a section, not a collection, in 2.8
		{"/help_center/collections/" + nested, "2.13", 200, ""},
	} {
		r := call(t, ts.URL+tc.path, "test-token", tc.version)
		if r.status != tc.status {
			t.Errorf("%s (%s): status %d, want %d: %s", tc.path, tc.version, r.status, tc.status, r.body)
			continue
		}
		if tc.code != "" {
			if code := errorCode(t, r); code != tc.code {
				t.Errorf("%s (%s): code %q, want %q", tc.path, tc.version, code, tc.code)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/articles/"+site.Articles[0].ID, nil)
	req.Header.Set("Authorization", "Bearer test-token")
	if r := do(t, req); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("DELETE: status %d, Allow %q", r.status, r.header.Get("Allow"))
	}
	req, _ = http.NewRequest(http.MethodHead, ts.URL+"/articles", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	if r := do(t, req); r.status != http.StatusOK || len(r.body) != 0 || r.header.Get("Content-Length") == "0" {
		t.Errorf("HEAD: status %d, %d body bytes, Content-Length %s", r.status, len(r.body), r.header.Get("Content-Length"))
	}
}

func TestRateLimit(t *testing.T) {
	clk := newClock()
	s, ts := start(t, testSite(t), Options{RatePerMinute: 120, Window: 2 * time.Second, Now: clk.Now, Tokens: []string{"a", "b"}})
	// 120 a minute in 2-second windows allows 4 calls a window.
	windowEnd := strconv.FormatInt((clk.Now().Unix()/2+1)*2, 10)
	for i := range 4 {
		r := call(t, ts.URL+"/articles?per_page=1", "a", "")
		if r.status != 200 {
			t.Fatalf("call %d: status %d", i+1, r.status)
		}
		h := r.header
		if h.Get("X-RateLimit-Limit") != "120" || h.Get("X-RateLimit-Remaining") != strconv.Itoa(3-i) || h.Get("X-RateLimit-Reset") != windowEnd {
			t.Errorf("call %d: limit %s remaining %s reset %s, want 120, %d, %s", i+1,
				h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset"), 3-i, windowEnd)
		}
	}
	r := call(t, ts.URL+"/articles", "a", "")
	if r.status != 429 || errorCode(t, r) != "rate_limit_exceeded" || r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("fifth call: status %d, remaining %s: %s", r.status, r.header.Get("X-RateLimit-Remaining"), r.body)
	}
	if r := call(t, ts.URL+"/articles", "b", ""); r.status != 200 {
		t.Errorf("another token: status %d", r.status)
	}
	clk.Advance(2 * time.Second)
	if r := call(t, ts.URL+"/articles", "a", ""); r.status != 200 || r.header.Get("X-RateLimit-Remaining") != "3" {
		t.Errorf("next window: status %d, remaining %s", r.status, r.header.Get("X-RateLimit-Remaining"))
	}
	if got := s.Calls(); got != 7 {
		t.Errorf("Calls() = %d, want 7", got)
	}
	if got := s.CallsByRoute()["GET /articles"]; got != 7 {
		t.Errorf(`CallsByRoute()["GET /articles"] = %d, want 7`, got)
	}
	s.ResetCalls()
	if s.Calls() != 0 || len(s.CallsByRoute()) != 0 {
		t.Errorf("after ResetCalls: %d calls, %v", s.Calls(), s.CallsByRoute())
	}
}

func TestQuirksVary(t *testing.T) {
	site := testSite(t)
	_, ts := start(t, site, Options{Quirks: true})
	numericIDs, nextForms := 0, map[string]bool{}
	for page := 1; page <= 12; page++ {
		r := call(t, fmt.Sprintf("%s/articles?per_page=5&page=%d", ts.URL, page), "test-token", "2.11")
		v := r.decode(t)
		for _, a := range v["data"].([]any) {
			if _, ok := a.(map[string]any)["id"].(json.Number); ok {
				numericIDs++
			}
		}
		next, present := v["pages"].(map[string]any)["next"]
		switch next.(type) {
		case string:
			nextForms["url"] = true
		case map[string]any:
			nextForms["object"] = true
		case nil:
			nextForms[map[bool]string{true: "null", false: "absent"}[present]] = true
		}
	}
	if numericIDs == 0 || numericIDs == 60 {
		t.Errorf("%d of 60 ids are numbers; Quirks should send some", numericIDs)
	}
	if !nextForms["url"] || !nextForms["object"] || !nextForms["absent"] {
		t.Errorf("pages.next forms seen: %v", nextForms)
	}
}
