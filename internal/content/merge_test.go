package content

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func article(updated int, tr map[string]Translation) Article {
	return Article{ID: "1", ParentIDs: []string{"9"}, DefaultLocale: "en", Translations: tr, UpdatedAt: at(updated)}
}

func TestMergeArticle(t *testing.T) {
	current := article(10, map[string]Translation{
		"en": {Title: "v2", State: Published, UpdatedAt: at(10)},
		"fr": {Title: "fr v2", State: Published, UpdatedAt: at(12)},
	})

	// An out-of-order, older copy changes nothing.
	stale := article(5, map[string]Translation{"en": {Title: "v1", State: Published, UpdatedAt: at(5)}})
	if got, changed := MergeArticle(&current, stale); changed || got.Translations["en"].Title != "v2" || len(got.Translations) != 2 {
		t.Errorf("stale copy: changed=%v %+v", changed, got.Translations)
	}

	// A newer default locale with an older French translation: English
	// and the parents move, French stays.
	newer := article(20, map[string]Translation{
		"en": {Title: "v3", State: Published, UpdatedAt: at(20)},
		"fr": {Title: "fr v1", State: Published, UpdatedAt: at(3)},
	})
	newer.ParentIDs = []string{"8"}
	got, changed := MergeArticle(&current, newer)
	if !changed || got.Translations["en"].Title != "v3" || got.Translations["fr"].Title != "fr v2" || got.ParentIDs[0] != "8" {
		t.Errorf("newer copy: changed=%v %+v %v", changed, got.Translations, got.ParentIDs)
	}

	// A newer copy without the French translation removes it.
	dropped := article(30, map[string]Translation{"en": {Title: "v4", State: Draft, UpdatedAt: at(30)}})
	if got, _ := MergeArticle(&current, dropped); len(got.Translations) != 1 || got.Translations["en"].State != Draft {
		t.Errorf("removed translation: %+v", got.Translations)
	}

	// The same copy twice: no change.
	if _, changed := MergeArticle(&current, current); changed {
		t.Error("merging an article with itself reported a change")
	}
}

func TestPutAndRemoveArticle(t *testing.T) {
	s := &Site{}
	for _, id := range []string{"30", "4", "100", "4"} {
		s.PutArticle(Article{ID: id})
	}
	if len(s.Articles) != 3 || s.Articles[0].ID != "4" || s.Articles[2].ID != "100" || s.Article("30") == nil {
		t.Fatalf("articles %+v", s.Articles)
	}
	if !s.RemoveArticle("30") || s.RemoveArticle("30") || s.Article("30") != nil {
		t.Error("RemoveArticle")
	}
}
