package fetch

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDecodeQuirks(t *testing.T) {
	// One list page with every quirk Intercom's answers have been seen with.
	const page = `{
	  "type": "list",
	  "total_count": 3,
	  "pages": {"type": "pages", "page": "1", "per_page": 250, "total_pages": 3, "next": {"page": 2, "starting_after": "abc"}},
	  "data": [
	    {"type": "article", "id": 123, "parent_id": "45", "parent_type": "collection", "author_id": "991",
	     "created_at": 1700000000, "updated_at": "1700000100", "default_locale": "fr",
	     "translated_content": {"type": "article_translated_content", "de": null,
	        "fr": {"type": "article_content", "title": "Bonjour", "state": "published", "author_id": 991, "updated_at": 1700000100}}},
	    {"type": "article", "id": "124", "parent_id": null, "parent_ids": [7, "8"], "title": "Alone", "state": "draft",
	     "translated_content": null},
	    {"type": "article", "id": "125", "parent_id": 46, "title": "Plain"}
	  ]
	}`
	var p listPage[apiArticle]
	if err := json.Unmarshal([]byte(page), &p); err != nil {
		t.Fatal(err)
	}
	if p.totalPages() != 3 {
		t.Errorf("totalPages = %d, want 3", p.totalPages())
	}
	a0, err := p.Data[0].content()
	if err != nil {
		t.Fatal(err)
	}
	if a0.ID != "123" || len(a0.ParentIDs) != 1 || a0.ParentIDs[0] != "45" {
		t.Errorf("article 0: id %q parents %v", a0.ID, a0.ParentIDs)
	}
	fr, ok := a0.Translations["fr"]
	if !ok || len(a0.Translations) != 1 || fr.Title != "Bonjour" || fr.AuthorID != "991" || !fr.UpdatedAt.Equal(time.Unix(1700000100, 0)) {
		t.Errorf("article 0 translations: %+v", a0.Translations)
	}
	a1, _ := p.Data[1].content()
	if len(a1.ParentIDs) != 2 || a1.ParentIDs[1] != "8" {
		t.Errorf("article 1 parents %v, want [7 8]", a1.ParentIDs)
	}
	if en, ok := a1.Translations["en"]; !ok || en.Title != "Alone" || en.Published() {
		t.Errorf("article 1 without translated_content: %+v", a1.Translations)
	}
	a2, _ := p.Data[2].content()
	if len(a2.ParentIDs) != 1 || a2.ParentIDs[0] != "46" {
		t.Errorf("article 2 parents %v, want [46]", a2.ParentIDs)
	}
}

func TestDecodePagesNextForms(t *testing.T) {
	for _, next := range []string{`"https://api.intercom.io/articles?page=2"`, `{"page": 2}`, `null`} {
		var p listPage[apiCollection]
		if err := json.Unmarshal([]byte(`{"type":"list","data":[],"pages":{"page":1,"total_pages":2,"next":`+next+`}}`), &p); err != nil {
			t.Errorf("next %s: %v", next, err)
		}
	}
	var p listPage[apiHelpCenter]
	if err := json.Unmarshal([]byte(`{"type":"list","data":[{"id":"1"}]}`), &p); err != nil || p.totalPages() != 1 {
		t.Errorf("list without pages: %v, %d pages", err, p.totalPages())
	}
}

func TestDecodeRejectsGarbageIDs(t *testing.T) {
	var id flexID
	if err := json.Unmarshal([]byte(`{"x":1}`), &id); err == nil {
		t.Error("an object decoded as an id")
	}
}

func TestCollectionFallsBackToTopLevelText(t *testing.T) {
	var c apiCollection
	json.Unmarshal([]byte(`{"id": 5, "name": "Billing", "description": "Money", "help_center_id": 9, "parent_id": null, "translated_content": null}`), &c)
	got, err := c.content()
	if err != nil {
		t.Fatal(err)
	}
	if got.Translations["en"].Name != "Billing" || got.HelpCenterID != "9" || got.ParentID != "" {
		t.Errorf("got %+v", got)
	}
}

func TestDecodeArticle(t *testing.T) {
	if _, err := DecodeArticle([]byte(`{"type":"article","id":"42","deleted":true}`)); err != ErrIncomplete {
		t.Errorf("minimal item: %v, want ErrIncomplete", err)
	}
	a, err := DecodeArticle([]byte(`{"type":"article","id":42,"title":"T","state":"published","parent_ids":[3]}`))
	if err != nil || a.ID != "42" || a.Translations["en"].Title != "T" || a.ParentIDs[0] != "3" {
		t.Errorf("DecodeArticle = %+v, %v", a, err)
	}
}
