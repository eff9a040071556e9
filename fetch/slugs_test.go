package fetch_test

import (
	"context"
	"slices"
	"testing"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// A sync records the slugs articles and collections leave behind, in a
// delta sync and in a full one, and keeps them in the syncs after.
func TestSyncRecordsFormerSlugs(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 20, Locales: []string{"en", "pt-BR"}, HelpCenters: 1, Seed: 3})
	api, base, _ := serve(t, site, fakeintercom.Options{Tokens: []string{token}})
	c := newClient(t, base, "2.11")
	ctx := context.Background()
	prev, _, err := c.Sync(ctx, nil, fetch.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var article, collection string
	for _, a := range prev.Articles {
		if a.Translations["en"].Published() && a.Translations["pt-BR"].Published() {
			article = a.ID
			break
		}
	}
	collection = prev.Collections[0].ID
	oldEN := prev.Article(article).Translations["en"].Slug(article)
	oldPT := prev.Article(article).Translations["pt-BR"].Slug(article)
	oldCollection := prev.Collection(collection).Slug("en", "")
	retitle := func(locale, title string) {
		t.Helper()
		if err := api.UpdateArticle(article, func(a *content.Article) {
			tr := a.Translations[locale]
			tr.Title = title
			a.Translations[locale] = tr
		}); err != nil {
			t.Fatal(err)
		}
	}

	retitle("en", "Pay out in one click")
	if err := api.UpdateCollection(collection, func(c *content.Collection) {
		tr := c.Translations["en"]
		tr.Name = "Renamed collection"
		c.Translations["en"] = tr
	}); err != nil {
		t.Fatal(err)
	}
	next, report, err := c.Sync(ctx, prev, fetch.SyncOptions{})
	if err != nil || report.Full {
		t.Fatalf("delta sync: %v, %+v", err, report)
	}
	if got := next.Article(article).FormerSlugs; !slices.Equal(got["en"], []string{oldEN}) || len(got) != 1 {
		t.Errorf("after a delta sync: former slugs %v, want en: %s", got, oldEN)
	}
	if got := next.Collection(collection).FormerSlugs["en"]; !slices.Equal(got, []string{oldCollection}) {
		t.Errorf("collection: former slugs %v, want %s", got, oldCollection)
	}

	// A translation-only edit is seen by a full sync; what was recorded stays.
	retitle("pt-BR", "Pagar em um clique")
	last, _, err := c.Sync(ctx, next, fetch.SyncOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	got := last.Article(article).FormerSlugs
	if !slices.Equal(got["en"], []string{oldEN}) || !slices.Equal(got["pt-BR"], []string{oldPT}) {
		t.Errorf("after a full sync: former slugs %v, want en: %s, pt-BR: %s", got, oldEN, oldPT)
	}
	if got := last.Collection(collection).FormerSlugs["en"]; !slices.Equal(got, []string{oldCollection}) {
		t.Errorf("collection after a full sync: former slugs %v, want %s", got, oldCollection)
	}
}
