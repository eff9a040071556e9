package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/slug"
	"github.com/helpsite/helpsite/internal/snapshot"
)

// A retitle sent by webhook keeps the article's old URLs: the snapshot
// records the former slug, the server answers 301 to the new page, and the
// live release holds a redirect page there for static hosts, all through
// incremental builds. Once the article is unpublished, every URL it had
// leads to its collection, and so do a deleted one's, which the snapshot
// keeps.
func TestRetitleByWebhookKeepsOldURLs(t *testing.T) {
	data := t.TempDir()
	h := start(t, 30, fakeintercom.Faults{}, data)
	var id, other string
	for _, a := range h.api.Site().Articles {
		if a.Translations["en"].Published() && len(a.ParentIDs) > 0 {
			if id == "" {
				id = a.ID
			} else if other == "" {
				other = a.ID
			}
		}
	}
	first := h.articlePage(t, id)
	if first == "" {
		t.Fatal("the article has no page")
	}

	urls := []string{first}
	for _, title := range []string{"Reconcile payouts with your ledger", "Reconcile payouts twice a day"} {
		retitle(h.api, t, id, title)
		if s := h.send(t, "article.updated", id); s != http.StatusOK {
			t.Fatalf("webhook answered %d", s)
		}
		current := "/en/articles/" + id + "-" + slug.Make(title) + "/"
		h.waitFor(t, "the new URL", func() bool { return h.articlePage(t, id) == current })
		for _, old := range urls {
			if code, loc := h.redirect(t, old); code != http.StatusMovedPermanently || loc != current {
				t.Errorf("%s answers %d to %q, want 301 to %s", old, code, loc, current)
			}
			page, err := os.ReadFile(filepath.Join(data, "site", "current", filepath.FromSlash(old), "index.html"))
			if err != nil || !strings.Contains(string(page), `url=`+current+`"`) {
				t.Errorf("the live release has no redirect page at %s to %s: %v\n%s", old, current, err, page)
			}
		}
		if page := h.page(t, current, false); !strings.Contains(page, title) {
			t.Errorf("%s does not show %q", current, title)
		}
		urls = append(urls, current)
	}
	if _, metrics := h.get(t, "/metrics"); !strings.Contains(metrics, "helpsite_builds_incremental_total 2\n") {
		t.Errorf("the retitles were not published incrementally:\n%s", metrics)
	}
	site, err := snapshot.Open(filepath.Join(data, "snapshot")).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{strings.TrimSuffix(strings.TrimPrefix(first, "/en/articles/"+id+"-"), "/"), slug.Make("Reconcile payouts with your ledger")}
	if got := site.Article(id).FormerSlugs["en"]; !slices.Equal(got, want) {
		t.Errorf("the snapshot records former slugs %v, want %v", got, want)
	}

	// Unpublished: every URL it had leads to its collection.
	if err := h.api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.State = content.Draft
		a.Translations["en"] = tr
	}); err != nil {
		t.Fatal(err)
	}
	h.send(t, "article.unpublished", id)
	for _, u := range append(urls, "/en/articles/"+id+"/") {
		h.waitFor(t, u+" to lead to the collection", func() bool {
			code, loc := h.redirect(t, u)
			return code == http.StatusMovedPermanently && strings.HasPrefix(loc, "/en/collections/")
		})
	}

	// Retitled, then deleted: no URL it had answers a page.
	old := h.articlePage(t, other)
	retitle(h.api, t, other, "Export every invoice at once")
	h.send(t, "article.updated", other)
	h.waitFor(t, "the retitle", func() bool { return h.articlePage(t, other) != old })
	current := h.articlePage(t, other)
	if err := h.api.DeleteArticle(other); err != nil {
		t.Fatal(err)
	}
	h.send(t, "article.deleted", other)
	h.waitFor(t, "the deletion", func() bool {
		code, loc := h.redirect(t, current)
		return code == http.StatusMovedPermanently && strings.HasPrefix(loc, "/en/collections/")
	})
	for _, u := range []string{old, current, "/en/articles/" + other + "/", "/en/articles/" + other + "-anything"} {
		if code, loc := h.redirect(t, u); code != http.StatusMovedPermanently || !strings.HasPrefix(loc, "/en/collections/") {
			t.Errorf("%s of the deleted article answers %d to %q, want 301 to its collection", u, code, loc)
		}
	}
	site, err = snapshot.Open(filepath.Join(data, "snapshot")).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(site.Deleted, func(d content.DeletedArticle) bool { return d.ID == other }); i < 0 || len(site.Deleted[i].Slugs["en"]) != 2 {
		t.Errorf("the snapshot's deleted articles %+v lack article %s's two slugs", site.Deleted, other)
	}
}

// A retitle found by the server's full reconcile, with no notification,
// keeps the old URL too, in a locale with a region.
func TestRetitleByReconcileKeepsOldURLs(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 20, Locales: []string{"en", "pt-BR"}, HelpCenters: 1, Seed: 9})
	api := fakeintercom.New(site, fakeintercom.Options{})
	apiSrv := httptest.NewServer(api)
	t.Cleanup(apiSrv.Close)
	api.SetBaseURL(apiSrv.URL)
	h := startServer(t, api, apiSrv.URL, t.TempDir())
	var id string
	for _, a := range api.Site().Articles {
		if a.Translations["pt-BR"].Published() {
			id = a.ID
			break
		}
	}
	old, ok := strings.CutPrefix(api.Site().Article(id).Translations["pt-BR"].URL, "https://help.acme.example")
	if !ok {
		t.Fatalf("unexpected URL %q", api.Site().Article(id).Translations["pt-BR"].URL)
	}
	if code, _ := h.get(t, old+"/"); code != http.StatusOK {
		t.Fatalf("%s answers %d before the retitle", old, code)
	}
	if err := api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["pt-BR"]
		tr.Title = "Conciliar pagamentos com o razão"
		a.Translations["pt-BR"] = tr
	}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, h.url+"/admin/rebuild?full=true", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	current := "/pt-BR/articles/" + id + "-conciliar-pagamentos-com-o-razao/"
	h.waitFor(t, "the old URL to lead to the new one", func() bool {
		code, loc := h.redirect(t, old)
		return code == http.StatusMovedPermanently && loc == current
	})
	if code, _ := h.get(t, current); code != http.StatusOK {
		t.Errorf("%s answers %d", current, code)
	}
	if code, loc := h.redirect(t, strings.ToLower(current)); code != http.StatusMovedPermanently || loc != current {
		t.Errorf("the lower-case locale answers %d to %q, want 301 to %s", code, loc, current)
	}
}
