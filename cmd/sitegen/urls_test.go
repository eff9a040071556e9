package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/sitehttp"
)

// hosts serve one built site two ways: a plain static file server with no
// rewrite rules (Go's http.FileServer, as S3 or GitHub Pages would) and
// helpsite's own file serving, which `sitegen serve` and the webhook
// server use.
type hosts struct {
	static, helpsite *httptest.Server
}

func serveBoth(t *testing.T, dir string) hosts {
	t.Helper()
	site, err := sitehttp.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := hosts{httptest.NewServer(http.FileServer(http.Dir(dir))), httptest.NewServer(site)}
	t.Cleanup(h.static.Close)
	t.Cleanup(h.helpsite.Close)
	return h
}

// answer is what a host answers for a path, redirects not followed.
type answer struct {
	status   int
	location string
	body     string
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func fetchPath(t *testing.T, srv *httptest.Server, path string) answer {
	t.Helper()
	resp, err := noFollow.Get(srv.URL + (&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var loc string
	if raw := resp.Header.Get("Location"); raw != "" {
		ref, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: Location %q: %v", path, raw, err)
		}
		loc = (&url.URL{Path: path}).ResolveReference(ref).Path // http.FileServer's are relative
	}
	return answer{resp.StatusCode, loc, string(body)}
}

// page follows the slash a directory's URL gets and returns the answer
// for the page at path: Intercom's URLs name pages without it.
func page(t *testing.T, srv *httptest.Server, path string) answer {
	t.Helper()
	a := fetchPath(t, srv, path)
	if a.status == http.StatusMovedPermanently && a.location == path+"/" {
		a = fetchPath(t, srv, path+"/")
	}
	return a
}

var refreshURL = regexp.MustCompile(`http-equiv="refresh" content="0; url=([^"]*)"`)

// redirectPage returns where the redirect page at path sends a browser,
// "" if path is not one.
func redirectPage(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	a := page(t, srv, path)
	m := refreshURL.FindStringSubmatch(a.body)
	if a.status != http.StatusOK || m == nil {
		return ""
	}
	return m[1]
}

// checkPage checks that path is a page, not a redirect, on both hosts.
func (h hosts) checkPage(t *testing.T, path, what string) {
	t.Helper()
	for name, srv := range map[string]*httptest.Server{"static host": h.static, "helpsite": h.helpsite} {
		if a := page(t, srv, path); a.status != http.StatusOK || refreshURL.MatchString(a.body) {
			t.Errorf("%s: %s %s answers %d (Location %q), want its page", name, what, path, a.status, a.location)
		}
	}
}

// checkRedirect checks that path leads to target: a redirect page on the
// static host, a 301 on helpsite's.
func (h hosts) checkRedirect(t *testing.T, path, target, what string) {
	t.Helper()
	if got := redirectPage(t, h.static, path); got != target {
		t.Errorf("static host: %s %s has a redirect page to %q, want %q", what, path, got, target)
	}
	if a := page(t, h.helpsite, path); a.status != http.StatusMovedPermanently || a.location != target {
		t.Errorf("helpsite: %s %s answers %d to %q, want 301 to %q", what, path, a.status, a.location, target)
	}
}

// checkGone checks that path answers no page, not even a redirect page,
// on the static host, and a 301 to target on helpsite's.
func (h hosts) checkGone(t *testing.T, path, target, what string) {
	t.Helper()
	if a := page(t, h.static, path); a.status == http.StatusOK {
		t.Errorf("static host: %s %s answers 200", what, path)
	}
	if a := page(t, h.helpsite, path); a.status != http.StatusMovedPermanently || a.location != target {
		t.Errorf("helpsite: %s %s answers %d to %q, want 301 to %q", what, path, a.status, a.location, target)
	}
}

// TestIntercomURLsKeepWorking mirrors a help center with regional locales
// through fetch and build, and checks every URL Intercom served for it on
// a plain static host and on helpsite's server: each published article and
// collection under Intercom's exact path (locale codes as Intercom writes
// them), after a retitle the old URL leading to the new one, after an
// unpublish to the collection, and a deleted article's URLs answering no
// page (on helpsite's server a 301 to its collection).
func TestIntercomURLsKeepWorking(t *testing.T) {
	locales := []string{"en", "pt-BR", "zh-CN", "es-419"}
	gen := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 24, Locales: locales, HelpCenters: 1, Seed: 7})
	api := fakeintercom.New(gen, fakeintercom.Options{Tokens: []string{"good"}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	api.SetBaseURL(srv.URL)
	snap, out := filepath.Join(t.TempDir(), "snap"), filepath.Join(t.TempDir(), "site")
	sync := func(args ...string) {
		t.Helper()
		if code, stdout, errOut := sitegen(t, append([]string{"fetch", "--api-base", srv.URL, "--token", "good", "--snapshot", snap}, args...)...); code != 0 {
			t.Fatalf("fetch: exit %d\n%s%s", code, stdout, errOut)
		}
		if code, stdout, errOut := sitegen(t, "build", "--from-snapshot", snap, "--out", out); code != 0 {
			t.Fatalf("build: exit %d\n%s%s", code, stdout, errOut)
		}
	}
	intercomPath := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host != "help.acme.example" {
			t.Fatalf("unexpected Intercom URL %q", raw)
		}
		return u.Path
	}
	sync()
	h := serveBoth(t, out)

	// Every published page answers under Intercom's path, in every locale.
	site := api.Site()
	pages := 0
	for _, a := range site.Articles {
		for _, l := range locales {
			if tr := a.Translations[l]; tr.Published() {
				h.checkPage(t, intercomPath(tr.URL), "article")
				pages++
			}
		}
	}
	for _, c := range site.Collections {
		if c.URL != "" && c.HelpCenterID == site.HelpCenters[0].ID {
			if page(t, h.static, intercomPath(c.URL)).status == http.StatusOK { // a collection with no published article has no page
				h.checkPage(t, intercomPath(c.URL), "collection")
			}
		}
	}
	for _, l := range locales {
		h.checkPage(t, "/"+l+"/", "home")
		sitemap := page(t, h.static, "/"+l+"/sitemap.xml")
		locs := regexp.MustCompile(`<loc>https?://[^/]+(/[^<]*)</loc>`).FindAllStringSubmatch(sitemap.body, -1)
		if len(locs) < 3 {
			t.Fatalf("%s sitemap lists %d pages", l, len(locs))
		}
		for _, m := range locs {
			p, _ := url.PathUnescape(m[1])
			if !strings.HasPrefix(p, "/"+l+"/") {
				t.Errorf("%s sitemap lists %s, outside /%s/", l, p, l)
			}
			h.checkPage(t, p, "sitemap page")
		}
	}
	if pages < 40 {
		t.Fatalf("checked %d article pages; the help center has more", pages)
	}
	if got := redirectPage(t, h.static, "/"); got != "/en/" {
		t.Errorf("static host: / leads to %q, want /en/", got)
	}
	if a := fetchPath(t, h.helpsite, "/"); a.status != http.StatusFound || a.location != "/en/" {
		t.Errorf("helpsite: / answers %d to %q, want 302 to /en/", a.status, a.location)
	}

	// Intercom's other shapes of an article's URL.
	var a, b content.Article // two articles published in English and Portuguese, in a collection
	for _, x := range site.Articles {
		if x.Translations["en"].Published() && x.Translations["pt-BR"].Published() && len(x.ParentIDs) > 0 && siblings(site, x) >= 2 {
			if a.ID == "" {
				a = x
			} else if b.ID == "" && x.ParentIDs[0] != a.ParentIDs[0] {
				b = x
			}
		}
	}
	if b.ID == "" {
		t.Fatal("the generated help center has no two articles to change")
	}
	aPT := intercomPath(a.Translations["pt-BR"].URL) + "/"
	h.checkRedirect(t, "/pt-BR/articles/"+a.ID, aPT, "bare id")
	if a := fetchPath(t, h.helpsite, "/pt-BR/articles/"+a.ID+"-some-old-title"); a.status != http.StatusMovedPermanently || a.location != aPT {
		t.Errorf("helpsite: an unknown slug answers %d to %q, want 301 to %s", a.status, a.location, aPT)
	}
	if a := fetchPath(t, h.helpsite, strings.ToLower(aPT)); a.status != http.StatusMovedPermanently || a.location != aPT {
		t.Errorf("helpsite: the lower-case locale answers %d to %q, want 301 to %s", a.status, a.location, aPT)
	}

	// A retitle, seen by a delta fetch: the old URLs lead to the new page.
	oldA, oldB := intercomPath(a.Translations["en"].URL), intercomPath(b.Translations["en"].URL)
	for id, title := range map[string]string{a.ID: "Settle payouts in one click", b.ID: "Close the books each month"} {
		if err := api.UpdateArticle(id, func(x *content.Article) {
			tr := x.Translations["en"]
			tr.Title = title
			x.Translations["en"] = tr
		}); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	h = serveBoth(t, out)
	newA := intercomPath(api.Site().Article(a.ID).Translations["en"].URL)
	newB := intercomPath(api.Site().Article(b.ID).Translations["en"].URL)
	if newA == oldA {
		t.Fatal("the retitle did not change the article's URL")
	}
	h.checkPage(t, newA, "retitled article")
	h.checkRedirect(t, oldA, newA+"/", "former slug")
	h.checkRedirect(t, "/en/articles/"+a.ID, newA+"/", "bare id")
	h.checkPage(t, aPT[:len(aPT)-1], "untouched translation")

	// An unpublish and a delete, seen by a full fetch.
	if err := api.UpdateArticle(a.ID, func(x *content.Article) {
		tr := x.Translations["en"]
		tr.State = content.Draft
		x.Translations["en"] = tr
	}); err != nil {
		t.Fatal(err)
	}
	if err := api.DeleteArticle(b.ID); err != nil {
		t.Fatal(err)
	}
	sync("--full")
	h = serveBoth(t, out)
	collection := intercomPath(api.Site().Collection(a.ParentIDs[0]).URL) + "/"
	for _, p := range []string{newA, oldA, "/en/articles/" + a.ID} {
		h.checkRedirect(t, p, collection, "unpublished article")
	}
	h.checkPage(t, aPT[:len(aPT)-1], "translation still published")
	collectionB := intercomPath(api.Site().Collection(b.ParentIDs[0]).URL) + "/"
	for _, p := range []string{oldB, newB, "/en/articles/" + b.ID} {
		h.checkGone(t, p, collectionB, "deleted article")
	}
}

// siblings counts the articles published in English in x's collection.
func siblings(site *content.Site, x content.Article) int {
	n := 0
	for _, y := range site.Articles {
		if y.Translations["en"].Published() && len(y.ParentIDs) > 0 && y.ParentIDs[0] == x.ParentIDs[0] {
			n++
		}
	}
	return n
}
