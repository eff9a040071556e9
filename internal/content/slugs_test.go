package content

import (
	"reflect"
	"testing"
)

func TestTrackSlugs(t *testing.T) {
	pub := func(title string) Translation { return Translation{Title: title, State: Published} }
	a := Article{ID: "7", Translations: map[string]Translation{
		"en":    pub("Reset your password"),
		"pt-BR": {Title: "Redefinir senha", State: Published, URL: "https://help.test/pt-BR/articles/7-redefinir-a-senha"},
		"fr":    {Title: "Brouillon", State: Draft},
	}}
	step := func(prev Article, edit func(t map[string]Translation)) Article {
		next := prev
		next.Translations = map[string]Translation{}
		for l, tr := range prev.Translations {
			next.Translations[l] = tr
		}
		edit(next.Translations)
		next.FormerSlugs = nil // as the API sends it
		TrackSlugs(&prev, &next)
		return next
	}
	b := step(a, func(t map[string]Translation) { t["en"] = pub("Change your password"); t["fr"] = pub("Nouveau") })
	if want := map[string][]string{"en": {"reset-your-password"}}; !reflect.DeepEqual(b.FormerSlugs, want) {
		t.Fatalf("after a retitle: %v, want %v (a draft's slug is never former)", b.FormerSlugs, want)
	}
	c := step(b, func(t map[string]Translation) {
		t["en"] = pub("Update your password")
		t["pt-BR"] = Translation{Title: "Redefinir senha", State: Draft, URL: t["pt-BR"].URL}
	})
	want := map[string][]string{"en": {"reset-your-password", "change-your-password"}, "pt-BR": {"redefinir-a-senha"}}
	if !reflect.DeepEqual(c.FormerSlugs, want) {
		t.Fatalf("after a second retitle and an unpublish: %v, want %v", c.FormerSlugs, want)
	}
	if b.FormerSlugs["en"][0] != "reset-your-password" || len(b.FormerSlugs["en"]) != 1 {
		t.Errorf("the earlier copy changed: %v", b.FormerSlugs)
	}
	d := step(c, func(t map[string]Translation) { t["en"] = pub("Reset your password") })
	if want := []string{"change-your-password", "update-your-password"}; !reflect.DeepEqual(d.FormerSlugs["en"], want) {
		t.Errorf("titled back: %v, want %v (the current slug is not former)", d.FormerSlugs["en"], want)
	}
	e := step(d, func(map[string]Translation) {})
	if !reflect.DeepEqual(e.FormerSlugs, d.FormerSlugs) {
		t.Errorf("unchanged: %v, want %v", e.FormerSlugs, d.FormerSlugs)
	}
}

func TestTrackCollectionSlugs(t *testing.T) {
	prev := Collection{ID: "5", DefaultLocale: "en", URL: "https://help.test/en/collections/5-billing",
		Translations: map[string]GroupText{"en": {Name: "Billing"}, "ja": {Name: "請求"}}}
	next := prev
	next.URL = "https://help.test/en/collections/5-payments"
	next.Translations = map[string]GroupText{"en": {Name: "Payments"}, "ja": {Name: "請求"}}
	TrackCollectionSlugs(&prev, &next, "")
	if want := map[string][]string{"en": {"billing"}}; !reflect.DeepEqual(next.FormerSlugs, want) {
		t.Errorf("former slugs %v, want %v", next.FormerSlugs, want)
	}
}

func TestSiteTrackSlugs(t *testing.T) {
	prev := &Site{Articles: []Article{{ID: "1", Translations: map[string]Translation{"en": {Title: "Old", State: Published}}}}}
	next := &Site{Articles: []Article{
		{ID: "1", Translations: map[string]Translation{"en": {Title: "New", State: Published}}},
		{ID: "2", Translations: map[string]Translation{"en": {Title: "Other", State: Published}}},
	}}
	next.TrackSlugs(prev)
	if got := next.Articles[0].FormerSlugs["en"]; !reflect.DeepEqual(got, []string{"old"}) {
		t.Errorf("article 1: %v, want [old]", got)
	}
	if next.Articles[1].FormerSlugs != nil {
		t.Errorf("new article 2: %v, want none", next.Articles[1].FormerSlugs)
	}
}

func TestDeletedArticlesKeepTheirSlugs(t *testing.T) {
	gone := Article{ID: "9", ParentIDs: []string{"5"}, FormerSlugs: map[string][]string{"en": {"old"}},
		Translations: map[string]Translation{"en": {Title: "Current", State: Published}, "fr": {Title: "Brouillon", State: Draft}}}
	draftOnly := Article{ID: "8", Translations: map[string]Translation{"en": {Title: "Never public", State: Draft}}}
	prev := &Site{Articles: []Article{draftOnly, gone}}
	next := &Site{}
	next.TrackSlugs(prev)
	want := []DeletedArticle{{ID: "9", ParentIDs: []string{"5"}, Slugs: map[string][]string{"en": {"old", "current"}}}}
	if !reflect.DeepEqual(next.Deleted, want) {
		t.Fatalf("deleted %+v, want %+v (a draft's title is not public)", next.Deleted, want)
	}
	// Kept by later syncs, forgotten when the article comes back.
	later := &Site{}
	later.TrackSlugs(next)
	if !reflect.DeepEqual(later.Deleted, want) {
		t.Errorf("a later sync keeps %+v, want %+v", later.Deleted, want)
	}
	back := &Site{Articles: []Article{gone}}
	back.TrackSlugs(later)
	if len(back.Deleted) != 0 {
		t.Errorf("an article back keeps a deleted record: %+v", back.Deleted)
	}
}
