package fakeintercom

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// testSite is a small generated site: two help centers, nested collections,
// drafts, articles in two collections and one in none.
func testSite(t *testing.T) *content.Site {
	t.Helper()
	site := Generate(GenerateOptions{Articles: 80, Locales: []string{"en", "fr", "ja", "ar", "pt-BR"}, HelpCenters: 2, Seed: 7})
	var nested, twoParents, noParent, draft bool
	for _, c := range site.Collections {
		nested = nested || c.ParentID != ""
	}
	for _, a := range site.Articles {
		twoParents = twoParents || len(a.ParentIDs) > 1
		noParent = noParent || len(a.ParentIDs) == 0
		draft = draft || !a.Translations[a.DefaultLocale].Published()
	}
	if !nested || !twoParents {
		t.Fatalf("test site lacks a case: nested %v, two parents %v", nested, twoParents)
	}
	if !noParent {
		site.Articles[len(site.Articles)/2].ParentIDs = nil
	}
	if !draft {
		a := &site.Articles[len(site.Articles)/3]
		for l, tr := range a.Translations {
			tr.State = content.Draft
			a.Translations[l] = tr
		}
	}
	return site
}

// clock is a settable Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func start(t *testing.T, site *content.Site, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(site, opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
	err    error // reading the body
}

func (r response) decode(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return v
}

// call GETs url with the token and version ("" sends none).
func call(t *testing.T, url, token, version string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if version != "" {
		req.Header.Set("Intercom-Version", version)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body, err: err}
}

// errorCode returns the first code of an error.list.
func errorCode(t *testing.T, r response) string {
	t.Helper()
	v := r.decode(t)
	if v["type"] != "error.list" {
		t.Fatalf("not an error.list: %s", r.body)
	}
	errs, _ := v["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("error.list without errors: %s", r.body)
	}
	code, _ := errs[0].(map[string]any)["code"].(string)
	return code
}
