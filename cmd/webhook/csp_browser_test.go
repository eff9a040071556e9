package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/browsertest"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// TestCSPInBrowser opens every kind of page the server serves in headless
// Chromium (home, collection, articles with a video, a table, images and
// code, a redirect, search suggestions and results, 404) and checks that
// none breaks its Content-Security-Policy, nor has any other error, that
// the policy is enforced on each, and that the server sends it as a header
// with the directives a <meta> cannot hold.
func TestCSPInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	h := start(t, 40, fakeintercom.Faults{}, t.TempDir())
	resp, err := http.Get(h.url + "/en/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") || !strings.Contains(got, "frame-ancestors 'self'") || !strings.Contains(got, "form-action 'self'") {
		t.Errorf("the home page's Content-Security-Policy header is %q", got)
	}

	b := browsertest.New(t, browsertest.StubHosts(articlehtml.VideoEmbeds()...))
	video := articleWith(t, h.api, "<iframe")
	table := articleWith(t, h.api, "<table", "<img")
	code := articleWith(t, h.api, "<pre")
	p := b.NewPage(t)
	p.Navigate(h.url + "/en/")
	collection := p.Attr(".cards .card-title a", "href")
	for url, ready := range map[string]string{
		"/":                               "footer",
		"/en/":                            ".cards",
		collection:                        ".article-list",
		"/en/articles/" + video + "/":     ".article-body .video .video-play", // by its bare id: a redirect
		"/en/articles/" + table + "/":     ".article-body table",
		"/fr/articles/" + code + "/":      ".article-body pre",
		"/en/search/?q=the":               `#search-results[data-query="the"] .search-title`,
		"/en/no-such-page/":               ".not-found",
		"/fr/collections/999999-nothing/": ".not-found",
	} {
		browsertest.VisitClean(t, b, h.url+url, ready)
	}
	p.Type("#search-home", "the")
	p.WaitVisible(`#search-home-listbox[data-query="the"] .search-title`)
	p.NoErrors(t)
	browsertest.EnforcesCSP(t, p)
}

// articleWith returns the id of an article published in English and French
// whose English body holds every one of parts.
func articleWith(t *testing.T, api *fakeintercom.Server, parts ...string) string {
	t.Helper()
	for _, a := range api.Site().Articles {
		en, fr := a.Translations["en"], a.Translations["fr"]
		if !en.Published() || !fr.Published() {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(en.Body, p)
		}
		if all {
			return a.ID
		}
	}
	t.Fatalf("no published article holds %q", parts)
	return ""
}
