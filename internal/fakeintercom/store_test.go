package fakeintercom

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// firstListed returns the id of the first item of a list.
func firstListed(t *testing.T, url, version string) string {
	t.Helper()
	var p listPage
	if err := json.Unmarshal(call(t, url, "test-token", version).body, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Data) == 0 {
		t.Fatalf("%s: empty list", url)
	}
	return p.Data[0].ID.String()
}

func TestUpdateArticle(t *testing.T) {
	site := testSite(t)
	clk := newClock()
	s, ts := start(t, site, Options{Now: clk.Now})
	a := site.Articles[len(site.Articles)-1]
	before := a.Translations["en"]
	if _, ok := a.Translations["fr"]; !ok {
		t.Fatal("test article has no French translation")
	}
	clk.Advance(time.Hour)

	// A translation-only edit stamps that translation, not the article.
	err := s.UpdateArticle(a.ID, func(a *content.Article) {
		fr := a.Translations["fr"]
		fr.Title = "Un tout nouveau titre"
		a.Translations["fr"] = fr
	})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Site().Article(a.ID)
	if fr := got.Translations["fr"]; !fr.UpdatedAt.Equal(clk.Now()) {
		t.Errorf("fr updated_at %v, want %v", fr.UpdatedAt, clk.Now())
	} else if fr.Published() && !strings.HasSuffix(fr.URL, "/fr/articles/"+a.ID+"-un-tout-nouveau-titre") {
		t.Errorf("fr url %q does not follow the new title", fr.URL)
	}
	if !got.UpdatedAt.Equal(before.UpdatedAt) || !got.Translations["en"].UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("a French edit moved the article's updated_at to %v", got.UpdatedAt)
	}

	// A default-locale edit stamps the article and lists it first.
	clk.Advance(time.Hour)
	if err := s.UpdateArticle(a.ID, func(a *content.Article) {
		en := a.Translations["en"]
		en.Body += `<p class="no-margin">One more thing.</p>`
		a.Translations["en"] = en
	}); err != nil {
		t.Fatal(err)
	}
	got = s.Site().Article(a.ID)
	if !got.UpdatedAt.Equal(clk.Now()) || !got.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("after an English edit: created %v updated %v, want %v and %v", got.CreatedAt, got.UpdatedAt, before.CreatedAt, clk.Now())
	}
	if first := firstListed(t, ts.URL+"/articles", ""); first != a.ID {
		t.Errorf("first listed article %s, want the edited %s", first, a.ID)
	}

	// Moving the article counts as an edit.
	clk.Advance(time.Hour)
	target := site.Collections[0].ID
	if slices.Contains(a.ParentIDs, target) {
		target = site.Collections[1].ID
	}
	if err := s.UpdateArticle(a.ID, func(a *content.Article) { a.ParentIDs = []string{target} }); err != nil {
		t.Fatal(err)
	}
	if got := s.Site().Article(a.ID); !got.UpdatedAt.Equal(clk.Now()) || !slices.Equal(got.ParentIDs, []string{target}) {
		t.Errorf("after a move: updated %v, parents %v", got.UpdatedAt, got.ParentIDs)
	}

	for name, fn := range map[string]func(*content.Article){
		"unknown parent": func(a *content.Article) { a.ParentIDs = []string{"1"} },
		"changed id":     func(a *content.Article) { a.ID = "1" },
		"no default":     func(a *content.Article) { delete(a.Translations, a.DefaultLocale) },
	} {
		snapshot := s.Site().Article(a.ID)
		if err := s.UpdateArticle(a.ID, fn); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if after := s.Site().Article(a.ID); !slices.Equal(after.ParentIDs, snapshot.ParentIDs) || len(after.Translations) != len(snapshot.Translations) {
			t.Errorf("%s: a rejected update changed the article", name)
		}
	}
	if err := s.UpdateArticle("1", func(*content.Article) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown article: %v", err)
	}
}

func TestCreateAndDeleteArticle(t *testing.T) {
	site := testSite(t)
	clk := newClock()
	s, ts := start(t, site, Options{Now: clk.Now})
	a := content.Article{ID: "9999999", ParentIDs: []string{site.Collections[0].ID}, Translations: map[string]content.Translation{
		"en": {Title: "Brand new", Body: "<p>Hi</p>", AuthorID: "5", State: content.Published},
	}}
	if err := s.CreateArticle(a); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateArticle(a); err == nil {
		t.Error("creating an article twice succeeded")
	}
	if first := firstListed(t, ts.URL+"/articles", ""); first != a.ID {
		t.Errorf("first listed %s, want the new %s", first, a.ID)
	}
	got := s.Site().Article(a.ID)
	if !got.CreatedAt.Equal(clk.Now()) || got.DefaultLocale != "en" || !strings.HasSuffix(got.Translations["en"].URL, "/en/articles/9999999-brand-new") {
		t.Errorf("created article: %+v", got)
	}
	if err := s.DeleteArticle(a.ID); err != nil {
		t.Fatal(err)
	}
	if r := call(t, ts.URL+"/articles/"+a.ID, "test-token", ""); r.status != 404 {
		t.Errorf("deleted article: status %d", r.status)
	}
	if err := s.DeleteArticle(a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestCollectionMutations(t *testing.T) {
	site := testSite(t)
	clk := newClock()
	s, ts := start(t, site, Options{Now: clk.Now})
	var parent, child content.Collection
	for _, c := range site.Collections {
		if c.ParentID != "" && site.Collection(c.ParentID).ParentID == "" {
			parent, child = *site.Collection(c.ParentID), c
		}
	}
	clk.Advance(time.Minute)
	if err := s.UpdateCollection(parent.ID, func(c *content.Collection) {
		c.Translations["en"] = content.GroupText{Name: "Renamed"}
	}); err != nil {
		t.Fatal(err)
	}
	if first := firstListed(t, ts.URL+"/help_center/collections", "2.11"); first != parent.ID {
		t.Errorf("first listed collection %s, want the renamed %s", first, parent.ID)
	}
	if got := s.Site().Collection(parent.ID); !got.UpdatedAt.Equal(clk.Now()) || !strings.HasSuffix(got.URL, parent.ID+"-renamed") {
		t.Errorf("renamed collection: updated %v, url %s", got.UpdatedAt, got.URL)
	}
	clk.Advance(time.Minute)
	if err := s.UpdateCollection(parent.ID, func(*content.Collection) {}); err != nil {
		t.Fatal(err)
	}
	if got := s.Site().Collection(parent.ID); got.UpdatedAt.Equal(clk.Now()) {
		t.Error("a no-op update stamped the collection")
	}
	if err := s.UpdateCollection(parent.ID, func(c *content.Collection) { c.ParentID = child.ID }); err == nil {
		t.Error("a parent cycle was accepted")
	}

	// Deleting the parent deletes the child and unlinks their articles.
	var held []string
	for _, a := range site.Articles {
		if slices.Contains(a.ParentIDs, parent.ID) || slices.Contains(a.ParentIDs, child.ID) {
			held = append(held, a.ID)
		}
	}
	if err := s.DeleteCollection(parent.ID); err != nil {
		t.Fatal(err)
	}
	now := s.Site()
	if now.Collection(parent.ID) != nil || now.Collection(child.ID) != nil {
		t.Error("deleted collections remain")
	}
	for _, id := range held {
		a := now.Article(id)
		if a == nil || slices.Contains(a.ParentIDs, parent.ID) || slices.Contains(a.ParentIDs, child.ID) {
			t.Errorf("article %s after its collection's deletion: %+v", id, a)
		}
	}
	if err := s.DeleteCollection(parent.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestExpected(t *testing.T) {
	site := testSite(t)
	s := New(site, Options{})
	var two string
	for _, a := range site.Articles {
		if len(a.ParentIDs) > 1 {
			two = a.ID
		}
	}
	for _, tc := range []struct {
		version  string
		parents  int
		locales  bool
		sections bool
	}{{"2.7", 1, false, true}, {"2.11", 1, false, false}, {"2.15", 1, false, false}, {"2.16", 2, true, false}} {
		e := s.Expected(tc.version)
		if e.APIVersion != tc.version {
			t.Errorf("%s: APIVersion %q", tc.version, e.APIVersion)
		}
		if n := len(e.Article(two).ParentIDs); n != tc.parents {
			t.Errorf("%s: article in two collections has %d parents, want %d", tc.version, n, tc.parents)
		}
		if got := len(e.HelpCenters[0].Locales) > 0 && e.HelpCenters[0].Default; got != tc.locales {
			t.Errorf("%s: help center default and locales present: %v", tc.version, got)
		}
		if len(e.Articles) != len(site.Articles) || len(e.Collections) != len(site.Collections) {
			t.Errorf("%s: %d articles and %d collections", tc.version, len(e.Articles), len(e.Collections))
		}
	}
	// Expected is a copy: changing it leaves the server alone.
	e := s.Expected("2.16")
	e.Articles[0].Translations["en"] = content.Translation{Title: "changed"}
	if s.Site().Articles[0].Translations["en"].Title == "changed" {
		t.Error("Expected shares maps with the server")
	}
}

// TestConcurrentUse lists and edits at the same time; run with -race.
func TestConcurrentUse(t *testing.T) {
	site := testSite(t)
	s, ts := start(t, site, Options{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				if r := call(t, ts.URL+"/articles?per_page=50", "test-token", "2.16"); r.status != 200 {
					t.Errorf("status %d", r.status)
				}
			}
		})
	}
	wg.Go(func() {
		for _, a := range site.Articles[:20] {
			err := s.UpdateArticle(a.ID, func(a *content.Article) {
				en := a.Translations["en"]
				en.Title += " (edited)"
				a.Translations["en"] = en
			})
			if err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if got := s.Site().Articles[0].Translations["en"].Title; !strings.HasSuffix(got, " (edited)") {
		t.Errorf("title after the edits: %q", got)
	}
}
